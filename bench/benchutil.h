// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: small helpers shared by the core benchmarks (timing, medians, steps built in code).

#include "core/scenario/scenario.h"

#include <algorithm>
#include <chrono>
#include <vector>

namespace sockscope::bench {

inline double nowMs()
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

inline double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

inline core::Step makeStep(core::Call call, const std::string &sock, const std::string &assign = {},
                           std::int64_t number = 0)
{
    core::Step s;
    s.call = call;
    s.sock = sock;
    s.assign = assign;
    s.number = number;
    s.addr = core::SockAddr{"127.0.0.1", 5000, false};
    return s;
}

} // namespace sockscope::bench
