// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/packetcapture.h"
#include "core/lab/labrecorder.h" // realtimeNs
#include "core/lab/lotap.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <mutex>
#include <net/if.h>
#include <netinet/in.h>
#include <optional>
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
// length (lotap.h). 32768 frames ride out the capture thread being starved for ~300 ms at 100k segments/s. The
// 32 MiB ring is not locked or pre-faulted: a short run touches a few of its pages only (MAP_LOCKED cost 2 ms at
// 32 MiB, 5-12 ms at 64 MiB). Setting it up makes the kernel wait one RCU grace period
// (synchronize_net() in packet_set_ring), 8-20 ms of every run's start under load, so it is set up on a thread
// while a plain AF_PACKET socket captures (see the handover below). The plain socket alone would not do: its
// queue is capped at 2 x net.core.rmem_max (SO_RCVBUFFORCE needs CAP_NET_ADMIN outside our namespace), ~400 KiB
// on a default Debian: it dropped 16k of 82k segments at 41k segments/s under load.
constexpr unsigned kBlockSize = 64u << 10;
constexpr unsigned kBlockCount = 512;
constexpr unsigned kFrameSize = 1024;
constexpr unsigned kFramesPerBlock = kBlockSize / kFrameSize;
constexpr unsigned kFrameCount = kFramesPerBlock * kBlockCount;
// The capture thread reads the ring this often; it is not woken per frame (that would cost a wake-up per
// segment in the recorded program's softirq). sync() reads the ring itself.
constexpr int kDrainPeriodMs = 1;
// Local experimental ethertype (IEEE 802): sync() sends one of these frames through `lo`; the stack drops it
// as an unknown protocol, but the ring records it after everything queued before it.
constexpr std::uint16_t kMarkerEtherType = 0x88B5;
constexpr auto kSyncBound = std::chrono::milliseconds(50);
// The handover marker is marker generation 0 (sync() counts from 1).
constexpr std::uint64_t kHandoverGeneration = 0;
// Frames of the ring read after its handover marker during which a segment the plain socket had read before the
// marker may still show up (another CPU was delivering it to the two sockets while the marker passed both).
constexpr auto kRingWaitBound = std::chrono::seconds(2);
constexpr unsigned kHandoverWindow = 64; // one frame in flight per other CPU at most; a wide margin

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

// The generation of one of our markers (instance id), or nothing for any other frame.
std::optional<std::uint64_t> markerGeneration(const std::uint8_t *frame, std::uint32_t caplen, std::uint64_t instance)
{
    if (caplen < ETH_HLEN + 16 || be16(frame + 12) != kMarkerEtherType)
        return std::nullopt;
    std::uint64_t id = 0;
    std::uint64_t generation = 0;
    std::memcpy(&id, frame + ETH_HLEN, 8);
    std::memcpy(&generation, frame + ETH_HLEN + 8, 8);
    return id == instance ? std::optional(generation) : std::nullopt;
}

// What tells two copies of one segment from two segments: the IP and TCP headers as captured (IPv4's id and
// checksum, TCP's timestamp option) and the payload length. Not the time stamp: the two sockets may stamp apart.
std::string segmentKey(const RawPacket &p)
{
    std::string key(p.headers.begin(), p.headers.end());
    key.append(reinterpret_cast<const char *>(&p.payloadLen), sizeof p.payloadLen);
    return key;
}

} // namespace

// Set-up and handover. open() returns as soon as a plain packet socket on lo receives (no grace period); a
// thread meanwhile sets the ring up on a second socket (one grace period) and binds it, and from then on every
// frame reaches both. It then sends a handover marker through lo. The plain socket is read up to that marker;
// the ring from its start, less the segments the plain socket had read since the ring was bound (both sockets
// got them): so no segment is lost or read twice, even when another CPU delivered a segment to the two sockets
// on different sides of the marker. The plain socket's drops up to the ring's bind are added to the ring's.
struct PacketCapture::Impl
{
    enum class Phase
    {
        Plain,       // only the plain socket receives
        HandingOver, // both do; the plain socket is read until it shows the handover marker
        Ring         // the ring is read; the plain socket is being closed
    };

    std::atomic<int> fd{-1}; // the ring's socket, once it is set up (never changes after)
    int wakeFd = -1;         // eventfd: tells the capture thread to look at m_stopping
    int ifindex = 0;
    std::uint8_t *ring = nullptr; // guarded by ringMutex until set up, then fixed
    std::size_t ringSize = 0;
    std::uint64_t instanceId = 0; // tells our sync markers from those of another capture in the same netns

    std::mutex lifeMutex; // guards thread start/join
    std::thread thread;
    std::thread setupThread; // sets up the ring, then closes the plain socket
    // The set-up thread is joined as soon as it is done, by the capture loop (or by the destructor): a finished
    // thread left unjoined for the rest of the run is a leak that outlives a lab ended at its bound (_exit).
    std::mutex setupJoinMutex;
    std::atomic<bool> setupDone{false};
    void joinSetupThread()
    {
        std::lock_guard joinLock(setupJoinMutex);
        if (setupThread.joinable())
            setupThread.join();
    }
    std::atomic<bool> stopping{false};
    std::atomic<bool> running{false};
    std::atomic<bool> quitting{false}; // the destructor: the set-up thread hands over no more

    // Both the capture thread and sync() read the ring, so sync() does not depend on the capture thread being
    // scheduled (on a loaded machine that took tens of ms). Lock order: ringMutex, then mutex, then tapMutex.
    std::mutex ringMutex;
    std::condition_variable handedOver; // with ringMutex: phase changed, or quitting
    Phase phase = Phase::Plain;         // guarded by ringMutex
    bool ringFailed = false;            // guarded by ringMutex: the set-up gave up, the plain socket stays
    unsigned nextFrame = 0;             // guarded by ringMutex: the next frame to read and hand back to the kernel
    std::vector<RawPacket> batch;       // guarded by ringMutex: decoded packets before they are published
    std::vector<std::string> plainKeys; // guarded by ringMutex: segments the plain socket read while both received
    bool ringPastHandover = false;      // guarded by ringMutex
    bool ringPublished = false;         // guarded by ringMutex: ringActive (below) is set
    unsigned ringSinceHandover = 0;     // guarded by ringMutex: ring frames read after the handover marker

    std::mutex tapMutex;          // a leaf lock: guards the two members below
    std::unique_ptr<LoTap> tap;   // the plain socket, until it is closed after the handover
    bool tapDropsCounted = false; // its drops up to the ring's bind are in drops; the later ones are not losses

    std::atomic<std::uint64_t> segmentsRead{0}; // tcpSegments, readable without the lock

    std::mutex mutex; // guards everything below
    std::vector<RawPacket> packets;
    std::uint64_t tcpSegments = 0;
    std::uint64_t plainSegments = 0; // of tcpSegments, read from the plain socket
    bool ringActive = false;
    std::uint64_t drops = 0;
    std::uint64_t markerSent = 0; // generation counter: sync() n sends marker n
    std::uint64_t markerRead = 0; // highest marker the capture thread has read from the ring

    ~Impl()
    {
        quitting = true;
        {
            std::lock_guard lock(ringMutex);
            handedOver.notify_all();
        }
        joinSetupThread();
        if (ring)
            munmap(ring, ringSize);
        if (fd >= 0)
            close(fd);
        if (wakeFd >= 0)
            close(wakeFd);
    }

    void setUpRing();
    void captureLoop();
    void drainRing();
    void readTapLocked(std::uint64_t &newestMarker);
    void readRingLocked(std::uint64_t &newestMarker);
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
    std::string why;
    auto fail = [error, &why](const std::string &what) -> std::unique_ptr<PacketCapture> {
        if (error)
            *error = what.empty() ? why : what;
        return nullptr;
    };
    std::unique_ptr<PacketCapture> capture(new PacketCapture());
    Impl &d = *capture->m_impl;
    d.instanceId = std::uint64_t(getpid()) << 32 ^ std::uint64_t(reinterpret_cast<std::uintptr_t>(&d)) ^
                   std::uint64_t(realtimeNs());
    d.ifindex = int(if_nametoindex("lo"));
    if (d.ifindex == 0)
        return fail(captureSysError("looking up interface lo"));
    d.tap = LoTap::open(d.ifindex, &why);
    if (!d.tap)
        return fail({});
    const int wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake < 0)
        return fail(captureSysError("eventfd"));
    d.wakeFd = moveFdHigh(wake);
    d.setupThread = std::thread([&d] {
        d.setUpRing();
        d.setupDone = true;
    });
    // Without arrival stamps the plain socket would date segments when it reads them, after the calls that sent
    // them: then the run waits for the ring, as it did before the plain socket (bounded: a ring that never comes
    // leaves the plain socket, its stamps late, rather than no capture).
    if (!d.tap->stampsOnArrival()) {
        std::unique_lock ringLock(d.ringMutex);
        d.handedOver.wait_for(ringLock, kRingWaitBound, [&d] { return d.phase != Impl::Phase::Plain || d.ringFailed; });
    }
    return capture;
}

void PacketCapture::Impl::setUpRing()
{
    std::string error;
    auto giveUp = [this] { // the plain socket goes on alone; its drops are counted
        std::lock_guard ringLock(ringMutex);
        ringFailed = true;
        handedOver.notify_all();
    };
    const int ringFd = openLoPacketSocket(&error);
    if (ringFd < 0)
        return giveUp();
    const int version = TPACKET_V2;
    tpacket_req req{};
    req.tp_block_size = kBlockSize;
    req.tp_block_nr = kBlockCount;
    req.tp_frame_size = kFrameSize;
    req.tp_frame_nr = kFrameCount;
    void *map = MAP_FAILED;
    // PACKET_RX_RING waits for the grace period: the reason this runs on its own thread.
    if (setsockopt(ringFd, SOL_PACKET, PACKET_VERSION, &version, sizeof version) < 0 ||
        setsockopt(ringFd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) < 0 ||
        (map = mmap(nullptr, std::size_t(kBlockSize) * kBlockCount, PROT_READ | PROT_WRITE, MAP_SHARED, ringFd, 0)) ==
            MAP_FAILED) {
        close(ringFd);
        return giveUp();
    }
    {
        std::lock_guard ringLock(ringMutex);
        ring = static_cast<std::uint8_t *>(map);
        ringSize = std::size_t(kBlockSize) * kBlockCount;
        fd = ringFd;
        if (quitting || !bindToLo(ringFd, ifindex, &error)) {
            ringFailed = true; // the destructor unmaps and closes the ring
            handedOver.notify_all();
            return;
        }
        // Every frame from here on reaches both sockets: what the plain socket lost so far is lost.
        {
            std::lock_guard lock(mutex);
            std::lock_guard tapLock(tapMutex);
            drops += tap->takeDrops();
            tapDropsCounted = true;
        }
        phase = Phase::HandingOver;
        handedOver.notify_all(); // open() may be waiting for the ring
    }
    sendMarker(kHandoverGeneration);
    std::unique_lock ringLock(ringMutex);
    handedOver.wait(ringLock, [this] { return phase == Phase::Ring || quitting; });
    ringLock.unlock();
    std::unique_ptr<LoTap> closing;
    {
        std::lock_guard tapLock(tapMutex);
        closing = std::move(tap);
    }
    closing.reset(); // a grace period, on this thread only
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
    // Through the ring's socket once it exists, else the plain one (kept open meanwhile by the lock).
    std::lock_guard tapLock(tapMutex);
    const int via = fd >= 0 ? fd.load() : tap ? tap->fd() : -1;
    for (;;) {
        const ssize_t n = sendto(via, frame, sizeof frame, 0, reinterpret_cast<sockaddr *>(&to), sizeof to);
        if (n >= 0)
            return true;
        if (errno != EINTR)
            return false;
    }
}

// A time-only rule ("no frame newer than X, so everything before X is read") would be wrong: a frame the kernel
// is still copying is invisible until its status flips. Instead sync() sends a marker frame after its start and
// reads the ring itself until the marker shows up; the kernel takes ring slots in arrival order and the ring is
// read in slot order, so every frame queued before the marker has then been read (the plain socket's queue, too,
// is in arrival order). lo delivers the marker in the sending thread's own softirq, so it is normally in the
// ring when sendto() returns: cost ~10 us, no timer.
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
        // capture thread reading the marker between our check and this poll (no further wake-up would come),
        // and the plain socket's phase (no ring to wait on yet: a 1 ms sleep).
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
    if (fd >= 0 && getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0)
        drops += st.tp_drops;
    std::lock_guard tapLock(tapMutex);
    if (tap && !tapDropsCounted) // no ring yet: the plain socket's drops are losses
        drops += tap->takeDrops();
}

PacketCapture::Stats PacketCapture::stats()
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->readStatsLocked();
    // packets counts decoded TCP segments, not the markers or other frames the kernel also counts.
    return {m_impl->tcpSegments, m_impl->drops, m_impl->plainSegments, m_impl->ringActive};
}

std::uint64_t PacketCapture::segmentsRead() const
{
    return m_impl->segmentsRead.load(std::memory_order_relaxed);
}

void PacketCapture::Impl::readTapLocked(std::uint64_t &newestMarker)
{
    // Only this thread (holding ringMutex) reads or closes the plain socket before the phase is Ring.
    tap->read([&](const std::uint8_t *frame, std::uint32_t length, std::int64_t tNs) {
        if (auto generation = markerGeneration(frame, length, instanceId)) {
            if (*generation == kHandoverGeneration && phase == Phase::HandingOver) {
                phase = Phase::Ring;
                return false;
            }
            newestMarker = std::max(newestMarker, *generation);
            return true;
        }
        RawPacket packet;
        if (decodeTcp(frame, length, packet)) {
            packet.tNs = tNs;
            if (phase == Phase::HandingOver)
                plainKeys.push_back(segmentKey(packet));
            batch.push_back(std::move(packet));
        }
        return true;
    });
    if (phase == Phase::Ring)
        handedOver.notify_all();
}

void PacketCapture::Impl::readRingLocked(std::uint64_t &newestMarker)
{
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
            // A segment the plain socket already read is dropped here, once.
            auto seen =
                plainKeys.empty() ? plainKeys.end() : std::find(plainKeys.begin(), plainKeys.end(), segmentKey(packet));
            if (seen != plainKeys.end())
                plainKeys.erase(seen);
            else
                batch.push_back(std::move(packet));
        } else if (auto generation = markerGeneration(frame, hdr->tp_snaplen, instanceId)) {
            if (*generation == kHandoverGeneration)
                ringPastHandover = true;
            else
                newestMarker = std::max(newestMarker, *generation);
        }
        if (ringPastHandover && ++ringSinceHandover >= kHandoverWindow)
            plainKeys.clear();
        __atomic_store_n(&hdr->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
        nextFrame = (nextFrame + 1) % kFrameCount;
    }
}

void PacketCapture::Impl::drainRing()
{
    std::lock_guard ringLock(ringMutex);
    std::uint64_t newestMarker = 0;
    std::size_t fromPlain = 0;
    if (phase != Phase::Ring) {
        readTapLocked(newestMarker);
        fromPlain = batch.size();
    }
    if (phase == Phase::Ring)
        readRingLocked(newestMarker);
    const bool ringNews = phase == Phase::Ring && !ringPublished;
    if (batch.empty() && newestMarker == 0 && !ringNews)
        return;
    {
        std::lock_guard lock(mutex);
        tcpSegments += batch.size();
        plainSegments += fromPlain;
        ringActive = phase == Phase::Ring;
        segmentsRead.store(tcpSegments, std::memory_order_relaxed);
        if (packets.empty())
            packets.swap(batch);
        else
            packets.insert(packets.end(), std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
        markerRead = std::max(markerRead, newestMarker);
    }
    ringPublished = phase == Phase::Ring;
    batch.clear();
}

void PacketCapture::Impl::captureLoop()
{
    {
        std::lock_guard ringLock(ringMutex);
        batch.reserve(4096);
    }
    while (!stopping) {
        // Only stop() wakes the thread early; waiting on the ring's fd would wake it for every frame. The plain
        // socket's small queue is waited on (a wake-up per frame, for the few milliseconds before the ring).
        const bool plain = fd < 0 || [this] {
            std::lock_guard ringLock(ringMutex);
            return phase != Phase::Ring;
        }();
        pollfd fds[2] = {{wakeFd, POLLIN, 0}, {-1, POLLIN, 0}};
        if (plain) {
            std::lock_guard tapLock(tapMutex);
            fds[1].fd = tap ? tap->fd() : -1;
        }
        const int n = poll(fds, 2, kDrainPeriodMs);
        if (n < 0 && errno != EINTR)
            break;
        if (fds[0].revents & POLLIN) {
            std::uint64_t value = 0;
            [[maybe_unused]] auto r = read(wakeFd, &value, sizeof value);
        }
        drainRing();
        if (setupDone.exchange(false))
            joinSetupThread();
    }
    drainRing();
    running = false;
}

} // namespace sockscope::core
