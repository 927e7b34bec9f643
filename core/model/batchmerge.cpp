// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/batchmerge.h"

#include <algorithm>

namespace sockscope::core {

std::vector<BatchItem> mergeBatch(const RawBatch &batch, const std::vector<RawPacket> &packets)
{
    using Kind = BatchItem::Kind;
    std::vector<BatchItem> items;
    items.reserve(batch.steps.size() + batch.enters.size() + batch.exits.size() + packets.size() + batch.fds.size() +
                  batch.diags.size());
    for (size_t i = 0; i < batch.steps.size(); ++i)
        items.push_back({Kind::Step, batch.steps[i].tNs, i});
    for (size_t i = 0; i < batch.enters.size(); ++i)
        items.push_back({Kind::Enter, batch.enters[i].tNs, i});
    for (size_t i = 0; i < packets.size(); ++i)
        items.push_back({Kind::Packet, packets[i].tNs, i});
    for (size_t i = 0; i < batch.exits.size(); ++i)
        items.push_back({Kind::Exit, batch.exits[i].tNs, i});
    for (size_t i = 0; i < batch.fds.size(); ++i)
        items.push_back({Kind::Fd, batch.fds[i].tNs, i});
    for (size_t i = 0; i < batch.diags.size(); ++i)
        items.push_back({Kind::Diag, batch.diags[i].t1Ns, i});
    std::stable_sort(items.begin(), items.end(), [](const BatchItem &a, const BatchItem &b) {
        return a.tNs != b.tNs ? a.tNs < b.tNs : a.kind < b.kind;
    });
    return items;
}

} // namespace sockscope::core
