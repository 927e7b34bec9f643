// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: "what just happened", in words, for one step of a run: generated from the step's own events (calls,
// returns, signals, segments, state changes) with earlier events as context (queued bytes before a close,
// SO_LINGER). Shown in the explanation panel while stepping or replaying.
// Thread-safety: pure functions over values.

#include "core/stream/event.h"

#include <QStringList>

#include <span>

namespace sockscope::ui {

// Sentences about events[first..last] (inclusive: one step or one '&' group), in the order things happened.
QStringList narrateEvents(std::span<const core::Event> events, int first, int last);

// The range [first, last] of the step (group) that events[index] belongs to; first is its first step event.
// Before the first step: {0, index of the event before it}. An empty stream gives {-1, -1}.
std::pair<int, int> stepRange(std::span<const core::Event> events, int index);

} // namespace sockscope::ui
