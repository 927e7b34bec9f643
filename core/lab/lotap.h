// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: AF_PACKET sockets on `lo` for the packet capture: the settings both of its sockets share (the receive
// copy only, the snap length, bound to lo), and the plain socket (no ring) it reads while its ring is set up.
// Thread-safety: a LoTap is read by one thread at a time (PacketCapture's ring lock); sendFrame from any thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace sockscope::core {

// The kernel copies at most this much of each frame: the headers (at most ~150 bytes with the Ethernet header,
// IPv6 and TCP options) and the first ~600 payload bytes, for the pcapng export's Follow TCP Stream (scenario
// data is a few bytes). Loopback segments are up to 64 KiB (GSO) and copying them whole would need 64 KiB frames.
inline constexpr unsigned kSnapLen = 768;

// An AF_PACKET socket that receives nothing yet (protocol 0), moved to a high fd, keeping lo's receive copy only
// (lo hands every segment to packet sockets twice) and cut to kSnapLen. -1 with *error set when refused.
int openLoPacketSocket(std::string *error);
// Starts the socket receiving every frame of lo (ETH_P_ALL). False with *error set.
bool bindToLo(int fd, int ifindex, std::string *error);
// Moves fd to a number >= 100 (closing the old one), so the fds a scenario opens stay small and readable.
int moveFdHigh(int fd);
// "packet capture: WHAT failed (ENAME): text" for errno.
std::string captureSysError(const char *what);

class LoTap
{
public:
    // A plain packet socket on lo, receiving from the moment it returns. Opening it waits for nothing; closing it
    // waits for an RCU grace period (packet_release's synchronize_net()), so the destructor is slow.
    static std::unique_ptr<LoTap> open(int ifindex, std::string *error);
    ~LoTap();
    int fd() const { return m_fd; }
    // False when the kernel's arrival stamps were still off after open()'s wait: frames are then stamped when read.
    bool stampsOnArrival() const { return m_stampsOnArrival; }
    // Reads what is queued, without waiting, in arrival order: frame(bytes, length, CLOCK_REALTIME ns) for each,
    // until the queue is empty or frame() returns false (then frames already read after that one are discarded:
    // the caller reads this socket no more).
    using Frame = std::function<bool(const std::uint8_t *bytes, std::uint32_t length, std::int64_t tNs)>;
    void read(const Frame &frame);
    // Frames the kernel dropped for a full queue since the last call (PACKET_STATISTICS resets its counter).
    std::uint64_t takeDrops();

private:
    explicit LoTap(int fd) : m_fd(fd) {}
    bool awaitArrivalStamps(int ifindex);
    int m_fd;
    bool m_stampsOnArrival = false;
};

} // namespace sockscope::core
