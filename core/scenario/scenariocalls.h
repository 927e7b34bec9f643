// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the grammar of one scenario step after its actor: "[VAR =] CALL(ARGS) [= EXPECTATION] [&]".
// Internal to core (used by scenarioparser.cpp only). Thread-safety: plain functions on caller-owned values.

#include "core/scenario/scenario.h"
#include "core/scenario/scenariolexer.h"

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace sockscope::core::scn {

struct Variable
{
    std::string owner;                        // the actor whose socket() or accept() assigned it
    bool open = true;                         // false after close(VAR): only then may it be assigned again
    int line = 0;                             // where it was last assigned
    bool epoll = false;                       // an epoll instance (epoll_create), not a socket
    std::set<std::string, std::less<>> users; // other actors given it with share(VAR, ACTOR)
};
using Variables = std::map<std::string, Variable, std::less<>>;

// The actors as the steps so far left them: declared, and which have exited (a dead actor takes no more steps).
struct Processes
{
    std::vector<std::string> actors;
    std::map<std::string, int, std::less<>> exited; // actor -> the line of its exit()
};

// Parses the rest of a step line from the cursor (placed after the actor) into step, which already holds the actor.
// Throws LineError on the first error. Updates vars: an assignment is recorded even when a later part of the line
// is wrong, so that one typo does not make every later use of the variable an error too.
// processes: the declared actors, and the exit() calls so far (updated by exit()).
void parseStepBody(LineCursor &cursor, Step &step, Variables &vars, int lineNo, Processes &processes);

} // namespace sockscope::core::scn
