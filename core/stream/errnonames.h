// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: errno numbers, names and descriptions, one table for the whole program: the stream carries names,
// scenarios expect them, the log and the lab's error messages print them.
// Thread-safety: pure functions (glibc's tables are constant).

#include <optional>
#include <string>
#include <string_view>

namespace sockscope::core {

// "ECONNRESET", or "E<number>" for values glibc has no name for; "" for 0.
std::string errnoName(int err);
// The number for a name glibc knows, including the aliases Linux has (EWOULDBLOCK = EAGAIN, ENOTSUP =
// EOPNOTSUPP, EDEADLOCK = EDEADLK); nullopt for anything else.
std::optional<int> errnoNumber(std::string_view name);
// "Connection reset by peer" for "ECONNRESET"; "" for an unknown name.
std::string errnoText(std::string_view name);

} // namespace sockscope::core
