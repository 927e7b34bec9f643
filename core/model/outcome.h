// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: what a run's outcome was, as a comparable key: the sequence of call results and segment flags.
// Runs of a timing-dependent scenario are grouped by this key.
// Thread-safety: pure functions.

#include "core/stream/event.h"

#include <string>
#include <vector>

namespace sockscope::core {

// e.g. "connect=0 | SYN | SYN ACK | ACK | close=0 | FIN ACK | ..."; kernel-only events are left out.
std::string outcomeKey(const std::vector<Event> &events);

struct OutcomeGroup
{
    std::string key;
    std::vector<int> runs; // 0-based run indexes with this outcome
};
// Groups in order of first appearance.
std::vector<OutcomeGroup> groupOutcomes(const std::vector<std::string> &keys);

} // namespace sockscope::core
