// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/stream/errnonames.h"

#include <cerrno>
#include <cstring>

namespace sockscope::core {

namespace {
// Linux numbers errors below 134 (EHWPOISON is 133); glibc's name table ends there too.
constexpr int kMaxErrno = 200;
} // namespace

std::string errnoName(int err)
{
    if (err == 0)
        return {};
    if (const char *name = strerrorname_np(err))
        return name;
    return "E" + std::to_string(err);
}

std::optional<int> errnoNumber(std::string_view name)
{
    // strerrorname_np gives one name per number; the aliases share the number of their canonical name.
    if (name == "EWOULDBLOCK")
        return EWOULDBLOCK;
    if (name == "ENOTSUP")
        return ENOTSUP;
    if (name == "EDEADLOCK")
        return EDEADLOCK;
    // A linear search is fine for a few hundred numbers.
    for (int n = 1; n < kMaxErrno; ++n)
        if (const char *nm = strerrorname_np(n); nm && name == nm)
            return n;
    return std::nullopt;
}

std::string errnoText(std::string_view name)
{
    const std::optional<int> n = errnoNumber(name);
    if (!n)
        return {};
    const char *text = strerrordesc_np(*n);
    return text ? text : std::string();
}

} // namespace sockscope::core
