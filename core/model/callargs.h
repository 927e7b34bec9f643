// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: a scenario step's arguments as the event stream shows them (the `args` object of a syscall event).
// Thread-safety: pure function.

#include "core/scenario/scenario.h"
#include "core/stream/event.h"

#include <vector>

namespace sockscope::core {

std::vector<SyscallArg> describeArgs(const Step &step);

} // namespace sockscope::core
