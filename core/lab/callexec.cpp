// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/callexec.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <utility>

namespace sockscope::core {

int VarTable::fd(const std::string &var) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_fds.find(var);
    return it == m_fds.end() ? -1 : it->second;
}

void VarTable::set(const std::string &var, int fd)
{
    std::lock_guard lock(m_mutex);
    m_fds[var] = fd;
}

std::map<std::string, int> VarTable::snapshot() const
{
    std::lock_guard lock(m_mutex);
    return m_fds;
}

void VarTable::setOwner(const std::string &var, const std::string &actor)
{
    std::lock_guard lock(m_mutex);
    m_owners[var] = actor;
}

std::vector<std::pair<int, std::string>> VarTable::ownedBy(const std::string &actor) const
{
    std::lock_guard lock(m_mutex);
    std::vector<std::pair<int, std::string>> out;
    for (const auto &[var, fd] : m_fds)
        if (auto it = m_owners.find(var); fd >= 0 && it != m_owners.end() && it->second == actor)
            out.emplace_back(fd, var);
    std::sort(out.begin(), out.end());
    return out;
}

std::string VarTable::nameOf(int fd) const
{
    std::lock_guard lock(m_mutex);
    for (const auto &[var, f] : m_fds)
        if (f == fd)
            return var;
    return "fd" + std::to_string(fd);
}

namespace {

struct NamedBit
{
    int bit;
    const char *name;
};
constexpr NamedBit kPollBits[] = {{POLLIN, "POLLIN"},      {POLLPRI, "POLLPRI"}, {POLLOUT, "POLLOUT"},
                                  {POLLERR, "POLLERR"},    {POLLHUP, "POLLHUP"}, {POLLNVAL, "POLLNVAL"},
                                  {POLLRDHUP, "POLLRDHUP"}};
constexpr NamedBit kEpollBits[] = {{EPOLLIN, "EPOLLIN"},
                                   {EPOLLPRI, "EPOLLPRI"},
                                   {EPOLLOUT, "EPOLLOUT"},
                                   {EPOLLERR, "EPOLLERR"},
                                   {EPOLLHUP, "EPOLLHUP"},
                                   {EPOLLRDHUP, "EPOLLRDHUP"},
                                   {static_cast<int>(EPOLLET), "EPOLLET"},
                                   {static_cast<int>(EPOLLONESHOT), "EPOLLONESHOT"}};

template <size_t N> int bitsFromNames(const std::vector<std::string> &names, const NamedBit (&table)[N])
{
    int bits = 0;
    for (const auto &n : names)
        for (const auto &b : table)
            if (n == b.name)
                bits |= b.bit;
    return bits;
}

template <size_t N> std::string namesFromBits(unsigned bits, const NamedBit (&table)[N])
{
    std::string out;
    for (const auto &b : table)
        if (bits & static_cast<unsigned>(b.bit))
            out += (out.empty() ? "" : " ") + std::string(b.name);
    return out;
}

std::uint16_t mappedPort(std::uint16_t port, const std::map<std::uint16_t, std::uint16_t> *portMap)
{
    if (!portMap)
        return port;
    auto it = portMap->find(port);
    return it == portMap->end() ? port : it->second;
}

socklen_t fillAddr(const SockAddr &a, sockaddr_storage &ss, const std::map<std::uint16_t, std::uint16_t> *portMap)
{
    std::memset(&ss, 0, sizeof ss);
    if (a.v6) {
        auto *s6 = reinterpret_cast<sockaddr_in6 *>(&ss);
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(mappedPort(a.port, portMap));
        inet_pton(AF_INET6, a.ip.c_str(), &s6->sin6_addr);
        return sizeof(sockaddr_in6);
    }
    auto *s4 = reinterpret_cast<sockaddr_in *>(&ss);
    s4->sin_family = AF_INET;
    s4->sin_port = htons(mappedPort(a.port, portMap));
    inet_pton(AF_INET, a.ip.c_str(), &s4->sin_addr);
    return sizeof(sockaddr_in);
}

// "msg_flags=MSG_OOB|MSG_EOR": the flags recvmsg() reports on the message, "" for none.
std::string recvmsgFlagNames(int flags)
{
    static constexpr std::pair<int, const char *> kNames[] = {
        {MSG_OOB, "MSG_OOB"}, {MSG_TRUNC, "MSG_TRUNC"}, {MSG_CTRUNC, "MSG_CTRUNC"}, {MSG_EOR, "MSG_EOR"}};
    std::string names;
    for (const auto &[bit, name] : kNames)
        if (flags & bit)
            names += (names.empty() ? "msg_flags=" : "|") + std::string(name);
    return names;
}

// Readable text of received bytes, cut at 256: the stream shows what arrived, not a dump.
std::string printable(const char *buf, ssize_t n)
{
    std::string out;
    for (ssize_t i = 0; i < n && i < 256; ++i) {
        unsigned char c = static_cast<unsigned char>(buf[i]);
        if (c == '\n')
            out += "\\n";
        else if (c == '\\')
            out += "\\\\";
        else if (c >= 0x20 && c < 0x7f)
            out += static_cast<char>(c);
        else {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        }
    }
    if (n > 256)
        out += "...";
    return out;
}

std::string payloadOf(const Step &step)
{
    if (!step.payload.empty())
        return step.payload;
    // A recognisable pattern, so the receiver's data shows which bytes arrived.
    std::string out(static_cast<size_t>(step.number), '\0');
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<char>('a' + (i % 26));
    return out;
}

constexpr NamedBit kMsgBits[] = {
    {MSG_NOSIGNAL, "MSG_NOSIGNAL"}, {MSG_DONTWAIT, "MSG_DONTWAIT"}, {MSG_PEEK, "MSG_PEEK"},  {MSG_OOB, "MSG_OOB"},
    {MSG_MORE, "MSG_MORE"},         {MSG_WAITALL, "MSG_WAITALL"},   {MSG_TRUNC, "MSG_TRUNC"}};
constexpr NamedBit kAccept4Bits[] = {{SOCK_NONBLOCK, "SOCK_NONBLOCK"}, {SOCK_CLOEXEC, "SOCK_CLOEXEC"}};

int msgFlags(const std::vector<std::string> &flags)
{
    return bitsFromNames(flags, kMsgBits);
}

struct SockOpt
{
    int level;
    int name;
};
std::optional<SockOpt> sockOpt(const std::string &option)
{
    if (option == "SO_REUSEADDR")
        return SockOpt{SOL_SOCKET, SO_REUSEADDR};
    if (option == "SO_RCVBUF")
        return SockOpt{SOL_SOCKET, SO_RCVBUF};
    if (option == "SO_SNDBUF")
        return SockOpt{SOL_SOCKET, SO_SNDBUF};
    if (option == "SO_ERROR")
        return SockOpt{SOL_SOCKET, SO_ERROR};
    if (option == "SO_LINGER")
        return SockOpt{SOL_SOCKET, SO_LINGER};
    if (option == "TCP_NODELAY")
        return SockOpt{IPPROTO_TCP, TCP_NODELAY};
    static const std::map<std::string, SockOpt> kMore = {
        {"SO_KEEPALIVE", {SOL_SOCKET, SO_KEEPALIVE}},
        {"SO_REUSEPORT", {SOL_SOCKET, SO_REUSEPORT}},
        {"SO_RCVTIMEO", {SOL_SOCKET, SO_RCVTIMEO}},
        {"SO_SNDTIMEO", {SOL_SOCKET, SO_SNDTIMEO}},
        {"TCP_KEEPIDLE", {IPPROTO_TCP, TCP_KEEPIDLE}},
        {"TCP_KEEPINTVL", {IPPROTO_TCP, TCP_KEEPINTVL}},
        {"TCP_KEEPCNT", {IPPROTO_TCP, TCP_KEEPCNT}},
        {"TCP_USER_TIMEOUT", {IPPROTO_TCP, TCP_USER_TIMEOUT}},
        {"TCP_CORK", {IPPROTO_TCP, TCP_CORK}},
        {"TCP_QUICKACK", {IPPROTO_TCP, TCP_QUICKACK}},
        {"TCP_DEFER_ACCEPT", {IPPROTO_TCP, TCP_DEFER_ACCEPT}},
    };
    if (auto it = kMore.find(option); it != kMore.end())
        return it->second;
    return std::nullopt;
}

CallResult fromRet(std::int64_t ret)
{
    CallResult r;
    r.ret = ret;
    r.err = ret < 0 ? errno : 0;
    return r;
}

CallResult setNonblock(int fd, bool on)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0)
        return fromRet(-1);
    return fromRet(fcntl(fd, F_SETFL, on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK)));
}

// The scenario gives SO_RCVTIMEO/SO_SNDTIMEO in ms; the kernel takes a timeval.
bool isTimeout(const SockOpt &opt)
{
    return opt.level == SOL_SOCKET && (opt.name == SO_RCVTIMEO || opt.name == SO_SNDTIMEO);
}

// "state=ESTABLISHED rto=200ms retransmits=0 unacked=0 snd_cwnd=10": the fields named, or all of them.
CallResult doTcpInfo(const Step &step, int fd)
{
    tcp_info info{};
    socklen_t len = sizeof info;
    CallResult r = fromRet(getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len));
    if (r.ret != 0)
        return r;
    const std::pair<const char *, std::string> fields[] = {
        {"state", std::string(stateName(stateFromKernel(info.tcpi_state).value_or(TcpState::Closed)))},
        {"rto", std::to_string(info.tcpi_rto / 1000) + "ms"},
        {"retransmits", std::to_string(info.tcpi_retransmits)},
        {"unacked", std::to_string(info.tcpi_unacked)},
        {"snd_cwnd", std::to_string(info.tcpi_snd_cwnd)},
    };
    std::string out;
    for (const auto &[name, value] : fields)
        if (step.flags.empty() || std::find(step.flags.begin(), step.flags.end(), name) != step.flags.end())
            out += (out.empty() ? "" : " ") + std::string(name) + "=" + value;
    r.data = out;
    return r;
}

CallResult doGetsockopt(const Step &step, int fd)
{
    if (step.option == "TCP_INFO")
        return doTcpInfo(step, fd);
    auto opt = sockOpt(step.option);
    if (!opt) {
        errno = ENOPROTOOPT;
        return fromRet(-1);
    }
    if (opt->name == SO_LINGER && opt->level == SOL_SOCKET) {
        linger l{};
        socklen_t len = sizeof l;
        CallResult r = fromRet(getsockopt(fd, opt->level, opt->name, &l, &len));
        if (r.ret == 0)
            r.data = std::to_string(l.l_onoff) + " " + std::to_string(l.l_linger);
        return r;
    }
    if (isTimeout(*opt)) {
        timeval tv{};
        socklen_t len = sizeof tv;
        CallResult r = fromRet(getsockopt(fd, opt->level, opt->name, &tv, &len));
        if (r.ret == 0)
            r.data = std::to_string(tv.tv_sec * 1000 + tv.tv_usec / 1000);
        return r;
    }
    int v = 0;
    socklen_t len = sizeof v;
    CallResult r = fromRet(getsockopt(fd, opt->level, opt->name, &v, &len));
    // SO_ERROR holds an errno: its name, or no data at all when nothing is pending ("= 0 []").
    const bool soError = opt->name == SO_ERROR && opt->level == SOL_SOCKET;
    if (r.ret == 0 && !(soError && v == 0))
        r.data = soError ? errnoName(v) : std::to_string(v);
    return r;
}

CallResult doSetsockopt(const Step &step, int fd)
{
    if (step.option == "O_NONBLOCK")
        return setNonblock(fd, step.number != 0);
    auto opt = sockOpt(step.option);
    if (!opt) {
        errno = ENOPROTOOPT;
        return fromRet(-1);
    }
    if (opt->name == SO_LINGER && opt->level == SOL_SOCKET) {
        linger l{static_cast<int>(step.number), static_cast<int>(step.number2)};
        return fromRet(setsockopt(fd, opt->level, opt->name, &l, sizeof l));
    }
    if (isTimeout(*opt)) {
        timeval tv{static_cast<time_t>(step.number / 1000), static_cast<suseconds_t>((step.number % 1000) * 1000)};
        return fromRet(setsockopt(fd, opt->level, opt->name, &tv, sizeof tv));
    }
    int v = static_cast<int>(step.number);
    return fromRet(setsockopt(fd, opt->level, opt->name, &v, sizeof v));
}

CallResult doEpoll(const Step &step, int fd)
{
    // A private epoll instance per call: the scenario asks "what would epoll report now".
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0)
        return fromRet(-1);
    epoll_event ev{};
    ev.events = static_cast<std::uint32_t>(bitsFromNames(step.flags, kEpollBits));
    ev.data.fd = fd;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
        int e = errno;
        close(ep);
        errno = e;
        return fromRet(-1);
    }
    epoll_event out{};
    CallResult r = fromRet(epoll_wait(ep, &out, 1, step.timeoutMs));
    close(ep);
    if (r.ret > 0)
        r.data = namesFromBits(out.events, kEpollBits);
    return r;
}

// The scenario's own port for a real one: in the host's namespace ports are remapped, and the scenario's
// expectations name the ports it wrote.
std::uint16_t scenarioPort(std::uint16_t port, const std::map<std::uint16_t, std::uint16_t> *portMap)
{
    if (portMap)
        for (const auto &[own, real] : *portMap)
            if (real == port)
                return own;
    return port;
}

CallResult doSockName(const Step &step, int fd, const std::map<std::uint16_t, std::uint16_t> *portMap)
{
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    auto *sa = reinterpret_cast<sockaddr *>(&ss);
    CallResult r = fromRet(step.call == Call::Getsockname ? getsockname(fd, sa, &len) : getpeername(fd, sa, &len));
    if (r.ret != 0)
        return r;
    char ip[INET6_ADDRSTRLEN] = "";
    SockAddr a;
    if (ss.ss_family == AF_INET6) {
        const auto *s6 = reinterpret_cast<const sockaddr_in6 *>(&ss);
        inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof ip);
        a.v6 = true;
        a.port = ntohs(s6->sin6_port);
    } else {
        const auto *s4 = reinterpret_cast<const sockaddr_in *>(&ss);
        inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof ip);
        a.port = ntohs(s4->sin_port);
    }
    a.ip = ip;
    a.port = scenarioPort(a.port, portMap);
    r.data = a.text();
    return r;
}

CallResult doSelect(const Step &step, int fd)
{
    fd_set sets[3];
    const char *names[3] = {"READ", "WRITE", "EXCEPT"};
    fd_set *used[3] = {nullptr, nullptr, nullptr};
    for (int i = 0; i < 3; ++i) {
        FD_ZERO(&sets[i]);
        if (std::find(step.flags.begin(), step.flags.end(), names[i]) != step.flags.end()) {
            FD_SET(fd, &sets[i]);
            used[i] = &sets[i];
        }
    }
    timeval tv{step.timeoutMs / 1000, (step.timeoutMs % 1000) * 1000};
    CallResult r = fromRet(select(fd + 1, used[0], used[1], used[2], &tv));
    if (r.ret > 0) {
        std::string out;
        for (int i = 0; i < 3; ++i)
            if (used[i] && FD_ISSET(fd, used[i]))
                out += (out.empty() ? "" : " ") + std::string(names[i]);
        r.data = out;
    }
    return r;
}

CallResult doConnect(const Step &step, int fd, const std::map<std::uint16_t, std::uint16_t> *portMap)
{
    sockaddr_storage ss;
    socklen_t len = fillAddr(step.addr, ss, portMap);
    if (step.addr.unspec) {
        // AF_UNSPEC dissolves the association (tcp_disconnect): a RST to a synchronised peer, then CLOSED.
        std::memset(&ss, 0, sizeof ss);
        ss.ss_family = AF_UNSPEC;
        len = sizeof(sockaddr);
    }
    return fromRet(connect(fd, reinterpret_cast<sockaddr *>(&ss), len));
}

CallResult doEpollCtl(const Step &step, int fd, const VarTable *vars)
{
    const int ep = vars ? vars->fd(step.epoll) : -1;
    const int op = step.option == "ADD" ? EPOLL_CTL_ADD : step.option == "MOD" ? EPOLL_CTL_MOD : EPOLL_CTL_DEL;
    epoll_event ev{};
    ev.events = static_cast<std::uint32_t>(bitsFromNames(step.flags, kEpollBits));
    ev.data.fd = fd;
    return fromRet(epoll_ctl(ep, op, fd, &ev));
}

// epoll_wait(E, MS) on the instance in fd: "A:EPOLLIN A:EPOLLRDHUP B:EPOLLOUT", one item per socket and event.
CallResult doEpollInstance(const Step &step, int fd, const VarTable *vars)
{
    constexpr int kMaxEvents = 16;
    epoll_event out[kMaxEvents]{};
    CallResult r = fromRet(epoll_wait(fd, out, kMaxEvents, step.timeoutMs));
    if (r.ret <= 0)
        return r;
    std::string data;
    for (int i = 0; i < r.ret; ++i) {
        const std::string var = vars ? vars->nameOf(out[i].data.fd) : "fd" + std::to_string(out[i].data.fd);
        for (const auto &b : kEpollBits)
            if (out[i].events & static_cast<unsigned>(b.bit))
                data += (data.empty() ? "" : " ") + var + ":" + b.name;
    }
    r.data = data;
    return r;
}

} // namespace

int closeDescriptor(int fd)
{
    return static_cast<int>(::syscall(SYS_close, fd));
}

CallResult executeCall(const Step &step, int fd, const std::map<std::uint16_t, std::uint16_t> *portMap,
                       const VarTable *vars)
{
    switch (step.call) {
    case Call::Socket: {
        CallResult r =
            fromRet(socket(step.v6 ? AF_INET6 : AF_INET, SOCK_STREAM | (step.nonblock ? SOCK_NONBLOCK : 0), 0));
        r.newFd = static_cast<int>(r.ret);
        return r;
    }
    case Call::Setsockopt:
        return doSetsockopt(step, fd);
    case Call::Getsockopt:
        return doGetsockopt(step, fd);
    case Call::Fcntl:
        return setNonblock(fd, true);
    case Call::Bind: {
        sockaddr_storage ss;
        socklen_t len = fillAddr(step.addr, ss, portMap);
        return fromRet(bind(fd, reinterpret_cast<sockaddr *>(&ss), len));
    }
    case Call::Connect:
        return doConnect(step, fd, portMap);
    case Call::Getsockname:
    case Call::Getpeername:
        return doSockName(step, fd, portMap);
    case Call::Select:
        return doSelect(step, fd);
    case Call::Listen:
        return fromRet(listen(fd, static_cast<int>(step.number)));
    case Call::Accept:
    case Call::Accept4: {
        const int flags = bitsFromNames(step.flags, kAccept4Bits);
        CallResult r =
            fromRet(step.call == Call::Accept ? accept(fd, nullptr, nullptr) : accept4(fd, nullptr, nullptr, flags));
        r.newFd = static_cast<int>(r.ret);
        return r;
    }
    case Call::Send:
    case Call::Sendmsg:
    case Call::Write: {
        std::string data = payloadOf(step);
        iovec iov{data.data(), data.size()};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        return fromRet(step.call == Call::Send      ? send(fd, data.data(), data.size(), msgFlags(step.flags))
                       : step.call == Call::Sendmsg ? sendmsg(fd, &msg, msgFlags(step.flags))
                                                    : write(fd, data.data(), data.size()));
    }
    case Call::Recv:
    case Call::Recvmsg:
    case Call::Read: {
        std::string buf(static_cast<size_t>(step.number), '\0');
        iovec iov{buf.data(), buf.size()};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        CallResult r = fromRet(step.call == Call::Recv      ? recv(fd, buf.data(), buf.size(), msgFlags(step.flags))
                               : step.call == Call::Recvmsg ? recvmsg(fd, &msg, msgFlags(step.flags))
                                                            : read(fd, buf.data(), buf.size()));
        // MSG_TRUNC on TCP discards the bytes instead of copying them: there is nothing to show.
        const bool discarded = std::find(step.flags.begin(), step.flags.end(), "MSG_TRUNC") != step.flags.end();
        if (r.ret > 0 && !discarded)
            r.data = printable(buf.data(), r.ret);
        // What recvmsg() adds to recv(): the flags the kernel set on the message (TCP sets MSG_OOB for urgent data).
        if (step.call == Call::Recvmsg && r.ret >= 0)
            if (const std::string set = recvmsgFlagNames(msg.msg_flags); !set.empty())
                r.data = r.data ? *r.data + " " + set : set;
        return r;
    }
    case Call::Shutdown: {
        int how = step.option == "SHUT_RD" ? SHUT_RD : step.option == "SHUT_WR" ? SHUT_WR : SHUT_RDWR;
        return fromRet(shutdown(fd, how));
    }
    case Call::Close:
        return fromRet(closeDescriptor(fd));
    case Call::Poll: {
        pollfd p{fd, static_cast<short>(bitsFromNames(step.flags, kPollBits)), 0};
        CallResult r = fromRet(poll(&p, 1, step.timeoutMs));
        if (r.ret > 0)
            r.data = namesFromBits(static_cast<unsigned short>(p.revents), kPollBits);
        return r;
    }
    case Call::EpollWait:
        return step.epoll.empty() ? doEpoll(step, fd) : doEpollInstance(step, fd, vars);
    case Call::EpollCreate: {
        CallResult r = fromRet(epoll_create1(EPOLL_CLOEXEC));
        r.newFd = static_cast<int>(r.ret);
        return r;
    }
    case Call::EpollCtl:
        return doEpollCtl(step, fd, vars);
    case Call::Dup: {
        CallResult r = fromRet(dup(fd));
        r.newFd = static_cast<int>(r.ret);
        return r;
    }
    case Call::Share:
    case Call::Give:
    case Call::Exit:
    case Call::Signal:
    case Call::Kill:
        // Not single system calls: the scheduler (share, give) and core/lab/actorprocess (exit, signal) do them.
        return CallResult{};
    case Call::Sleep: {
        timespec ts{static_cast<time_t>(step.number / 1000), static_cast<long>((step.number % 1000) * 1000000)};
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
        }
        return CallResult{};
    }
    case Call::Wait:
        return CallResult{};
    }
    return CallResult{};
}

} // namespace sockscope::core
