// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the grammar of the fault lines ("drop: ...", "blackhole", "restore") and which ports stand for an actor
// on the wire. Internal to core (scenarioparser.cpp, and core/lab/wirefaults.cpp for the ports).
// Thread-safety: plain functions on caller-owned values.

#include "core/scenario/scenario.h"
#include "core/scenario/scenariolexer.h"
#include "core/stream/event.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sockscope::core {

// The ports an actor's sockets use on the wire, as far as the scenario tells them: the ports it binds. An actor
// that binds none (a client) is told apart by not using any other actor's bound port.
struct ActorPorts
{
    std::vector<std::uint16_t> ports; // bound by this actor
    bool complement = false;          // true: "every port not in ports" (ports then holds the others' ports)
};
ActorPorts actorPorts(const Scenario &scenario, const std::string &actor);

// Why a drop rule between these actors cannot be installed ("" when it can): two actors that bind no port
// cannot be told apart on loopback.
std::string wireDirectionProblem(const Scenario &scenario, const WireFault &fault);

namespace scn {

// Parses the value after "drop:" (the cursor is after the ':') into fault. Throws LineError.
void parseDrop(LineCursor &cursor, const std::vector<std::string> &actors, WireFault &fault);
// Parses a '~' line after the '~' (docs/scenario-format.md): "[no] [FROM -> TO] FLAGS" or "SOCK STATE".
void parseWireExpectation(LineCursor &cursor, const std::vector<std::string> &actors, WireExpectation &expect);

} // namespace scn

} // namespace sockscope::core
