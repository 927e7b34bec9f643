// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/packetcapture.h"
#include "core/lab/labrecorder.h" // realtimeNs

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <mutex>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <thread>
#include <time.h>
#include <unistd.h>

namespace sockscope::core {

namespace {

// TPACKET_V2: every frame is handed over on its own as soon as the kernel has filled it, so sync() waits for
// nothing but the marker's own trip through lo (TPACKET_V3 hands over whole blocks, the partly filled one only
// when its retire timer fires: a jiffy, 4 ms at HZ=250, at every step). Frames are fixed-size: the kernel puts a
// frame's Ethernet header at offset 66 (tpacket2_hdr + sockaddr_ll, aligned), so 1024 bytes hold the snap
// length below. 32768 frames ride out the capture thread being starved for ~300 ms at 100k segments/s. The
// 32 MiB ring is not locked or pre-faulted: a short run touches a few of its pages only (MAP_LOCKED cost 2 ms at
// 32 MiB, 5-12 ms at 64 MiB). Setting it up makes the kernel wait one RCU grace period
// (synchronize_net() in packet_set_ring), 8-20 ms of every run's start under load; a plain AF_PACKET socket
// avoids that but its queue is capped at 2 x net.core.rmem_max (SO_RCVBUFFORCE needs CAP_NET_ADMIN outside our
// namespace), ~400 KiB on a default Debian: it dropped 16k of 82k segments at 41k segments/s under load.
constexpr unsigned kBlockSize = 64u << 10;
constexpr unsigned kBlockCount = 512;
constexpr unsigned kFrameSize = 1024;
constexpr unsigned kFramesPerBlock = kBlockSize / kFrameSize;
constexpr unsigned kFrameCount = kFramesPerBlock * kBlockCount;
// The capture thread reads the ring this often; it is not woken per frame (that would cost a wake-up per
// segment in the recorded program's softirq). sync() reads the ring itself.
constexpr int kDrainPeriodMs = 1;
// The kernel copies at most this much of each frame: the headers (at most ~150 bytes with the Ethernet header,
// IPv6 and TCP options) and the first ~600 payload bytes, for the pcapng export's Follow TCP Stream (scenario
// data is a few bytes). Loopback segments are up to 64 KiB (GSO) and copying them whole would need 64 KiB frames.
constexpr unsigned kSnapLen = 768;
constexpr int kMinFd = 100; // keeps the fds a scenario opens small and readable
// Local experimental ethertype (IEEE 802): sync() sends one of these frames through `lo`; the stack drops it
// as an unknown protocol, but the ring records it after everything queued before it.
constexpr std::uint16_t kMarkerEtherType = 0x88B5;
constexpr auto kSyncBound = std::chrono::milliseconds(50);

int moveFdHigh(int fd)
{
    const int high = fcntl(fd, F_DUPFD_CLOEXEC, kMinFd);
    if (high < 0)
        return fd; // still usable, only less tidy
    close(fd);
    return high;
}

std::uint16_t be16(const std::uint8_t *p)
{
    return std::uint16_t(p[0] << 8 | p[1]);
}
std::uint32_t be32(const std::uint8_t *p)
{
    return std::uint32_t(p[0]) << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

// Decodes one frame as lo delivers it: a 14-byte all-zero Ethernet header, then IPv4 or IPv6, then TCP.
// Returns false for anything that is not a complete TCP header.
bool decodeTcp(const std::uint8_t *frame, std::uint32_t caplen, RawPacket &out)
{
    if (caplen < ETH_HLEN)
        return false;
    const std::uint16_t etherType = be16(frame + 12);
    const std::uint8_t *ip = frame + ETH_HLEN;
    const std::uint32_t ipCap = caplen - ETH_HLEN;
    std::uint32_t ipHeaderLen = 0;
    std::uint32_t ipTotalLen = 0;
    std::uint8_t proto = 0;
    if (etherType == ETH_P_IP) {
        if (ipCap < 20 || (ip[0] >> 4) != 4)
            return false;
        ipHeaderLen = (ip[0] & 0x0f) * 4u;
        ipTotalLen = be16(ip + 2);
        proto = ip[9];
        // A fragment beyond the first carries no TCP header; loopback does not fragment, but be safe.
        if ((be16(ip + 6) & 0x1fff) != 0)
            return false;
        out.v6 = false;
        out.srcIp = {};
        out.dstIp = {};
        std::memcpy(out.srcIp.data(), ip + 12, 4);
        std::memcpy(out.dstIp.data(), ip + 16, 4);
    } else if (etherType == ETH_P_IPV6) {
        if (ipCap < 40 || (ip[0] >> 4) != 6)
            return false;
        ipTotalLen = 40u + be16(ip + 4);
        proto = ip[6];
        ipHeaderLen = 40;
        // Walk the extension headers the stack can put before TCP (hop-by-hop, routing, destination options).
        while ((proto == 0 || proto == 43 || proto == 60) && ipHeaderLen + 8 <= ipCap) {
            proto = ip[ipHeaderLen];
            ipHeaderLen += (ip[ipHeaderLen + 1] + 1u) * 8u;
        }
        out.v6 = true;
        std::memcpy(out.srcIp.data(), ip + 8, 16);
        std::memcpy(out.dstIp.data(), ip + 24, 16);
    } else {
        return false;
    }
    if (proto != IPPROTO_TCP || ipHeaderLen + 20 > ipCap || ipTotalLen < ipHeaderLen + 20)
        return false;
    const std::uint8_t *tcp = ip + ipHeaderLen;
    const std::uint32_t tcpHeaderLen = (tcp[12] >> 4) * 4u;
    if (tcpHeaderLen < 20 || ipHeaderLen + tcpHeaderLen > ipTotalLen)
        return false;
    out.srcPort = be16(tcp);
    out.dstPort = be16(tcp + 2);
    out.seq = be32(tcp + 4);
    out.ack = be32(tcp + 8);
    out.flags = tcp[13] & 0x3f;
    out.window = be16(tcp + 14);
    out.wireLen = ipTotalLen;
    out.payloadLen = ipTotalLen - ipHeaderLen - tcpHeaderLen;
    const std::uint32_t headerBytes = std::min(ipHeaderLen + tcpHeaderLen, ipCap);
    out.headers.assign(ip, ip + headerBytes);
    const std::uint32_t payloadEnd = std::min(ipTotalLen, ipCap);
    out.payload.assign(ip + headerBytes, ip + std::max(headerBytes, payloadEnd));
    return true;
}

} // namespace

struct PacketCapture::Impl
{
    int fd = -1;
    int wakeFd = -1; // eventfd: tells the capture thread to look at m_stopping
    int ifindex = 0;
    std::uint8_t *ring = nullptr;
    std::size_t ringSize = 0;
    std::uint64_t instanceId = 0; // tells our sync markers from those of another capture in the same netns

    std::mutex lifeMutex; // guards thread start/join
    std::thread thread;
    std::atomic<bool> stopping{false};
    std::atomic<bool> running{false};

    // Both the capture thread and sync() read the ring, so sync() does not depend on the capture thread being
    // scheduled (on a loaded machine that took tens of ms). Lock order: ringMutex, then mutex.
    std::mutex ringMutex;
    unsigned nextFrame = 0;       // guarded by ringMutex: the next frame to read and hand back to the kernel
    std::vector<RawPacket> batch; // guarded by ringMutex: decoded packets before they are published

    std::atomic<std::uint64_t> segmentsRead{0}; // tcpSegments, readable without the lock

    std::mutex mutex; // guards everything below
    std::vector<RawPacket> packets;
    std::uint64_t tcpSegments = 0;
    std::uint64_t drops = 0;
    std::uint64_t markerSent = 0; // generation counter: sync() n sends marker n
    std::uint64_t markerRead = 0; // highest marker the capture thread has read from the ring

    ~Impl()
    {
        if (ring)
            munmap(ring, ringSize);
        if (fd >= 0)
            close(fd);
        if (wakeFd >= 0)
            close(wakeFd);
    }

    void captureLoop();
    void drainRing();
    bool sendMarker(std::uint64_t generation);
    void readStatsLocked();
};

PacketCapture::PacketCapture() : m_impl(std::make_unique<Impl>()) {}

PacketCapture::~PacketCapture()
{
    stop();
}

std::unique_ptr<PacketCapture> PacketCapture::open(std::string *error)
{
    auto fail = [error](const std::string &what) -> std::unique_ptr<PacketCapture> {
        if (error)
            *error = what;
        return nullptr;
    };
    // Protocol 0 so nothing is queued until the ring and filter are in place; bind() then asks for ETH_P_ALL.
    const int raw = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (raw < 0) {
        const int err = errno;
        return fail("AF_PACKET socket refused (" + errnoName(err) +
                    "): packet capture needs CAP_NET_RAW in this network namespace");
    }
    std::unique_ptr<PacketCapture> capture(new PacketCapture());
    Impl &d = *capture->m_impl;
    d.fd = moveFdHigh(raw);
    d.instanceId = std::uint64_t(getpid()) << 32 ^ std::uint64_t(reinterpret_cast<std::uintptr_t>(&d)) ^
                   std::uint64_t(realtimeNs());
    auto sysFail = [&](const char *what) {
        const int err = errno;
        return fail(std::string("packet capture: ") + what + " failed (" + errnoName(err) + "): " + strerror(err));
    };

    d.ifindex = int(if_nametoindex("lo"));
    if (d.ifindex == 0)
        return sysFail("looking up interface lo");

    const int version = TPACKET_V2;
    if (setsockopt(d.fd, SOL_PACKET, PACKET_VERSION, &version, sizeof version) < 0)
        return sysFail("PACKET_VERSION TPACKET_V2");
    // lo hands every segment to packet sockets twice (on transmit and on receive); keep the receive copy only.
    const int one = 1;
    if (setsockopt(d.fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one) < 0)
        return sysFail("PACKET_IGNORE_OUTGOING");
    sock_filter snap[] = {{BPF_RET | BPF_K, 0, 0, kSnapLen}};
    sock_fprog prog{1, snap};
    if (setsockopt(d.fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) < 0)
        return sysFail("SO_ATTACH_FILTER");

    tpacket_req req{};
    req.tp_block_size = kBlockSize;
    req.tp_block_nr = kBlockCount;
    req.tp_frame_size = kFrameSize;
    req.tp_frame_nr = kFrameCount;
    if (setsockopt(d.fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) < 0)
        return sysFail("PACKET_RX_RING");
    d.ringSize = std::size_t(kBlockSize) * kBlockCount;
    void *map = mmap(nullptr, d.ringSize, PROT_READ | PROT_WRITE, MAP_SHARED, d.fd, 0);
    if (map == MAP_FAILED)
        return sysFail("mmap of the capture ring");
    d.ring = static_cast<std::uint8_t *>(map);

    sockaddr_ll addr{};
    addr.sll_family = AF_PACKET;
    addr.sll_protocol = htons(ETH_P_ALL);
    addr.sll_ifindex = d.ifindex;
    if (bind(d.fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) < 0)
        return sysFail("bind to lo");

    const int wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake < 0)
        return sysFail("eventfd");
    d.wakeFd = moveFdHigh(wake);
    return capture;
}

void PacketCapture::start()
{
    Impl &d = *m_impl;
    std::lock_guard lock(d.lifeMutex);
    if (d.thread.joinable() || d.stopping)
        return;
    d.running = true;
    d.thread = std::thread([&d] { d.captureLoop(); });
}

void PacketCapture::stop()
{
    Impl &d = *m_impl;
    std::lock_guard lock(d.lifeMutex);
    if (!d.thread.joinable())
        return;
    // Segments already on the wire when stop() is called belong to the run: read them first.
    sync();
    d.stopping = true;
    const std::uint64_t wake = 1;
    [[maybe_unused]] auto n = write(d.wakeFd, &wake, sizeof wake);
    d.thread.join();
    d.running = false;
}

bool PacketCapture::Impl::sendMarker(std::uint64_t generation)
{
    std::uint8_t frame[ETH_HLEN + 16] = {}; // all-zero MACs: lo's address, so the frame comes back as PACKET_HOST
    frame[12] = kMarkerEtherType >> 8;
    frame[13] = kMarkerEtherType & 0xff;
    std::memcpy(frame + ETH_HLEN, &instanceId, 8);
    std::memcpy(frame + ETH_HLEN + 8, &generation, 8);
    sockaddr_ll to{};
    to.sll_family = AF_PACKET;
    to.sll_ifindex = ifindex;
    to.sll_halen = ETH_ALEN;
    for (;;) {
        const ssize_t n = sendto(fd, frame, sizeof frame, 0, reinterpret_cast<sockaddr *>(&to), sizeof to);
        if (n >= 0)
            return true;
        if (errno != EINTR)
            return false;
    }
}

// A time-only rule ("no frame newer than X, so everything before X is read") would be wrong: a frame the kernel
// is still copying is invisible until its status flips. Instead sync() sends a marker frame after its start and
// reads the ring itself until the marker shows up; the kernel takes ring slots in arrival order and the ring is
// read in slot order, so every frame queued before the marker has then been read. lo delivers the marker in
// the sending thread's own softirq, so it is normally in the ring when sendto() returns: cost ~10 us, no timer.
// Limit: a segment stamped on another CPU but still in that CPU's backlog (softirq deferred to ksoftirqd) can
// land after the marker; a segment whose send() has returned is normally in the ring already, since lo delivers
// it in the sender's own softirq unless that was deferred.
void PacketCapture::sync()
{
    Impl &d = *m_impl;
    if (!d.running || d.stopping)
        return;
    std::unique_lock lock(d.mutex);
    const std::uint64_t generation = ++d.markerSent;
    lock.unlock();
    if (!d.sendMarker(generation)) {
        // Without a marker there is no proof; give a deferred softirq a few ms instead.
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        d.drainRing();
        return;
    }
    const auto deadline = std::chrono::steady_clock::now() + kSyncBound;
    for (;;) {
        d.drainRing();
        lock.lock();
        if (d.markerRead >= generation || std::chrono::steady_clock::now() >= deadline)
            return;
        lock.unlock();
        // Woken as soon as a frame lands (the marker, if its softirq was deferred). The timeout covers the
        // capture thread reading the marker between our check and this poll (no further wake-up would come).
        pollfd pfd{d.fd, POLLIN, 0};
        poll(&pfd, 1, 1);
    }
}

std::vector<RawPacket> PacketCapture::take()
{
    std::lock_guard lock(m_impl->mutex);
    std::vector<RawPacket> out;
    out.swap(m_impl->packets);
    return out;
}

void PacketCapture::Impl::readStatsLocked()
{
    // Reading PACKET_STATISTICS resets the kernel's counters, hence the running sums.
    tpacket_stats st{};
    socklen_t len = sizeof st;
    if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0)
        drops += st.tp_drops;
}

PacketCapture::Stats PacketCapture::stats()
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->readStatsLocked();
    // packets counts decoded TCP segments, not the markers or other frames the kernel also counts.
    return {m_impl->tcpSegments, m_impl->drops};
}

std::uint64_t PacketCapture::segmentsRead() const
{
    return m_impl->segmentsRead.load(std::memory_order_relaxed);
}

void PacketCapture::Impl::drainRing()
{
    std::lock_guard ringLock(ringMutex);
    std::uint64_t newestMarker = 0;
    for (;;) {
        auto *hdr = reinterpret_cast<tpacket2_hdr *>(ring + std::size_t(nextFrame / kFramesPerBlock) * kBlockSize +
                                                     std::size_t(nextFrame % kFramesPerBlock) * kFrameSize);
        // Acquire pairs with the kernel's barrier before it sets the status: the frame is complete once USER.
        const std::uint32_t status = __atomic_load_n(&hdr->tp_status, __ATOMIC_ACQUIRE);
        if (!(status & TP_STATUS_USER))
            break;
        const std::uint8_t *frame = reinterpret_cast<const std::uint8_t *>(hdr) + hdr->tp_mac;
        RawPacket packet;
        if (decodeTcp(frame, hdr->tp_snaplen, packet)) {
            packet.tNs = std::int64_t(hdr->tp_sec) * 1'000'000'000 + hdr->tp_nsec;
            batch.push_back(std::move(packet));
        } else if (hdr->tp_snaplen >= ETH_HLEN + 16 && be16(frame + 12) == kMarkerEtherType) {
            std::uint64_t id = 0;
            std::uint64_t generation = 0;
            std::memcpy(&id, frame + ETH_HLEN, 8);
            std::memcpy(&generation, frame + ETH_HLEN + 8, 8);
            if (id == instanceId)
                newestMarker = std::max(newestMarker, generation);
        }
        __atomic_store_n(&hdr->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
        nextFrame = (nextFrame + 1) % kFrameCount;
    }
    if (batch.empty() && newestMarker == 0)
        return;
    {
        std::lock_guard lock(mutex);
        tcpSegments += batch.size();
        segmentsRead.store(tcpSegments, std::memory_order_relaxed);
        if (packets.empty())
            packets.swap(batch);
        else
            packets.insert(packets.end(), std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
        markerRead = std::max(markerRead, newestMarker);
    }
    batch.clear();
}

void PacketCapture::Impl::captureLoop()
{
    {
        std::lock_guard ringLock(ringMutex);
        batch.reserve(4096);
    }
    while (!stopping) {
        // Only stop() wakes the thread early; waiting on the ring's fd would wake it for every frame.
        pollfd wake{wakeFd, POLLIN, 0};
        const int n = poll(&wake, 1, kDrainPeriodMs);
        if (n < 0 && errno != EINTR)
            break;
        if (wake.revents & POLLIN) {
            std::uint64_t value = 0;
            [[maybe_unused]] auto r = read(wakeFd, &value, sizeof value);
        }
        drainRing();
    }
    drainRing();
    running = false;
}

} // namespace sockscope::core
