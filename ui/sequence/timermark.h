// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the sequence diagram's mark for a timer event that gets a row (a restart or a backoff): a small clock on
// the socket's lifeline with the short text of core::timerMarkText beside it.
// Thread-safety: pure painting, on whatever thread owns the QPainter.

#include "core/stream/event.h"
#include "ui/style/theme.h"

class QPainter;

namespace sockscope::ui {

// Whether the diagram gives this timer event a row of its own (the others are in the table and the log only).
bool timerGetsRow(const core::TimerInfo &timer);
// x: the lifeline; withText: false where the row is too close to the previous label on this lifeline.
void paintTimerMark(QPainter &p, const Theme &theme, double x, double y, const core::TimerInfo &timer, bool withText);

} // namespace sockscope::ui
