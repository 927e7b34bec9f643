// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: small helpers shared by the core benchmarks (timing, medians, steps built in code).

#include "core/scenario/scenario.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <time.h>
#include <vector>

namespace sockscope::bench {

inline double nowMs()
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// CPU time of the whole process (every thread, user and system), which a loaded machine changes far less than
// the wall clock: the recording benchmark's second figure.
inline double cpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

inline double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// A figure over repeats, as docs/performance.md gives it: "median (min-max)".
struct Spread
{
    double median = 0, min = 0, max = 0;
};

inline Spread spread(std::vector<double> v)
{
    if (v.empty())
        return {};
    std::sort(v.begin(), v.end());
    return {v[v.size() / 2], v.front(), v.back()};
}

inline std::string format(const Spread &s, int decimals = 1)
{
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.*f (%.*f-%.*f)", decimals, s.median, decimals, s.min, decimals, s.max);
    return buf;
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
