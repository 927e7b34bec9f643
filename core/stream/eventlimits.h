// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the bounds every reader of an event stream enforces (run files, the lab's pipe, the window's Open), so
// that a hostile file costs time and memory linear in its size and never more than these (docs/events.md).
// Thread-safety: constants only.

#include <cstddef>
#include <cstdint>

namespace sockscope::core {

// One line of JSON: an event, or a run file's header (which carries the scenario's source).
inline constexpr std::size_t kMaxJsonLineBytes = 16 * 1024 * 1024;
// Brackets nested deeper than this are refused before parsing; events nest two levels, headers one.
inline constexpr int kMaxJsonDepth = 16;
// Any string field of an event except "data" (bytes read, bounded by the line).
inline constexpr std::size_t kMaxFieldBytes = 64 * 1024;
// The scenario text inside a run file's header.
inline constexpr std::size_t kMaxScenarioSourceBytes = 4 * 1024 * 1024;
// Socket and actor names ("server.1", "client").
inline constexpr std::size_t kMaxNameBytes = 128;
inline constexpr std::size_t kMaxArgs = 32;
// All the lab may write to the parent in one run: the longest run the parser accepts writes far less, a lab
// that floods its pipe is stopped here.
inline constexpr std::int64_t kMaxLabStreamBytes = 1LL << 30;
// Events in one stream: a run of the longest scenario the parser accepts stays far below this.
inline constexpr std::int64_t kMaxEvents = 4'000'000;
inline constexpr std::size_t kMaxSockets = 65'536;
inline constexpr std::size_t kMaxActors = 1024;
// A step index is below the scenario parser's step limit (10000).
inline constexpr int kMaxSteps = 10'000;
inline constexpr int kMaxScenarioLine = 10'000'000;
// Times (t_ns, durations) lie in [0, 7 days]: a run is capped at minutes, a week leaves room and no overflow.
inline constexpr std::int64_t kMaxTimeNs = 7LL * 24 * 3600 * 1'000'000'000;
// File descriptors are small non-negative integers (-1 = none); Linux caps them at 2^20 by default.
inline constexpr std::int64_t kMaxFd = 1 << 30;

} // namespace sockscope::core
