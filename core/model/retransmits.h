// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: tells a retransmission from a new segment: the same sender, receiver and sequence number again, on a
// segment that occupies sequence space (data, SYN or FIN), and how long after the first transmission.
// Thread-safety: a plain value, used by the event builder's thread only.

#include <cstdint>
#include <map>
#include <string>
#include <tuple>

namespace sockscope::core {

class Retransmits
{
public:
    struct Seen
    {
        int count = 0;            // 0: the first transmission; k: the k-th retransmission
        std::int64_t sinceNs = 0; // since the first transmission
    };
    // seq is the absolute sequence number; a segment without data, SYN or FIN is never a retransmission.
    Seen see(const std::string &src, const std::string &dst, std::uint32_t seq, bool occupiesSequence,
             std::int64_t absNs);

private:
    struct First
    {
        std::int64_t absNs = 0;
        int count = 0;
    };
    std::map<std::tuple<std::string, std::string, std::uint32_t>, First> m_first;
};

} // namespace sockscope::core
