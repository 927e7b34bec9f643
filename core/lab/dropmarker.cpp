// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/dropmarker.h"

#include "core/lab/labrecorder.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace sockscope::core {

namespace {

// The capture's tap and the ingress hook run in one softirq pass, the tap first: a segment the ring already
// holds is at most microseconds from its NFLOG report. A millisecond covers that on a loaded machine.
constexpr auto kReportLag = std::chrono::milliseconds(1);

} // namespace

void DropMarker::mark(std::vector<RawPacket> &packets)
{
    if (packets.empty())
        return;
    const std::int64_t newest = std::max_element(packets.begin(), packets.end(), [](const auto &a, const auto &b) {
                                    return a.tNs < b.tNs;
                                })->tNs;
    if (realtimeNs() - newest < std::chrono::nanoseconds(kReportLag).count())
        std::this_thread::sleep_for(kReportLag);
    for (auto &report : m_reader->take())
        m_reported.push_back(std::move(report));
    for (auto &p : packets) {
        auto it = std::find_if(m_reported.begin(), m_reported.end(), [&](const auto &r) {
            return !p.headers.empty() && r.size() >= p.headers.size() &&
                   std::equal(p.headers.begin(), p.headers.end(), r.begin());
        });
        if (it == m_reported.end())
            continue;
        p.dropped = true;
        m_reported.erase(it);
    }
}

} // namespace sockscope::core
