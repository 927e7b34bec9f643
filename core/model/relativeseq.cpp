// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/relativeseq.h"

namespace sockscope::core {

std::uint32_t RelativeSeq::seq(const std::string &src, const std::string &dst, std::uint32_t seq) const
{
    auto own = m_isn.find(src + ">" + dst);
    return own == m_isn.end() ? seq : seq - own->second;
}

std::uint32_t RelativeSeq::ack(const std::string &src, const std::string &dst, std::uint32_t ack) const
{
    auto peer = m_isn.find(dst + ">" + src);
    return peer == m_isn.end() ? ack : ack - peer->second;
}

} // namespace sockscope::core
