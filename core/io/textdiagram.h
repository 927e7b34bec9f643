// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: a run's sequence diagram as Mermaid or PlantUML text, for docs kept in version control.
// Thread-safety: pure functions.

#include "core/stream/event.h"

#include <string>
#include <vector>

namespace sockscope::core {

// Both read like a diagram a person would draw: the scenario's title; one participant per actor, labelled with
// the sockets it had ("server (server.listen, server.1)"), and one per address no socket owns; one message per
// captured segment (flags, seq/ack; pure ACKs dashed; a RST is an arrow like any segment, since the capture saw
// it arrive), naming its sockets where an actor has several; the scenario's step notes as notes across the
// diagram; a note per syscall with its result (a call that blocks gets one when it starts and one when it
// returns), per derived state change, per contradicting kernel snapshot and per signal. Text that would break
// the syntax is escaped.
std::string toMermaid(const std::vector<Event> &events);
std::string toPlantUml(const std::vector<Event> &events);

} // namespace sockscope::core
