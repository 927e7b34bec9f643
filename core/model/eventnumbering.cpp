// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/eventnumbering.h"

#include <algorithm>
#include <numeric>

namespace sockscope::core {

size_t EventNumbering::add(std::int64_t absNs, EventPayload payload)
{
    m_out.push_back(Event{static_cast<std::int64_t>(m_out.size()), absNs - m_startNs, std::move(payload)});
    return m_out.size() - 1;
}

void EventNumbering::flush()
{
    std::vector<size_t> order(m_out.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return m_out[a].tNs < m_out[b].tNs; });
    std::vector<std::int64_t> finalN(m_out.size());
    for (size_t pos = 0; pos < order.size(); ++pos)
        finalN[order[pos]] = m_nextN + static_cast<std::int64_t>(pos);
    for (size_t local : order) {
        Event e = std::move(m_out[local]);
        e.n = finalN[local];
        e.tNs = std::max(e.tNs, m_lastRelNs);
        m_lastRelNs = e.tNs;
        if (auto *st = e.as<StateInfo>(); st && st->cause >= 0)
            st->cause = finalN[static_cast<size_t>(st->cause)];
        m_sink(std::move(e));
    }
    m_nextN += static_cast<std::int64_t>(order.size());
    m_out.clear();
}

void EventNumbering::sendNow(std::int64_t relNs, EventPayload payload)
{
    m_sink(Event{m_nextN++, relNs, std::move(payload)});
}

} // namespace sockscope::core
