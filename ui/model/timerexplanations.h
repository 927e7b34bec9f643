// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Plain-language texts for a socket's timer event (docs/events.md, "Timers"): what the timer is for and what the
// change the kernel showed means, for the explanation panel.
// Pure functions over values, so tests check them without a window.

#include "core/stream/event.h"

#include <QString>

namespace sockscope::ui {

// One or two sentences: what the timer is for and why it changed (the event's own text is its title elsewhere).
QString timerExplanation(const core::TimerInfo &timer);

} // namespace sockscope::ui
