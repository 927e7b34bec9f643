// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: what a run's outcome was, as a comparable key: the sequence of call results and segment flags, or
// what TCP did (state paths and call results, with a label in words). Runs of a timing-dependent scenario are
// grouped by the latter.
// Thread-safety: pure functions.

#include "core/stream/event.h"

#include <string>
#include <vector>

namespace sockscope::core {

// e.g. "connect=0 | SYN | SYN ACK | ACK | close=0 | FIN ACK | ..."; kernel-only events are left out.
std::string outcomeKey(const std::vector<Event> &events);

// What TCP did in a run, independent of how the actors' events interleaved: each socket's path of derived
// states and each step's call result. Runs are grouped by key; label says it in words ("FINs crossed: CLOSING
// on both sides, TIME_WAIT on both", "ordinary close: the server closed first").
struct TcpBehaviour
{
    std::string key; // "client.1 ESTABLISHED>FIN_WAIT_1>CLOSING>TIME_WAIT | ... | step 8 server close=0 | ..."
    std::string label;
};
TcpBehaviour tcpBehaviour(const std::vector<Event> &events);

struct OutcomeGroup
{
    std::string key;
    std::vector<int> runs; // 0-based run indexes with this outcome
    std::string label;     // the first run's TcpBehaviour::label, when grouped by behaviour
};
// Groups in order of first appearance.
std::vector<OutcomeGroup> groupOutcomes(const std::vector<std::string> &keys);
// Run N times' grouping (the window's chart and `run --runs N`): by TcpBehaviour::key, labelled.
std::vector<OutcomeGroup> groupBehaviours(const std::vector<TcpBehaviour> &runs);

} // namespace sockscope::core
