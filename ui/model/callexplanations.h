// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: what a successful call of the less common kinds tells the student (getsockname, select, accept4,
// connect(AF_UNSPEC), zero-length and urgent sends, recv flags, epoll instances), one sentence each. Shared by the
// explanation panel and the step narrative. Thread-safety: pure functions.

#include "core/stream/event.h"

#include <QString>

namespace sockscope::ui {

using core::callArg; // the value of a call's argument by key (core/stream/event.h)

// Empty for a call that needs no more than "it succeeded" (or that failed: errnoExplanation says why).
QString callExplanation(const core::SyscallInfo &call, const core::ReturnInfo &ret);

} // namespace sockscope::ui
