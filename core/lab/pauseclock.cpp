// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/pauseclock.h"

#include <algorithm>
#include <limits>

namespace sockscope::core {

void PauseClock::pauseBegan(std::int64_t absNs)
{
    if (!m_pauses.empty() && m_pauses.back().end == std::numeric_limits<std::int64_t>::max())
        return; // already paused
    m_pauses.push_back(Pause{absNs, std::numeric_limits<std::int64_t>::max(), 0});
}

void PauseClock::pauseEnded(std::int64_t absNs)
{
    if (m_pauses.empty() || m_pauses.back().end != std::numeric_limits<std::int64_t>::max())
        return;
    Pause &p = m_pauses.back();
    p.end = std::max(absNs, p.begin);
    p.kept = std::min(p.kept, p.end - p.begin);
}

std::int64_t PauseClock::place(std::int64_t absNs)
{
    for (auto it = m_pauses.rbegin(); it != m_pauses.rend(); ++it) {
        if (absNs <= it->begin)
            continue;
        if (absNs < it->end)
            it->kept = std::max(it->kept, absNs - it->begin);

        break;
    }
    return at(absNs);
}

std::int64_t PauseClock::at(std::int64_t absNs) const
{
    std::int64_t removed = 0;
    for (const Pause &p : m_pauses) {
        if (absNs <= p.begin)
            break;
        if (absNs >= p.end) {
            removed += p.end - p.begin - p.kept;
            continue;
        }
        removed += std::max<std::int64_t>(0, absNs - p.begin - p.kept); // idle so far in this pause
        break;
    }
    return absNs - removed;
}

} // namespace sockscope::core
