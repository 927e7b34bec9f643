// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/model/callexplanations.h"
#include "core/stream/callkinds.h"

#include "core/stream/eventtext.h"

#include <map>

namespace sockscope::ui {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

bool hasFlag(const core::SyscallInfo &call, const std::string &flag, const std::string &key = "flags")
{
    const std::string flags = "|" + callArg(call, key) + "|";
    return flags.find("|" + flag + "|") != std::string::npos;
}

QString nameText(const core::SyscallInfo &c, const core::ReturnInfo &r)
{
    const QString addr = q(r.data.value_or(""));
    if (c.call == "getpeername")
        return QStringLiteral("getpeername() = 0 [%1]: the socket is connected to %1. It fails with ENOTCONN "
                              "before the handshake completes and once the connection is gone.")
            .arg(addr);
    if (addr.startsWith(QLatin1String("0.0.0.0:")) || addr.startsWith(QLatin1String("[::]:")))
        return QStringLiteral("getsockname() = 0 [%1]: bound to the wildcard address; a connection accepted on it "
                              "has the concrete local address it arrived on.")
            .arg(addr);
    return QStringLiteral("getsockname() = 0 [%1]: the local address and port the kernel gave the socket (an "
                          "ephemeral port when bind() asked for port 0 or connect() chose it).")
        .arg(addr);
}

QString recvText(const core::SyscallInfo &c, const core::ReturnInfo &r)
{
    if (hasFlag(c, "MSG_OOB"))
        return QStringLiteral("recv(MSG_OOB) = %1: the urgent byte, kept apart from the stream (without "
                              "SO_OOBINLINE). TCP has one urgent pointer, so only the last urgent byte sent is kept.")
            .arg(r.ret);
    if (hasFlag(c, "MSG_TRUNC"))
        return QStringLiteral("recv(MSG_TRUNC) = %1: on TCP the %1 bytes are taken off the receive queue and "
                              "discarded, not copied.")
            .arg(r.ret);
    if (hasFlag(c, "MSG_WAITALL"))
        return QStringLiteral("recv(MSG_WAITALL) = %1: the call waited until the whole length had arrived (or an "
                              "end of stream, error or signal cut it short).")
            .arg(r.ret);
    return {};
}

QString epollText(const core::SyscallInfo &c, const core::ReturnInfo &r)
{
    if (c.call == "epoll_create")
        return QStringLiteral("epoll_create() = %1: a new epoll instance, an interest list kept in the kernel. "
                              "Sockets are added with epoll_ctl(); every epoll_wait() on it reports from that list.")
            .arg(r.ret);
    if (c.call == "epoll_ctl") {
        const std::string op = callArg(c, "op");
        const QString events = q(callArg(c, "events"));
        if (op == "DEL")
            return QStringLiteral("epoll_ctl(DEL) = 0: the socket is no longer watched by this instance.");
        QString text = op == "ADD" ? QStringLiteral("epoll_ctl(ADD) = 0: the socket is watched for %1.").arg(events)
                                   : QStringLiteral("epoll_ctl(MOD) = 0: the socket's events are now %1, and it "
                                                    "is armed again.")
                                         .arg(events);
        if (hasFlag(c, "EPOLLET", "events"))
            text += QStringLiteral(" EPOLLET: edge-triggered, a wait reports the socket only when something new "
                                   "arrives, not while data stays unread; read until EAGAIN.");
        if (hasFlag(c, "EPOLLONESHOT", "events"))
            text += QStringLiteral(" EPOLLONESHOT: after one report the socket is disabled until epoll_ctl(MOD) "
                                   "arms it again, so only one thread handles it.");
        return text;
    }
    if (r.ret == 0)
        return QStringLiteral("epoll_wait() = 0: no watched socket is ready. With EPOLLET that includes a socket "
                              "whose unread data was already reported; with EPOLLONESHOT one that has not been "
                              "re-armed.");
    return QStringLiteral("epoll_wait() = %1 [%2]: these sockets are ready, each with its events.")
        .arg(r.ret)
        .arg(q(r.data.value_or("")));
}

// What setting the option does, for the options whose effect a run shows only later (or not at all on the wire).
QString optionText(const std::string &option)
{
    static const std::map<std::string, const char *> kTexts = {
        {"SO_KEEPALIVE", "keepalive probes: after TCP_KEEPIDLE seconds without traffic (7200 by default) the kernel "
                         "sends an empty ACK every TCP_KEEPINTVL seconds; after TCP_KEEPCNT unanswered ones the "
                         "connection is reset and the next call fails with ETIMEDOUT."},
        {"TCP_KEEPIDLE", "seconds of silence before the first keepalive probe (needs SO_KEEPALIVE)."},
        {"TCP_KEEPINTVL", "seconds between keepalive probes."},
        {"TCP_KEEPCNT", "unanswered keepalive probes before the connection is dropped."},
        {"TCP_USER_TIMEOUT", "milliseconds that sent data may stay unacknowledged before the kernel gives up "
                             "(ETIMEDOUT), instead of the tcp_retries2 retransmissions (about 15 minutes)."},
        {"SO_RCVTIMEO", "a blocking receive waits at most this many milliseconds, then fails with EAGAIN."},
        {"SO_SNDTIMEO", "a blocking send waits at most this many milliseconds for room, then fails with EAGAIN "
                        "(or returns the bytes it could queue)."},
        {"TCP_CORK", "while corked the kernel sends only full segments; clearing it (or 200 ms) sends the rest. "
                     "MSG_MORE does the same for one send()."},
        {"TCP_QUICKACK", "the next ACKs are sent at once instead of delayed; the kernel clears it again by itself."},
        {"TCP_DEFER_ACCEPT", "accept() is woken only when data arrives (or after this many seconds), so a server "
                             "does not wake for connections that send nothing."},
        {"SO_REUSEPORT", "several sockets may bind the same address and port (all must set it, same user); the "
                         "kernel spreads new connections across the listeners."},
    };
    auto it = kTexts.find(option);
    return it == kTexts.end() ? QString() : QString::fromUtf8(it->second);
}

// dup, exit and signal: what belongs to the descriptor, the socket and the process.
QString processText(const core::SyscallInfo &c, const core::ReturnInfo &r)
{
    if (c.call == "dup")
        return QStringLiteral("dup() = %1: a second descriptor for the same socket. The socket is closed (FIN, or "
                              "RST with unread data) only when its last descriptor is closed; closing one of the "
                              "two sends nothing. shutdown() acts on the socket whatever the count.")
            .arg(r.ret);
    if (c.call == "exit") {
        const std::string reason = callArg(c, "reason");
        const QString what = q(core::exitText(c.actor, reason, r));
        const QString how = reason == "exit"
                                ? QStringLiteral("At exit the kernel closes every descriptor the process still holds, "
                                                 "lowest first, each exactly as close() would: a FIN, or a RST where "
                                                 "data was left unread; a listener just stops listening.")
                                : QStringLiteral("The signal's default action ended the process in that call: it "
                                                 "never saw the call's return. The kernel then closed its "
                                                 "descriptors as at any exit (FIN, or RST with unread data). Nothing "
                                                 "is printed: the server died silently.");
        return what + QStringLiteral(". ") + how;
    }
    if (c.call == "kill")
        return QStringLiteral("kill() = 0: SIGKILL ended %1's process. A call it was blocked in never returns, and "
                              "the kernel closed its descriptors as at any exit: a FIN, or a RST where data was "
                              "unread. SIGKILL cannot be caught or ignored.")
            .arg(q(callArg(c, "actor")));
    if (c.call == "signal") {
        const bool restart = callArg(c, "flags").find("SA_RESTART") != std::string::npos;
        return QStringLiteral("signal() = 0: %1 was delivered to %2 and its handler ran. %3")
            .arg(q(callArg(c, "signal")), q(callArg(c, "actor")),
                 restart ? QStringLiteral("With SA_RESTART a blocked accept(), recv() or connect() is restarted and "
                                          "goes on waiting; Linux still fails with EINTR a call with an SO_RCVTIMEO or "
                                          "SO_SNDTIMEO timeout, and poll(), select() and epoll_wait().")
                         : QStringLiteral("Without SA_RESTART a blocked call fails with EINTR."));
    }
    return {};
}

} // namespace

QString callExplanation(const core::SyscallInfo &c, const core::ReturnInfo &r)
{
    if (!r.err.empty())
        return {};
    if (c.call == "getsockname" || c.call == "getpeername")
        return nameText(c, r);
    if (c.call == "dup" || c.call == "exit" || c.call == "signal" || c.call == "kill")
        return processText(c, r);
    if (c.call == "epoll_create" || c.call == "epoll_ctl" || (c.call == "epoll_wait" && !callArg(c, "epoll").empty()))
        return epollText(c, r);
    if (c.call == "setsockopt")
        if (QString what = optionText(callArg(c, "option")); !what.isEmpty())
            return QStringLiteral("setsockopt(%1) = 0: %2").arg(q(callArg(c, "option")), what);
    if (c.call == "getsockopt" && callArg(c, "option") == "TCP_INFO")
        return QStringLiteral("getsockopt(TCP_INFO) = 0 [%1]: the kernel's own view of the connection: its state, "
                              "the retransmission timeout (at least 200 ms on Linux, RFC 6298 says 1 s), "
                              "retransmissions of the current segment, segments not yet acknowledged and the "
                              "congestion window in segments.")
            .arg(q(r.data.value_or("")));
    if (c.call == "accept4")
        return QStringLiteral("accept4() = %1: like accept(), and the new descriptor gets %2 at once, with no "
                              "window between accept() and fcntl().")
            .arg(r.ret)
            .arg(q(callArg(c, "flags")));
    if (c.call == "select")
        return r.ret == 0 ? QStringLiteral("select() = 0: the timeout passed and the descriptor was in none of the "
                                           "requested states.")
                          : QStringLiteral("select() = %1 [%2]: the descriptor is ready in these sets; select "
                                           "counts one per set it is in.")
                                .arg(r.ret)
                                .arg(q(r.data.value_or("")));
    if (c.call == "connect" && callArg(c, "addr") == "AF_UNSPEC")
        return QStringLiteral("connect(AF_UNSPEC) = 0: the association is dissolved (tcp_disconnect). A connected "
                              "socket sends a RST, not a FIN, and the socket is CLOSED and can connect again.");
    if (core::writesData(c.call) && r.ret == 0 && callArg(c, "len") == "0")
        return QStringLiteral("A zero-length send returns 0 and sends no segment; it still fails if the "
                              "connection is broken.");
    if ((c.call == "send" || c.call == "sendmsg") && hasFlag(c, "MSG_OOB"))
        return QStringLiteral("send(MSG_OOB) = %1: the last byte is urgent; the segment carries the URG flag and "
                              "the peer's poll() reports POLLPRI.")
            .arg(r.ret);
    if (c.call == "recv" || c.call == "recvmsg")
        return recvText(c, r);
    return {};
}

} // namespace sockscope::ui
