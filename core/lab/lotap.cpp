// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/lotap.h"

#include "core/lab/labrecorder.h" // realtimeNs
#include "core/stream/errnonames.h"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace sockscope::core {

namespace {

constexpr int kMinFd = 100; // keeps the fds a scenario opens small and readable
// recvmmsg() batch of the plain socket: frames are cut to kSnapLen, so 1024 bytes hold each.
constexpr unsigned kBatch = 64;
constexpr unsigned kFrameBytes = 1024;
// Local experimental ethertype (IEEE 802), another than the capture's markers: LoTap::open()'s probe frames.
constexpr std::uint16_t kProbeEtherType = 0x88B6;
constexpr auto kStampWait = std::chrono::milliseconds(20);

} // namespace

int moveFdHigh(int fd)
{
    const int high = fcntl(fd, F_DUPFD_CLOEXEC, kMinFd);
    if (high < 0)
        return fd; // still usable, only less tidy
    close(fd);
    return high;
}

std::string captureSysError(const char *what)
{
    const int err = errno;
    return std::string("packet capture: ") + what + " failed (" + errnoName(err) + "): " + strerror(err);
}

int openLoPacketSocket(std::string *error)
{
    // Protocol 0 so nothing is queued until the socket is set up; bindToLo() then asks for ETH_P_ALL.
    const int raw = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (raw < 0) {
        const int err = errno;
        *error = "AF_PACKET socket refused (" + errnoName(err) +
                 "): packet capture needs CAP_NET_RAW in this network namespace";
        return -1;
    }
    const int fd = moveFdHigh(raw);
    const int one = 1;
    sock_filter snap[] = {{BPF_RET | BPF_K, 0, 0, kSnapLen}};
    sock_fprog prog{1, snap};
    if (setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one) < 0)
        *error = captureSysError("PACKET_IGNORE_OUTGOING");
    else if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) < 0)
        *error = captureSysError("SO_ATTACH_FILTER");
    else
        return fd;
    close(fd);
    return -1;
}

bool bindToLo(int fd, int ifindex, std::string *error)
{
    sockaddr_ll addr{};
    addr.sll_family = AF_PACKET;
    addr.sll_protocol = htons(ETH_P_ALL);
    addr.sll_ifindex = ifindex;
    if (bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0)
        return true;
    *error = captureSysError("bind to lo");
    return false;
}

std::unique_ptr<LoTap> LoTap::open(int ifindex, std::string *error)
{
    const int fd = openLoPacketSocket(error);
    if (fd < 0)
        return nullptr;
    std::unique_ptr<LoTap> tap(new LoTap(fd));
    // As large a queue as an unprivileged namespace may have (capped at 2 x net.core.rmem_max): it only has to
    // hold what arrives between two reads for the few milliseconds until the ring takes over.
    const int big = 64 << 20;
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) < 0) {
        *error = captureSysError("SO_TIMESTAMPNS");
        return nullptr;
    }
    if (!bindToLo(fd, ifindex, error))
        return nullptr;
    tap->m_stampsOnArrival = tap->awaitArrivalStamps(ifindex);
    return tap;
}

// SO_TIMESTAMPNS turns the kernel's receive stamps on for every socket, but asynchronously (a work item flips a
// static key) when no other socket of the machine had them on: until then a frame is stamped when it is read,
// not when it arrived, which would date a run's first segments after the calls that sent them. So open() waits
// until a probe frame sent through lo comes back stamped before it was read (at once when the key was on
// already, a fraction of a millisecond otherwise; false after kStampWait).
bool LoTap::awaitArrivalStamps(int ifindex)
{
    std::uint8_t probe[ETH_HLEN + 8] = {}; // all-zero MACs: lo's own, so it comes back as PACKET_HOST
    probe[12] = kProbeEtherType >> 8;
    probe[13] = kProbeEtherType & 0xff;
    const std::int64_t cookie = realtimeNs();
    std::memcpy(probe + ETH_HLEN, &cookie, sizeof cookie);
    sockaddr_ll to{};
    to.sll_family = AF_PACKET;
    to.sll_ifindex = ifindex;
    to.sll_halen = ETH_ALEN;
    const auto deadline = std::chrono::steady_clock::now() + kStampWait;
    while (std::chrono::steady_clock::now() < deadline) {
        if (sendto(m_fd, probe, sizeof probe, 0, reinterpret_cast<sockaddr *>(&to), sizeof to) < 0)
            return false;
        const std::int64_t sent = realtimeNs(); // lo has delivered it by now, in this thread's softirq
        bool stampedOnArrival = false;
        read([&](const std::uint8_t *bytes, std::uint32_t length, std::int64_t tNs) {
            if (length >= sizeof probe && std::memcmp(bytes + 12, probe + 12, sizeof probe - 12) == 0)
                stampedOnArrival = stampedOnArrival || tNs <= sent;
            return true; // nothing of the run is queued yet: whatever else is read here goes
        });
        if (stampedOnArrival)
            return true;
        std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    return false;
}

LoTap::~LoTap()
{
    close(m_fd);
}

void LoTap::read(const Frame &frame)
{
    // One buffer per thread that reads: 64 KiB, allocated once, not on every drain.
    thread_local std::vector<std::uint8_t> data(kBatch * kFrameBytes);
    thread_local std::vector<std::uint8_t> control(kBatch * CMSG_SPACE(sizeof(timespec)));
    for (;;) {
        mmsghdr msgs[kBatch] = {};
        iovec iov[kBatch];
        for (unsigned i = 0; i < kBatch; ++i) {
            iov[i] = {data.data() + i * kFrameBytes, kFrameBytes};
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
            msgs[i].msg_hdr.msg_control = control.data() + i * CMSG_SPACE(sizeof(timespec));
            msgs[i].msg_hdr.msg_controllen = CMSG_SPACE(sizeof(timespec));
        }
        const int n = recvmmsg(m_fd, msgs, kBatch, MSG_DONTWAIT, nullptr);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        for (int i = 0; i < n; ++i) {
            std::int64_t tNs = 0;
            for (cmsghdr *c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c; c = CMSG_NXTHDR(&msgs[i].msg_hdr, c))
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
                    timespec ts{};
                    std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
                    tNs = std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
                }
            if (!frame(data.data() + i * kFrameBytes, std::min<std::uint32_t>(msgs[i].msg_len, kFrameBytes),
                       tNs ? tNs : realtimeNs()))
                return; // the frames after it in this batch are dropped: the caller stops reading this socket
        }
        if (unsigned(n) < kBatch)
            return;
    }
}

std::uint64_t LoTap::takeDrops()
{
    tpacket_stats st{};
    socklen_t len = sizeof st;
    return getsockopt(m_fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0 ? st.tp_drops : 0;
}

} // namespace sockscope::core
