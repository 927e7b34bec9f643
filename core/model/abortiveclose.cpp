// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/abortiveclose.h"

#include <algorithm>

namespace sockscope::core {

std::optional<bool> setsLingerZero(const SyscallInfo &call)
{
    if (call.call != "setsockopt")
        return std::nullopt;
    bool linger = false;
    std::optional<std::string> on, secs;
    for (const auto &a : call.args) {
        if (a.key == "option")
            linger = a.value == "SO_LINGER";
        else if (a.key == "value")
            on = a.value;
        else if (a.key == "linger")
            secs = a.value;
    }
    if (!linger)
        return std::nullopt;
    return on && *on != "0" && secs && *secs == "0";
}

bool lingerZeroBefore(std::span<const Event> events, std::size_t before, const std::string &sock)
{
    before = std::min(before, events.size());
    for (std::size_t i = before; i-- > 0;) {
        const auto *c = events[i].as<SyscallInfo>();
        if (!c || c->sock != sock)
            continue;
        const std::optional<bool> zero = setsLingerZero(*c);
        if (!zero)
            continue;
        bool failed = false;
        for (std::size_t j = i + 1; j < before; ++j)
            if (const auto *r = events[j].as<ReturnInfo>(); r && r->id == c->id) {
                failed = !r->err.empty();
                break;
            }
        if (!failed)
            return *zero;
    }
    return false;
}

} // namespace sockscope::core
