// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/retransmits.h"

namespace sockscope::core {

Retransmits::Seen Retransmits::see(const std::string &src, const std::string &dst, std::uint32_t seq,
                                   bool occupiesSequence, std::int64_t absNs)
{
    if (!occupiesSequence)
        return {};
    auto [it, fresh] = m_first.try_emplace({src, dst, seq}, First{absNs, 0});
    if (fresh)
        return {};
    return {++it->second.count, absNs - it->second.absNs};
}

} // namespace sockscope::core
