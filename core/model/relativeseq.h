// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the initial sequence number of each direction of a connection, so a segment's seq and ack can be
// shown relative to them (the SYN is seq=0, its answer ack=1), as Wireshark does.
// Thread-safety: a plain value, used by the event builder's thread only.

#include <cstdint>
#include <map>
#include <string>

namespace sockscope::core {

class RelativeSeq
{
public:
    // src/dst are endpoint texts ("127.0.0.1:5000"); a SYN (or SYN|ACK) in that direction sets its ISN.
    void sawSyn(const std::string &src, const std::string &dst, std::uint32_t seq) { m_isn[src + ">" + dst] = seq; }
    // Absolute values stay as they are while the direction's SYN is unknown.
    std::uint32_t seq(const std::string &src, const std::string &dst, std::uint32_t seq) const;
    std::uint32_t ack(const std::string &src, const std::string &dst, std::uint32_t ack) const;

private:
    std::map<std::string, std::uint32_t> m_isn; // "src>dst" -> ISN of that direction
};

} // namespace sockscope::core
