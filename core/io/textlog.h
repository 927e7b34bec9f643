// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the human log of a run: strace-like syscall lines with packets and state changes interleaved.
// Thread-safety: pure functions; a LogContext belongs to one stream and one thread at a time.

#include "core/stream/event.h"
#include "core/stream/eventtext.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace sockscope::core {

// What the log must remember between events of one stream.
struct LogContext
{
    struct PendingCall
    {
        std::int64_t enterNs = 0;
        std::string actor;
        std::string call;     // "recv"
        std::string text;     // "recv(4, 100)"
        bool blocked = false; // its "<blocked>" line has been printed
    };

    // Width of the actor column. Set it from the scenario's actors before streaming so every line lines up;
    // it grows (and later lines shift) when a longer name turns up.
    int actorWidth = 0;
    // Calls entered and not yet returned, by syscall id. A call line is printed when its return arrives.
    std::map<std::int64_t, PendingCall> pending;
    // Ids of the pending calls whose "<blocked>" line is not printed yet, so that neither a step nor any other
    // event walks every call that ever blocked (a run of forged blocked calls made the log quadratic).
    std::set<std::int64_t> running;
    // Lines of events that happened while a call was in flight; printed after that call's line so that the
    // RST a close() sent reads after the close(), as in strace, with times still increasing.
    std::vector<std::string> deferred;
    // Kernel states seen so far that contradicted the derived ones (the end line says FAILED when any).
    int contradictions = 0;

    static LogContext forActors(const std::vector<std::string> &actors);
};

// The lines an event adds to the log, joined by '\n' with no trailing newline; "" when it adds none (an
// event not shown, or one held back until a pending call returns).
std::string formatLogLine(const Event &e, LogContext &ctx);
// Lines still held in ctx when a stream stops without an end event (calls never returned), or "".
std::string finishLog(LogContext &ctx);
// The whole log, one line per shown event, ending with '\n' (or "" when nothing is shown).
std::string formatLog(const std::vector<Event> &events);

// Masks what changes from run to run, for golden tests: times ("+T"), ephemeral ports (":EPORT"), the
// kernel release and the run's duration.
std::string normalizeLog(std::string log);

} // namespace sockscope::core
