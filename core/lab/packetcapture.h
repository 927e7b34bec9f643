// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: captures every TCP segment on `lo` once, through an AF_PACKET TPACKET_V2 ring (and a plain packet socket
// for the few milliseconds the ring takes to set up).
// Thread-safety: open() and the destructor from one thread; start(), sync(), take(), stats() from any thread
// after open(). The capture thread is internal.

#include "core/model/rawrecords.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sockscope::core {

class PacketCapture
{
public:
    // Opens the capture on the current network namespace's `lo`: it receives from the moment this returns, first
    // through a plain packet socket, then through the ring, set up on a thread meanwhile (the handover loses and
    // repeats no segment). nullptr and *error set when refused (e.g. EPERM without CAP_NET_RAW in the host
    // namespace).
    static std::unique_ptr<PacketCapture> open(std::string *error);
    ~PacketCapture(); // stops and joins the capture thread, unmaps the ring, closes the socket

    void start();
    void stop();
    // Returns once every segment the kernel had stamped before the call has been read from the ring
    // (normally within microseconds: it waits only for its own marker frame, bounded at 50 ms).
    void sync();
    // Moves out the packets read so far, in capture order.
    std::vector<RawPacket> take();
    struct Stats
    {
        std::uint64_t packets = 0;
        std::uint64_t drops = 0;        // tp_drops from PACKET_STATISTICS, summed
        std::uint64_t plainPackets = 0; // of packets, read from the plain socket before the ring took over
        bool ring = false;              // the ring has taken over
    };
    Stats stats();
    // TCP segments read from the ring so far (lock-free: the sock_diag sampler polls it every millisecond).
    std::uint64_t segmentsRead() const;

private:
    PacketCapture();
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace sockscope::core
