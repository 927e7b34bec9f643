// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/timerwatch.h"

namespace sockscope::core {

TimerSample timerSample(const DiagRecord &rec, const DiagSocket &d)
{
    return {rec.t0Ns, rec.t1Ns, d.state, d.timer, d.timerRetrans, d.timerExpiresMs};
}

std::optional<TimerInfo> TimerWatch::see(std::uint64_t sock, const TimerSample &sample)
{
    // A CLOSE sample is a full socket on its way out (or handing over to a TIME_WAIT minisocket): no timer of it
    // means anything any more.
    if (sample.state == TcpState::Closed)
        return std::nullopt;
    TimerSample now = sample;
    const auto found = m_last.find(sock);
    // The retransmit timer runs whenever data, a SYN or a FIN is in flight and restarts at every ACK, so it is
    // shown from its first expiry on (count 1): before that it reads as no timer. A keepalive timer stays armed
    // underneath it meanwhile (inet_diag reports one timer, the retransmit one first): it reads as unchanged.
    if (now.kind == TimerKind::Retransmit && now.retrans == 0) {
        if (found != m_last.end() && found->second.kind == TimerKind::Keepalive)
            return std::nullopt;
        now.kind = TimerKind::Off;
        now.expiresMs = 0;
    }
    if (found == m_last.end()) {
        m_last.emplace(sock, now);
        if (now.kind == TimerKind::Off)
            return std::nullopt;
        return TimerInfo{{},
                         now.kind,
                         now.kind == TimerKind::Retransmit ? TimerChange::Backoff : TimerChange::Armed,
                         now.expiresMs,
                         now.retrans,
                         0};
    }
    const TimerSample before = found->second;
    found->second = now;
    TimerInfo out{{}, now.kind, TimerChange::Armed, now.expiresMs, now.retrans, 0};
    if (now.kind == TimerKind::Off)
        return before.kind == TimerKind::Off
                   ? std::nullopt
                   : std::optional(TimerInfo{{}, TimerKind::Off, TimerChange::Stopped, 0, 0, 0});
    // The retransmit timer appears at its first expiry: that is a backoff, from whatever was shown before.
    if (now.kind == TimerKind::Retransmit && (before.kind != now.kind || now.retrans > before.retrans)) {
        out.change = TimerChange::Backoff;
        return out;
    }
    // Another kind, or the same kind in another state (an orphan's FIN_WAIT_2 minisocket entering TIME_WAIT gets
    // a fresh 60 s: that is TIME_WAIT's timer starting, not a restart).
    if (before.kind != now.kind || before.state != now.state)
        return out;
    if (now.retrans > before.retrans) {
        out.change = TimerChange::Backoff;
        return out;
    }
    // Due later than the previous sample said, by more than the two samples' uncertainty. A timer already due
    // reads 0 ms left until its work runs: that is lateness, not a restart.
    const std::int64_t predictedNs = before.t1Ns + before.expiresMs * 1'000'000;
    const std::int64_t dueNs = now.t0Ns + now.expiresMs * 1'000'000;
    if (now.expiresMs > 0 && dueNs - predictedNs > kSlackNs) {
        out.change = TimerChange::Restarted;
        out.movedMs = (dueNs - predictedNs) / 1'000'000;
        return out;
    }
    return std::nullopt;
}

} // namespace sockscope::core
