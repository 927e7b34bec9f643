// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: when a close() is abortive because of SO_LINGER {on, 0 s} (the kernel then sends RST, not FIN), read
// from a recorded event stream; the narrative and the RST explanation both ask this.
// Thread-safety: pure functions over values.

#include "core/stream/event.h"

#include <cstddef>
#include <optional>
#include <span>
#include <string>

namespace sockscope::core {

// What a call does to SO_LINGER: true when it sets {on != 0, 0 s}, false when it sets any other linger, nullopt
// when it is not setsockopt(SO_LINGER) at all.
std::optional<bool> setsLingerZero(const SyscallInfo &call);

// Whether a close() of `sock` at events[before] would be abortive: the LAST setsockopt(SO_LINGER) on that
// socket before it decides, and one that failed (its return has an errno) changes nothing.
bool lingerZeroBefore(std::span<const Event> events, std::size_t before, const std::string &sock);

} // namespace sockscope::core
