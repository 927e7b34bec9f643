// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: turns each socket's pending timer, as successive sock_diag samples report it, into the few timer events
// worth showing (docs/events.md, "Timers"): another kind armed, stopped, restarted (due later than the previous
// sample said), or backed off (its count went up). Never one event per sample.
// Thread-safety: a plain value, used by the event builder's thread only.

#include "core/model/rawrecords.h"
#include "core/stream/event.h"

#include <cstdint>
#include <optional>
#include <unordered_map>

namespace sockscope::core {

// One socket's timer in one sock_diag dump, which ran during [t0Ns, t1Ns] (absolute ns).
struct TimerSample
{
    std::int64_t t0Ns = 0, t1Ns = 0;
    TcpState state = TcpState::Closed; // the kernel's state in the same dump
    TimerKind kind = TimerKind::Off;
    std::int64_t retrans = 0;
    std::int64_t expiresMs = 0;
};

// The timer of socket d in the dump rec.
TimerSample timerSample(const DiagRecord &rec, const DiagSocket &d);

class TimerWatch
{
public:
    // Two samples of one untouched timer predict the same expiry within the dumps' own durations plus this
    // (inet_diag reports whole milliseconds of jiffies: 10 ms at HZ=100, the coarsest Linux uses).
    static constexpr std::int64_t kSlackNs = 10'000'000;

    // The event a sample of a socket's timer makes (its sock left empty for the caller), or nothing. key: any
    // number that tells the sockets apart (the event builder's socket index, the sampler's cookie).
    std::optional<TimerInfo> see(std::uint64_t key, const TimerSample &sample);

private:
    std::unordered_map<std::uint64_t, TimerSample> m_last; // per socket: the last sample that counted
};

} // namespace sockscope::core
