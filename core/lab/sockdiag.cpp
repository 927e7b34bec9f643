// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/sockdiag.h"

#include "core/lab/packetcapture.h" // endpointText

#include <arpa/inet.h>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SO_COOKIE
#define SO_COOKIE 57
#endif

namespace sockscope::core {

namespace {

constexpr int kMinFd = 100;
// One netlink datagram of a dump is at most ~32 KiB (the kernel sizes dump skbs from the reader's buffer);
// a stack buffer of that size keeps a dump free of heap allocation, which matters at ~1000 dumps a second.
constexpr std::size_t kRecvBuffer = 32 * 1024;
// Every TCP state 1..12 (ESTABLISHED .. NEW_SYN_RECV), TIME_WAIT and request sockets included. Not 0xFFFFFFFF:
// bit 13, TCP_BOUND_INACTIVE (Linux 6.6+, bound but neither listening nor connected), makes each dump walk the
// host-wide bind hash, which measured ~120 us of a ~150 us dump; such a socket always has an fd (snapshotFd).
constexpr std::uint32_t kAllTcpStates = (1u << 13) - 2;

std::string setError(std::string *error, const std::string &what, int err)
{
    std::string text = "sock_diag: " + what + ": " + strerror(err);
    if (error)
        *error = text;
    return text;
}

std::array<std::uint8_t, 16> addressBytes(const __be32 words[4], bool v6)
{
    std::array<std::uint8_t, 16> out{};
    std::memcpy(out.data(), words, v6 ? 16 : 4);
    return out;
}

std::string sockaddrText(const sockaddr_storage &ss)
{
    if (ss.ss_family == AF_INET) {
        const auto &sin = reinterpret_cast<const sockaddr_in &>(ss);
        std::array<std::uint8_t, 16> ip{};
        std::memcpy(ip.data(), &sin.sin_addr, 4);
        return endpointText(ip, ntohs(sin.sin_port), false);
    }
    if (ss.ss_family == AF_INET6) {
        const auto &sin6 = reinterpret_cast<const sockaddr_in6 &>(ss);
        std::array<std::uint8_t, 16> ip{};
        std::memcpy(ip.data(), &sin6.sin6_addr, 16);
        return endpointText(ip, ntohs(sin6.sin6_port), true);
    }
    return {};
}

// One SOCK_DIAG_BY_FAMILY dump for a family, appended to out. Returns 0 or an errno value.
int dumpFamily(int fd, std::uint8_t family, std::uint32_t seq, std::vector<DiagSocket> &out)
{
    struct
    {
        nlmsghdr nlh;
        inet_diag_req_v2 req;
    } request{};
    request.nlh.nlmsg_len = sizeof request;
    request.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    request.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    request.nlh.nlmsg_seq = seq;
    request.req.sdiag_family = family;
    request.req.sdiag_protocol = IPPROTO_TCP;
    request.req.idiag_states = kAllTcpStates;
    request.req.idiag_ext = 0; // no extensions: the sampler needs states and queues only

    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    for (;;) {
        if (sendto(fd, &request, sizeof request, 0, reinterpret_cast<sockaddr *>(&kernel), sizeof kernel) >= 0)
            break;
        if (errno != EINTR)
            return errno;
    }

    alignas(nlmsghdr) std::uint8_t buffer[kRecvBuffer];
    for (;;) {
        const ssize_t got = recv(fd, buffer, sizeof buffer, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        int len = int(got);
        for (auto *nlh = reinterpret_cast<nlmsghdr *>(buffer); NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len)) {
            if (nlh->nlmsg_seq != seq)
                continue; // the tail of an earlier dump that was abandoned on an error
            if (nlh->nlmsg_type == NLMSG_DONE)
                return 0;
            if (nlh->nlmsg_type == NLMSG_ERROR) {
                const auto *err = static_cast<const nlmsgerr *>(NLMSG_DATA(nlh));
                return err->error ? -err->error : EPROTO;
            }
            if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY || nlh->nlmsg_len < NLMSG_LENGTH(sizeof(inet_diag_msg)))
                continue;
            const auto *msg = static_cast<const inet_diag_msg *>(NLMSG_DATA(nlh));
            DiagSocket s;
            s.kernelState = msg->idiag_state;
            s.state = stateFromKernel(msg->idiag_state).value_or(TcpState::Closed);
            s.cookie = std::uint64_t(msg->id.idiag_cookie[0]) | std::uint64_t(msg->id.idiag_cookie[1]) << 32;
            s.v6 = msg->idiag_family == AF_INET6;
            s.local = endpointText(addressBytes(msg->id.idiag_src, s.v6), ntohs(msg->id.idiag_sport), s.v6);
            s.remote = endpointText(addressBytes(msg->id.idiag_dst, s.v6), ntohs(msg->id.idiag_dport), s.v6);
            s.recvQ = msg->idiag_rqueue;
            // SIOCOUTQ (the fd snapshots) says 0 in SYN_SENT and SYN_RECEIVED, inet_diag counts the SYN's sequence
            // number: one rule for both, or every half-open socket's queue flips between them at each snapshot
            // (2 events per socket per step: 1.9 million events for 1000 connections into a full backlog).
            const bool handshake = s.state == TcpState::SynSent || s.state == TcpState::SynReceived;
            s.sendQ = handshake ? 0 : msg->idiag_wqueue;
            s.inode = msg->idiag_inode;
            s.timer = timerFromKernel(msg->idiag_timer);
            s.timerRetrans = msg->idiag_retrans;
            s.timerExpiresMs = msg->idiag_expires;
            out.push_back(std::move(s));
        }
    }
}

} // namespace

std::unique_ptr<SockDiag> SockDiag::open(std::string *error)
{
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0) {
        setError(error, "NETLINK_SOCK_DIAG socket refused", errno);
        return nullptr;
    }
    // Scenario sockets should get small fd numbers, as in the strace-like log.
    const int high = fcntl(fd, F_DUPFD_CLOEXEC, kMinFd);
    if (high >= 0) {
        close(fd);
        fd = high;
    }
    return std::unique_ptr<SockDiag>(new SockDiag(fd));
}

SockDiag::SockDiag(int fd) : m_fd(fd) {}

SockDiag::~SockDiag()
{
    close(m_fd);
}

std::vector<DiagSocket> SockDiag::dump(std::string *error)
{
    std::vector<DiagSocket> out;
    out.reserve(16);
    static std::atomic<std::uint32_t> s_seq{1}; // distinct sequence numbers, even across SockDiag objects
    for (const std::uint8_t family : {std::uint8_t(AF_INET), std::uint8_t(AF_INET6)}) {
        const int err = dumpFamily(m_fd, family, s_seq.fetch_add(1, std::memory_order_relaxed), out);
        if (err != 0) {
            setError(error, family == AF_INET ? "IPv4 dump failed" : "IPv6 dump failed", err);
            return {};
        }
    }
    return out;
}

FdSnapshot snapshotFd(int fd)
{
    FdSnapshot snap;
    tcp_info info{};
    socklen_t len = sizeof info;
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) == 0)
        snap.kernelState = info.tcpi_state;
    std::uint64_t cookie = 0;
    len = sizeof cookie;
    if (getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &len) == 0)
        snap.cookie = cookie;
    sockaddr_storage ss{};
    len = sizeof ss;
    // An unbound socket reads 0.0.0.0:0; the header promises "" for it.
    if (getsockname(fd, reinterpret_cast<sockaddr *>(&ss), &len) == 0 &&
        reinterpret_cast<const sockaddr_in &>(ss).sin_port != 0)
        snap.local = sockaddrText(ss);
    ss = {};
    len = sizeof ss;
    if (getpeername(fd, reinterpret_cast<sockaddr *>(&ss), &len) == 0)
        snap.remote = sockaddrText(ss);
    int value = 0;
    if (ioctl(fd, SIOCINQ, &value) == 0) // EINVAL on a listener
        snap.recvQ = value;
    value = 0;
    if (ioctl(fd, SIOCOUTQ, &value) == 0)
        snap.sendQ = value;
    return snap;
}

} // namespace sockscope::core
