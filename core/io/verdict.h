// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the one place that decides whether a run passed: every expectation met, no kernel snapshot that
// contradicts the derived TCP states, and an end without error. `run`, `check`, `export` and the window all
// judge a run through judgeRun(), so they can never disagree about the same events.
// Thread-safety: pure functions.

#include "core/stream/event.h"

#include <cstddef>
#include <string>
#include <vector>

namespace sockscope::core {

struct RunVerdict
{
    int checks = 0;
    int failedChecks = 0;
    std::vector<std::string> failures;  // "step 3 (line 12) TEXT: expected E, got G"
    std::vector<size_t> contradictions; // indexes (into the events) of kernel states with a conflict
    bool ended = false;                 // the stream has its end event
    bool endOk = false;                 // what the end event says
    std::string error;                  // why the run ended early, or ""
    std::int64_t packets = 0;

    bool ok() const { return ended && endOk && failedChecks == 0 && contradictions.empty() && error.empty(); }
};

RunVerdict judgeRun(const std::vector<Event> &events);

// What the kernel said, what the model said, and the log lines of the events around it:
//   "CONTRADICTION at +0.012345: client.1: kernel says CLOSE_WAIT, the model says ESTABLISHED\n
//    events around it:\n  +0.012001 ...\n>>+0.012345 ...\n"
std::string describeContradiction(const std::vector<Event> &events, size_t index);

} // namespace sockscope::core
