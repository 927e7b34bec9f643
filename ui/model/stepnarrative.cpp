// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/model/stepnarrative.h"
#include "core/stream/callkinds.h"

#include "core/model/abortiveclose.h"
#include "ui/model/callexplanations.h"
#include "ui/model/explanations.h"
#include "ui/model/queuefacts.h"

#include <QCoreApplication>

#include <unordered_map>

namespace sockscope::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("StepNarrative", text);
}
QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}
bool isStep(const core::Event &e)
{
    return e.kind() == core::EventKind::Step;
}

// A segment with `flag` sent by `sock` within events[from..last].
bool sentFlag(std::span<const core::Event> events, int from, int last, const std::string &sock, core::SegmentFlag flag)
{
    for (int i = from; i <= last; ++i)
        if (const auto *p = events[static_cast<size_t>(i)].as<core::PacketInfo>();
            p && p->from == sock && core::hasFlag(p->flags, flag))
            return true;
    return false;
}

// A RST that reached `sock` before event index `before`.
bool rstReachedBefore(std::span<const core::Event> events, int before, const std::string &sock)
{
    for (int i = 0; i < before; ++i)
        if (const auto *p = events[static_cast<size_t>(i)].as<core::PacketInfo>();
            p && p->to == sock && core::hasFlag(p->flags, core::SegmentFlag::Rst))
            return true;
    return false;
}

// A shutdown(SHUT_WR or SHUT_RDWR) of `sock` before event index `before`.
bool shutWriteBefore(std::span<const core::Event> events, int before, const std::string &sock)
{
    for (int i = 0; i < before; ++i)
        if (const auto *c = events[static_cast<size_t>(i)].as<core::SyscallInfo>();
            c && c->sock == sock && c->call == "shutdown")
            for (const auto &a : c->args)
                if (a.value == "SHUT_WR" || a.value == "SHUT_RDWR")
                    return true;
    return false;
}

QString callText(const core::SyscallInfo &c)
{
    return qs(c.call) + QStringLiteral("()");
}

QString blockedText(const core::SyscallInfo &c)
{
    if (c.call == "connect")
        return tr("%1 blocks: no SYN-ACK came back yet, the socket waits in SYN_SENT.").arg(callText(c));
    if (c.call == "accept" || c.call == "accept4")
        return tr("%1 blocks: the accept queue is empty, it waits for a completed connection.").arg(callText(c));
    if (core::readsData(c.call))
        return tr("%1 blocks: the receive queue is empty, it waits for data or a FIN.").arg(callText(c));
    if (c.call == "select")
        return tr("%1 blocks: the descriptor is not ready yet; it waits until it is or the timeout passes.")
            .arg(callText(c));
    if (core::writesData(c.call))
        return tr("%1 blocks: the send buffer is full, it waits for the peer to read.").arg(callText(c));
    return tr("%1 blocks: it has not returned yet; a later step will release it.").arg(callText(c));
}

QString closeText(std::span<const core::Event> events, int callIndex, int last, const core::SyscallInfo &c)
{
    if (c.sock.empty())
        return {};
    const std::int64_t unread = queueFactsBefore(events, static_cast<size_t>(callIndex), c.sock).unreadData;
    const bool rst = sentFlag(events, callIndex, last, c.sock, core::SegmentFlag::Rst);
    if (unread > 0 && rst)
        return tr("close() with %1 unread bytes: the kernel discards them and sends RST instead of FIN.").arg(unread);
    if (rst && core::lingerZeroBefore(events, static_cast<std::size_t>(callIndex), c.sock))
        return tr("close() with SO_LINGER {1, 0}: an abortive close, the kernel sends RST and drops the connection.");
    if (sentFlag(events, callIndex, last, c.sock, core::SegmentFlag::Fin))
        return tr("close() sends a FIN: %1 has nothing more to send.").arg(qs(c.sock));
    return {};
}

// Why a write failed with EPIPE, from what reached or was done to its socket before the return at `index`.
QString epipeText(std::span<const core::Event> events, int index, const core::SyscallInfo &c, bool sigpipe)
{
    QString why;
    if (rstReachedBefore(events, index, c.sock))
        why = tr("a RST from the peer had reset the connection");
    else if (shutWriteBefore(events, index, c.sock))
        why = tr("this socket had shut down its own sending direction (shutdown SHUT_WR)");
    else
        why = tr("the connection can no longer send");
    return sigpipe ? tr("%1; the kernel raised SIGPIPE, which kills a process that does not ignore it.").arg(why)
                   : tr("%1; no SIGPIPE was raised.").arg(why);
}

QString returnText(std::span<const core::Event> events, int index, const core::SyscallInfo &c,
                   const core::ReturnInfo &r, bool sigpipe)
{
    const QString call = callText(c);
    if (r.err.empty()) {
        if (core::readsData(c.call) && r.ret == 0) {
            if (queueFactsBefore(events, static_cast<size_t>(index), c.sock).finReceived)
                return tr("%1 = 0: end of stream, the peer's FIN had arrived.").arg(call);
            if (rstReachedBefore(events, index, c.sock))
                return tr("%1 = 0: the connection was reset and its error already reported; a reset socket reads "
                          "as end of stream.")
                    .arg(call);
            return tr("%1 = 0: end of stream.").arg(call);
        }
        if (c.call == "connect" && r.ret == 0)
            return tr("connect() = 0: the three-way handshake completed.");
        if (c.call == "accept" && r.ret >= 0)
            return tr("accept() = %1: a completed connection was taken off the accept queue.").arg(r.ret);
        if (QString what = callExplanation(c, r); !what.isEmpty())
            return what;
        if (core::writesData(c.call) && r.ret > 0)
            return tr("%1 = %2: the bytes were copied into the send queue; the call does not wait for the peer.")
                .arg(call)
                .arg(r.ret);
        return {};
    }
    const QString head = QStringLiteral("%1 = -1 %2").arg(call, qs(r.err));
    if (r.err == "EPIPE")
        return head + QStringLiteral(": ") + epipeText(events, index, c, sigpipe);
    if (r.err == "ECONNRESET" && rstReachedBefore(events, index, c.sock))
        return tr("%1: a RST had arrived from the peer; the connection is gone and its data with it.").arg(head);
    if (r.err == "ECONNREFUSED")
        return tr("%1: nobody listens on that port; the kernel answered the SYN with RST.").arg(head);
    const QString why = errnoExplanation(qs(r.err), qs(c.call));
    return why.isEmpty() ? head + QLatin1Char('.') : head + QStringLiteral(": ") + why;
}

QString stateText(const core::StateInfo &s, bool byRst)
{
    const QString sock = qs(s.sock);
    using core::TcpState;
    switch (s.to) {
    case TcpState::CloseWait:
        return tr("The FIN arrived: %1 moves to CLOSE_WAIT; recv() will return 0.").arg(sock);
    case TcpState::FinWait2:
        return tr("The FIN was acknowledged: %1 waits in FIN_WAIT_2 for the peer's FIN.").arg(sock);
    case TcpState::TimeWait:
        return tr("%1 enters TIME_WAIT: it stays 2 MSL (60 s on Linux) so that late segments die.").arg(sock);
    case TcpState::Closing:
        return tr("The FINs crossed: %1 is in CLOSING, waiting for the ACK of its own FIN.").arg(sock);
    case TcpState::LastAck:
        return tr("%1 sent its FIN after the peer's: LAST_ACK until it is acknowledged.").arg(sock);
    case TcpState::Established:
        return s.from == TcpState::SynSent || s.from == TcpState::SynReceived ? tr("%1 is ESTABLISHED.").arg(sock)
                                                                              : QString();
    case TcpState::Closed:
        return byRst ? tr("A RST reached %1: the connection is reset (CLOSED); the next call on it fails.").arg(sock)
                     : QString();
    default:
        return {};
    }
}

} // namespace

std::pair<int, int> stepRange(std::span<const core::Event> events, int index)
{
    const int n = static_cast<int>(events.size());
    if (n == 0)
        return {-1, -1};
    index = std::clamp(index, 0, n - 1);
    int first = index;
    while (first > 0 && !isStep(events[static_cast<size_t>(first)]))
        --first;
    while (first > 0 && isStep(events[static_cast<size_t>(first - 1)]))
        --first;
    int last = index + 1;
    while (last < n && isStep(events[static_cast<size_t>(last)]) && isStep(events[static_cast<size_t>(last - 1)]))
        ++last;
    while (last < n && !isStep(events[static_cast<size_t>(last)]))
        ++last;
    if (!isStep(events[static_cast<size_t>(first)]))
        first = 0; // before the first step
    return {first, last - 1};
}

QStringList narrateEvents(std::span<const core::Event> events, int first, int last)
{
    QStringList out;
    if (first < 0 || last < first || last >= static_cast<int>(events.size()))
        return out;
    std::unordered_map<std::int64_t, int> calls; // syscall id -> event index, within the range
    std::unordered_map<std::int64_t, bool> sigpipe;
    for (int i = first; i <= last; ++i)
        if (const auto *s = events[static_cast<size_t>(i)].as<core::SignalInfo>(); s && s->signal == "SIGPIPE")
            sigpipe[s->during] = true;
    // A call whose return is not in the range (nor later in the stream) is blocked at the range's end.
    std::unordered_map<std::int64_t, bool> returned;
    for (size_t i = static_cast<size_t>(first); i < events.size(); ++i)
        if (const auto *r = events[i].as<core::ReturnInfo>())
            returned[r->id] = static_cast<int>(i) <= last;
    for (int i = first; i <= last; ++i) {
        const core::Event &e = events[static_cast<size_t>(i)];
        if (const auto *c = e.as<core::SyscallInfo>()) {
            calls[c->id] = i;
            if (c->call == "close") {
                if (QString t = closeText(events, i, last, *c); !t.isEmpty())
                    out << t;
            }
            if (!returned[c->id])
                out << blockedText(*c);
        } else if (const auto *r = e.as<core::ReturnInfo>()) {
            const auto it = calls.find(r->id);
            if (it == calls.end()) {
                // A call of an earlier step returned now: it was released by this one.
                for (int j = first - 1; j >= 0; --j)
                    if (const auto *c = events[static_cast<size_t>(j)].as<core::SyscallInfo>(); c && c->id == r->id) {
                        out << tr("The %1 blocked since an earlier step returns now.").arg(callText(*c));
                        if (QString t = returnText(events, i, *c, *r, sigpipe[r->id]); !t.isEmpty())
                            out << t;
                        break;
                    }
                continue;
            }
            const auto &c = *events[static_cast<size_t>(it->second)].as<core::SyscallInfo>();
            if (QString t = returnText(events, i, c, *r, sigpipe[r->id]); !t.isEmpty())
                out << t;
        } else if (const auto *s = e.as<core::StateInfo>(); s && s->source == core::StateSource::Derived) {
            bool byRst = false;
            if (s->cause >= 0)
                for (int j = i; j >= first; --j)
                    if (events[static_cast<size_t>(j)].n == s->cause)
                        if (const auto *p = events[static_cast<size_t>(j)].as<core::PacketInfo>())
                            byRst = core::hasFlag(p->flags, core::SegmentFlag::Rst) && p->to == s->sock;
            if (QString t = stateText(*s, byRst); !t.isEmpty())
                out << t;
        } else if (const auto *ck = e.as<core::CheckInfo>(); ck && !ck->ok) {
            out << tr("Expected %1 but the kernel gave %2.").arg(qs(ck->expected), qs(ck->got));
        }
    }
    out.removeDuplicates();
    return out;
}

} // namespace sockscope::ui
