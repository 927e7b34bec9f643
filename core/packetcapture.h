// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: captures every TCP segment on `lo` once, through an AF_PACKET TPACKET_V3 ring.
// Thread-safety: open() and the destructor from one thread; start(), sync(), take(), stats() from any thread
// after open(). The capture thread is internal.

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sockscope::core {

struct RawPacket
{
    std::int64_t tNs = 0; // CLOCK_REALTIME, from the ring's per-packet stamp
    bool v6 = false;
    std::array<std::uint8_t, 16> srcIp{}; // IPv4 uses the first 4 bytes
    std::array<std::uint8_t, 16> dstIp{};
    std::uint16_t srcPort = 0;
    std::uint16_t dstPort = 0;
    std::uint8_t flags = 0; // TCP header flag byte (FIN=1, SYN=2, RST=4, PSH=8, ACK=16, URG=32)
    std::uint32_t seq = 0;  // absolute, host order
    std::uint32_t ack = 0;
    std::uint32_t payloadLen = 0;
    std::uint16_t window = 0;          // raw header value
    std::vector<std::uint8_t> headers; // IP + TCP header bytes as captured (no payload)
    std::uint32_t wireLen = 0;         // IP packet length
};

std::string ipText(const std::array<std::uint8_t, 16> &ip, bool v6);                           // "127.0.0.1", "::1"
std::string endpointText(const std::array<std::uint8_t, 16> &ip, std::uint16_t port, bool v6); // "[::1]:80"

class PacketCapture
{
public:
    // Opens the ring on the current network namespace's `lo`. nullptr and *error set when refused
    // (e.g. EPERM without CAP_NET_RAW in the host namespace).
    static std::unique_ptr<PacketCapture> open(std::string *error);
    ~PacketCapture(); // stops and joins the capture thread, unmaps the ring, closes the socket

    void start();
    void stop();
    // Returns once every segment the kernel had stamped before the call has been read from the ring
    // (waits at most a few block-retire periods).
    void sync();
    // Moves out the packets read so far, in capture order.
    std::vector<RawPacket> take();
    struct Stats
    {
        std::uint64_t packets = 0;
        std::uint64_t drops = 0; // tp_drops from PACKET_STATISTICS, summed
    };
    Stats stats();

private:
    PacketCapture();
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace sockscope::core
