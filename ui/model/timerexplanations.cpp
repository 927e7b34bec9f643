// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/model/timerexplanations.h"

#include "core/stream/eventtext.h"

namespace sockscope::ui {

namespace {

QString left(const core::TimerInfo &t)
{
    return QString::fromStdString(core::timerDurationText(t.expiresMs));
}

QString armedText(const core::TimerInfo &t)
{
    using K = core::TimerKind;
    switch (t.timer) {
    case K::TimeWait:
        return QStringLiteral("The socket waits in TIME_WAIT for 2 MSL (60 s, fixed on Linux; %1 left), remembering "
                              "the connection so that a retransmitted FIN can still be answered with an ACK and late "
                              "segments are not taken for a new connection. An orphaned FIN_WAIT_2 waits on the same "
                              "timer (net.ipv4.tcp_fin_timeout).")
            .arg(left(t));
    case K::Keepalive:
        return QStringLiteral("The keepalive timer (SO_KEEPALIVE): when the connection has been idle this long (%1 "
                              "left) the kernel sends a probe. An orphaned FIN_WAIT_2 longer than 60 s uses the same "
                              "timer.")
            .arg(left(t));
    case K::Persist:
        return QStringLiteral("The peer advertises a zero window: the persist timer sends a zero-window probe in %1 "
                              "to learn when it opens again.")
            .arg(left(t));
    case K::Retransmit:
    case K::Off:
        break;
    }
    return {};
}

QString backoffText(const core::TimerInfo &t)
{
    if (t.timer == core::TimerKind::Retransmit)
        return QStringLiteral("The retransmission timer expired with data, a SYN or a FIN unacknowledged: the kernel "
                              "sent it again (retransmission %1) and doubled the timeout (exponential backoff, RFC "
                              "6298 5.5): the next expiry is in %2. A first resend about 200 ms after the original "
                              "may be a tail loss probe, which counts nothing.")
            .arg(t.retrans)
            .arg(left(t));
    return QStringLiteral("A probe went unanswered: probe %1 was sent and the next one is due in %2. When the probes "
                          "run out the connection is dropped and the next call fails with ETIMEDOUT.")
        .arg(t.retrans)
        .arg(left(t));
}

} // namespace

QString timerExplanation(const core::TimerInfo &t)
{
    switch (t.change) {
    case core::TimerChange::Armed:
        return armedText(t);
    case core::TimerChange::Backoff:
        return backoffText(t);
    case core::TimerChange::Stopped:
        return QStringLiteral("No timer is pending any more: what it waited for was acknowledged, or the connection "
                              "ended.");
    case core::TimerChange::Restarted:
        break;
    }
    if (t.timer == core::TimerKind::TimeWait)
        return QStringLiteral(
                   "The TIME_WAIT socket answered a retransmitted FIN with an ACK and started its 60 s again "
                   "(%1 later than it was due; RFC 9293: \"restart the 2 MSL timeout\"): its last ACK may "
                   "be lost too, so a whole TIME_WAIT follows the last ACK it sends. Nothing else is sent "
                   "and the state does not change; only the kernel's timer (sock_diag) shows it.")
            .arg(QString::fromStdString(core::timerDurationText(t.movedMs)));
    if (t.timer == core::TimerKind::Keepalive)
        return QStringLiteral("The keepalive timer fired before the connection had been idle long enough: it was set "
                              "again for the rest of the idle time (%1 left).")
            .arg(left(t));
    return QStringLiteral("The timer was set again, %1 later than it was due.")
        .arg(QString::fromStdString(core::timerDurationText(t.movedMs)));
}

} // namespace sockscope::ui
