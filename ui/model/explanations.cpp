// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/model/explanations.h"
#include "core/stream/callkinds.h"

#include "core/model/abortiveclose.h"
#include "ui/model/callexplanations.h"
#include "ui/model/queuefacts.h"
#include "ui/model/timerexplanations.h"

#include <QHash>
#include <QStringList>

#include <algorithm>

namespace sockscope::ui {
namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

struct SyscallRef
{
    const core::SyscallInfo *call = nullptr;
    const core::ReturnInfo *ret = nullptr;
};

// The syscall and its return for a syscall id, searched around index.
SyscallRef findCall(std::span<const core::Event> events, std::int64_t id)
{
    SyscallRef r;
    for (const auto &e : events) {
        if (const auto *s = e.as<core::SyscallInfo>(); s && s->id == id)
            r.call = s;
        else if (const auto *ret = e.as<core::ReturnInfo>(); ret && ret->id == id)
            r.ret = ret;
    }
    return r;
}

QString packetText(const core::PacketInfo &p)
{
    using core::SegmentFlag;
    QStringList parts;
    if (core::hasFlag(p.flags, SegmentFlag::Syn))
        parts << (core::hasFlag(p.flags, SegmentFlag::Ack)
                      ? QStringLiteral("SYN ACK: the listening side accepts the connection request and sends its own "
                                       "initial sequence number.")
                      : QStringLiteral("SYN: a connection request, carrying the sender's initial sequence number."));
    if (core::hasFlag(p.flags, SegmentFlag::Fin))
        parts << QStringLiteral("FIN: the sender will send no more data (close() or shutdown(SHUT_WR)). The peer "
                                "can still send; its next read returns 0 (end of file) once the data before the FIN "
                                "has been read.");
    if (p.len > 0)
        parts << QStringLiteral("Carries %1 bytes of data, which wait in the receiver's receive queue until the "
                                "application reads them.")
                     .arg(p.len);
    if (parts.isEmpty() && core::isPureAck(p))
        parts << QStringLiteral("A pure ACK: it only confirms what the sender has received (everything before "
                                "ack=%1).")
                     .arg(p.ack);
    return parts.join(QLatin1Char(' '));
}

// The sizes of one queue report, each sentence only about what the run shows: "bytes" are data the
// application wrote or has still to read; the kernel's figures also count a SYN or a FIN as one.
QString queueText(std::span<const core::Event> events, std::size_t index, const core::QueueInfo &qi)
{
    const QueueFacts f = queueFactsBefore(events, index, qi.sock);
    QStringList parts;
    const std::int64_t unread = std::min(qi.recvQ, f.unreadData);
    if (unread > 0)
        parts << QStringLiteral("%1 bytes received but not yet read by the application: closing the socket now "
                                "would send a RST instead of a FIN.")
                     .arg(unread);
    if (qi.recvQ > unread)
        parts << (f.finReceived ? QStringLiteral("The kernel's receive-queue figure (%1) also counts the peer's FIN "
                                                 "as one.")
                                : QStringLiteral("The kernel's receive-queue figure is %1."))
                     .arg(qi.recvQ);
    const std::int64_t unacked = std::min(qi.sendQ, f.unackedData);
    if (unacked > 0)
        parts << QStringLiteral("%1 bytes sent by the application but not yet acknowledged by the peer.").arg(unacked);
    if (qi.sendQ > unacked)
        parts << QStringLiteral("The kernel's send-queue figure (%1) counts sequence numbers waiting for an "
                                "acknowledgement (a SYN or a FIN is one), not only data.")
                     .arg(qi.sendQ);
    if (parts.isEmpty())
        parts << QStringLiteral("Both queues are empty: nothing received is waiting to be read, nothing sent is "
                                "waiting for an acknowledgement.");
    return parts.join(QLatin1Char(' '));
}

QString para(const QString &title, const QString &body)
{
    return QStringLiteral("<p><b>%1</b><br>%2</p>").arg(title.toHtmlEscaped(), body.toHtmlEscaped());
}

} // namespace

QString errnoExplanation(const QString &err, const QString &call)
{
    static const QHash<QString, QString> texts = {
        {QStringLiteral("ECONNRESET"),
         QStringLiteral("Connection reset by peer: a RST arrived for this connection. The peer aborted it (close() "
                        "with unread data, SO_LINGER 0, or it had already closed and received more data). Data not "
                        "yet read is lost; every later call on this socket fails.")},
        {QStringLiteral("EPIPE"),
         QStringLiteral("Broken pipe: you wrote to a connection that can no longer send, because the peer reset it "
                        "or you shut down your own sending side. Unless MSG_NOSIGNAL was given, the kernel also "
                        "raises SIGPIPE, whose default action kills the process.")},
        {QStringLiteral("ECONNREFUSED"),
         QStringLiteral("Connection refused: nobody listens on that port, so the peer's kernel answered the SYN "
                        "with a RST. A non-blocking connect reports it later, through SO_ERROR.")},
        {QStringLiteral("EAGAIN"),
         QStringLiteral("Try again: the socket is non-blocking and the call would have to wait (no data to read, "
                        "no room in the send buffer, no connection to accept). Nothing happened; retry when "
                        "poll/epoll says the socket is ready.")},
        {QStringLiteral("EWOULDBLOCK"),
         QStringLiteral("Same as EAGAIN on Linux: the non-blocking call would have had to wait.")},
        {QStringLiteral("EINPROGRESS"),
         QStringLiteral("Operation in progress: a non-blocking connect() sent the SYN and returned at once. The "
                        "handshake goes on in the kernel; wait for the socket to become writable, then read "
                        "SO_ERROR to learn whether it succeeded.")},
        {QStringLiteral("ENOTCONN"),
         QStringLiteral("Not connected: the call needs an established connection, but this socket never "
                        "connected, or its connection is already gone.")},
        {QStringLiteral("EISCONN"), QStringLiteral("Already connected: connect() on a socket that is connected.")},
        {QStringLiteral("EALREADY"), QStringLiteral("A non-blocking connect() is already in progress on this socket.")},
        {QStringLiteral("EADDRINUSE"),
         QStringLiteral("Address in use: another socket is bound to this address and port (often a connection in "
                        "TIME_WAIT; SO_REUSEADDR lets a server bind anyway).")},
        {QStringLiteral("EBADF"),
         QStringLiteral("Bad file descriptor: the fd is not open (for example it was already closed).")},
        {QStringLiteral("EINVAL"), QStringLiteral("Invalid argument for this socket in its current state.")},
        {QStringLiteral("ETIMEDOUT"),
         QStringLiteral("Timed out: the peer never answered, even after the kernel's retransmissions.")},
        {QStringLiteral("EINTR"),
         QStringLiteral("Interrupted: a signal was caught by a handler while the call was waiting. A handler "
                        "installed with SA_RESTART makes the kernel restart accept(), recv() or connect() instead, "
                        "but Linux never restarts a call with an SO_RCVTIMEO/SO_SNDTIMEO timeout, nor poll(), "
                        "select() or epoll_wait(): code that blocks must retry on EINTR.")},
    };
    QString text = texts.value(err);
    if (!text.isEmpty() && err == QLatin1String("ECONNRESET") && core::writesData(call.toStdString()))
        text += QStringLiteral(" A write meets the RST as ECONNRESET only for the first call after it; the next "
                               "write gets EPIPE.");
    return text;
}

QString stateExplanation(core::TcpState state)
{
    using S = core::TcpState;
    switch (state) {
    case S::Closed:
        return QStringLiteral("CLOSED: no connection. The socket is new, or its connection has ended.");
    case S::Listen:
        return QStringLiteral("LISTEN: a server socket waiting for connection requests (SYNs).");
    case S::SynSent:
        return QStringLiteral("SYN_SENT: connect() sent a SYN and waits for the SYN ACK.");
    case S::SynReceived:
        return QStringLiteral("SYN_RECEIVED: the server got a SYN and answered SYN ACK; it waits for the final ACK "
                              "of the three-way handshake.");
    case S::Established:
        return QStringLiteral("ESTABLISHED: the connection is open; both sides can send and receive.");
    case S::FinWait1:
        return QStringLiteral("FIN_WAIT_1: this side closed first and sent a FIN; it waits for that FIN to be "
                              "acknowledged.");
    case S::FinWait2:
        return QStringLiteral("FIN_WAIT_2: our FIN was acknowledged; we wait for the peer's FIN. The peer may still "
                              "send data.");
    case S::CloseWait:
        return QStringLiteral("CLOSE_WAIT: the peer sent a FIN (it will send no more). Reads return 0 after the "
                              "remaining data; this side should now call close().");
    case S::Closing:
        return QStringLiteral("CLOSING: both sides sent a FIN at the same time (simultaneous close); we wait for the "
                              "ACK of ours.");
    case S::LastAck:
        return QStringLiteral("LAST_ACK: we closed after the peer did, sent our FIN, and wait for its ACK.");
    case S::TimeWait:
        return QStringLiteral(
            "TIME_WAIT: the side that closed first waits (60 s on Linux) so that late segments of "
            "this connection cannot be mistaken for a new one, and to resend the last ACK if needed.");
    }
    return {};
}

QString signalExplanation(const QString &signal)
{
    if (signal == QLatin1String("SIGPIPE"))
        return QStringLiteral(
            "SIGPIPE: raised when a process writes to a connection that cannot send any more. Its "
            "default action is to terminate the process, silently. Servers ignore it (signal(SIGPIPE, "
            "SIG_IGN)) or pass MSG_NOSIGNAL to send(), and then handle the EPIPE error instead. "
            "sockscope blocks it, so the actor survives and you can see it, unless the scenario asks for the default "
            "action ('sigpipe: default'): then the actor's process ends in that write.");
    if (signal == QLatin1String("SIGKILL"))
        return QStringLiteral("SIGKILL: the process is ended at once; it cannot catch, block or ignore it. The call "
                              "it was in never returns; the kernel closes its descriptors.");
    if (signal == QLatin1String("SIGALRM") || signal == QLatin1String("SIGUSR1"))
        return QStringLiteral(
                   "%1: sent by another actor and caught by a handler. A blocked call either fails with EINTR or, "
                   "with SA_RESTART, is restarted; without a handler the default action would end the process.")
            .arg(signal);
    return QStringLiteral("%1: a signal was delivered to the actor during this call.").arg(signal);
}

namespace {

// A derived change to CLOSED that no segment or call of the socket itself made: a kernel timer's work, which sends
// nothing (docs/events.md, "How states are derived"). Empty for every other change.
QString timerCloseText(std::span<const core::Event> events, const core::StateInfo &s)
{
    if (s.source != core::StateSource::Derived || s.to != core::TcpState::Closed)
        return {};
    if (s.cause < 0 && s.from == core::TcpState::TimeWait)
        return QStringLiteral("The TIME_WAIT timer expired: after 2 MSL (60 s, fixed on Linux) the kernel forgets the "
                              "connection, sending nothing.");
    if (s.cause < 0 && s.from == core::TcpState::FinWait2)
        return QStringLiteral("The orphaned FIN_WAIT_2 timed out (net.ipv4.tcp_fin_timeout): the kernel dropped the "
                              "connection, sending nothing; a FIN the peer sends later meets a RST.");
    if (s.cause < 0 || static_cast<std::size_t>(s.cause) >= events.size())
        return {};
    const core::Event &cause = events[static_cast<std::size_t>(s.cause)];
    const auto *p = cause.as<core::PacketInfo>();
    const auto *r = cause.as<core::ReturnInfo>();
    const bool ownSegment = p && p->from == s.sock && !core::hasFlag(p->flags, core::SegmentFlag::Rst);
    if (!ownSegment && !(r && r->err == "ETIMEDOUT"))
        return {};
    return QStringLiteral("A timer gave up on the connection: its retransmissions (tcp_retries2 or TCP_USER_TIMEOUT) "
                          "or keepalive probes went unanswered. Nothing is sent; the next call fails with "
                          "ETIMEDOUT.");
}

} // namespace

QString rstCauseExplanation(RstCause cause)
{
    switch (cause) {
    case RstCause::ConnectionRefused:
        return QStringLiteral("No socket listens on the destination port, so the kernel answers the SYN with a RST: "
                              "the connection is refused (connect() fails with ECONNREFUSED).");
    case RstCause::ClosedWithUnreadData:
        return QStringLiteral("close() was called while received data was still unread in the receive queue. TCP "
                              "then aborts the connection with a RST instead of a FIN (RFC 2525), so the peer learns "
                              "that its data was not consumed. The peer's next call fails with ECONNRESET.");
    case RstCause::LingerZero:
        return QStringLiteral("SO_LINGER was set to {on, 0 seconds}, so close() aborts: the kernel discards both "
                              "queues and sends a RST instead of a FIN. No TIME_WAIT is left behind.");
    case RstCause::Disconnected:
        return QStringLiteral("connect() with AF_UNSPEC dissolved the connection (tcp_disconnect): the kernel "
                              "sends a RST to the peer and the socket is CLOSED, free to connect again. The peer's "
                              "next call fails with ECONNRESET.");
    case RstCause::SegmentToClosedSocket:
        return QStringLiteral("A segment arrived for a socket that is already closed (no process can read it any "
                              "more), so the kernel answers with a RST.");
    case RstCause::Unknown:
        break;
    }
    return QStringLiteral("A RST aborts the connection at once: queued data is discarded and the peer's next call "
                          "fails (ECONNRESET or EPIPE).");
}

RstCause classifyRst(std::span<const core::Event> events, std::size_t index)
{
    if (index >= events.size())
        return RstCause::Unknown;
    const auto *rst = events[index].as<core::PacketInfo>();
    if (!rst || !core::hasFlag(rst->flags, core::SegmentFlag::Rst))
        return RstCause::Unknown;
    const auto before = events.first(index);
    if (rst->from.empty()) {
        for (const auto &e : before)
            if (const auto *p = e.as<core::PacketInfo>();
                p && p->dst == rst->src && core::hasFlag(p->flags, core::SegmentFlag::Syn))
                return RstCause::ConnectionRefused;
        return RstCause::SegmentToClosedSocket;
    }
    const std::string &sock = rst->from;
    // SO_LINGER {on, 0 s} as it stood when the RST was sent: the last setting decides (core's one rule).
    const bool lingerZero = core::lingerZeroBefore(before, before.size(), sock);
    const core::SyscallInfo *lastCall = nullptr;
    std::int64_t closedAt = -1; // index of the close() on sock
    for (std::size_t i = 0; i < before.size(); ++i)
        if (const auto *s = before[i].as<core::SyscallInfo>(); s && s->sock == sock) {
            lastCall = s;
            if (s->call == "close")
                closedAt = static_cast<std::int64_t>(i);
        }
    // Data or a FIN reached the socket after its close(): nobody can read it, the kernel answers with a RST.
    if (closedAt >= 0) {
        for (std::size_t i = static_cast<std::size_t>(closedAt) + 1; i < before.size(); ++i) {
            const auto *p = before[i].as<core::PacketInfo>();
            if (p && p->to == sock && (p->len > 0 || core::hasFlag(p->flags, core::SegmentFlag::Fin)))
                return lingerZero ? RstCause::LingerZero : RstCause::SegmentToClosedSocket;
        }
    }
    if (lastCall && lastCall->call == "connect" && callArg(*lastCall, "addr") == "AF_UNSPEC")
        return RstCause::Disconnected;
    if (lastCall && lastCall->call == "close") {
        if (lingerZero)
            return RstCause::LingerZero;
        if (queueFactsBefore(events, index, sock).unreadData > 0)
            return RstCause::ClosedWithUnreadData;
        return RstCause::SegmentToClosedSocket;
    }
    return RstCause::Unknown;
}

QString explainEvent(std::span<const core::Event> events, std::size_t index)
{
    if (index >= events.size())
        return {};
    const core::Event &e = events[index];
    switch (e.kind()) {
    case core::EventKind::Syscall:
    case core::EventKind::Return: {
        const std::int64_t id =
            e.kind() == core::EventKind::Syscall ? e.as<core::SyscallInfo>()->id : e.as<core::ReturnInfo>()->id;
        const SyscallRef ref = findCall(events, id);
        if (!ref.call)
            return {};
        const QString call = q(ref.call->call);
        if (!ref.ret)
            return para(call, QStringLiteral("The call has not returned yet: it is blocked, waiting in the kernel."));
        if (ref.ret->err.empty()) {
            const QString what = callExplanation(*ref.call, *ref.ret);
            return para(QStringLiteral("%1 = %2").arg(call).arg(ref.ret->ret),
                        what.isEmpty() ? QStringLiteral("The call succeeded.") : what);
        }
        const QString err = q(ref.ret->err);
        QString text = errnoExplanation(err, call);
        return para(QStringLiteral("%1 = -1 %2").arg(call, err),
                    text.isEmpty() ? QStringLiteral("The call failed.") : text);
    }
    case core::EventKind::Signal:
        return para(q(e.as<core::SignalInfo>()->signal), signalExplanation(q(e.as<core::SignalInfo>()->signal)));
    case core::EventKind::Packet: {
        const auto &p = *e.as<core::PacketInfo>();
        const QString title = q(core::flagsText(p.flags));
        if (core::hasFlag(p.flags, core::SegmentFlag::Rst))
            return para(QStringLiteral("Why this RST?"), rstCauseExplanation(classifyRst(events, index)));
        return para(title, packetText(p));
    }
    case core::EventKind::State: {
        const auto &s = *e.as<core::StateInfo>();
        QString text = stateExplanation(s.to);
        if (const QString timer = timerCloseText(events, s); !timer.isEmpty())
            text += QLatin1Char(' ') + timer;
        if (s.source == core::StateSource::Kernel)
            text += QStringLiteral(" (Seen in a kernel snapshot.)");
        if (s.conflict)
            text += QStringLiteral(" The kernel's state contradicts the derived state %1.")
                        .arg(q(std::string(core::stateName(s.derived))));
        return para(QStringLiteral("%1 -> %2")
                        .arg(q(std::string(core::stateName(s.from))), q(std::string(core::stateName(s.to)))),
                    text);
    }
    case core::EventKind::Queue: {
        const auto &qi = *e.as<core::QueueInfo>();
        return para(QStringLiteral("Queues of %1").arg(q(qi.sock)), queueText(events, index, qi));
    }
    case core::EventKind::Timer: {
        const auto &t = *e.as<core::TimerInfo>();
        return para(QStringLiteral("The kernel's timer of %1").arg(q(t.sock)), timerExplanation(t));
    }
    case core::EventKind::Check: {
        const auto &c = *e.as<core::CheckInfo>();
        return para(c.ok ? QStringLiteral("Expectation met") : QStringLiteral("Expectation NOT met"),
                    QStringLiteral("expected %1, got %2").arg(q(c.expected), q(c.got)));
    }
    default:
        return {};
    }
}

} // namespace sockscope::ui
