// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/model/queuefacts.h"
#include "core/stream/callkinds.h"

#include <algorithm>
#include <unordered_map>

namespace sockscope::ui {

QueueFacts queueFactsBefore(std::span<const core::Event> events, std::size_t before, const std::string &sock)
{
    QueueFacts f;
    enum class Dir
    {
        Other,
        Read,
        Write
    };
    std::unordered_map<std::int64_t, Dir> calls;
    std::int64_t received = 0, read = 0, written = 0, ackedUpTo = 0, lastRecvQ = 0, lastSendQ = 0;
    before = std::min(before, events.size());
    for (std::size_t i = 0; i < before; ++i) {
        const core::Event &e = events[i];
        if (const auto *c = e.as<core::SyscallInfo>(); c && c->sock == sock) {
            const bool isRead = core::readsData(c->call);
            const bool isWrite = core::writesData(c->call);
            calls[c->id] = isRead ? Dir::Read : isWrite ? Dir::Write : Dir::Other;
        } else if (const auto *r = e.as<core::ReturnInfo>(); r && r->ret > 0) {
            if (const auto it = calls.find(r->id); it != calls.end() && it->second == Dir::Read)
                read += r->ret;
            else if (it != calls.end() && it->second == Dir::Write)
                written += r->ret;
        } else if (const auto *p = e.as<core::PacketInfo>()) {
            if (p->to == sock) {
                f.captured = true;
                received += p->len;
                f.finReceived = f.finReceived || core::hasFlag(p->flags, core::SegmentFlag::Fin);
                if (core::hasFlag(p->flags, core::SegmentFlag::Ack))
                    ackedUpTo = std::max<std::int64_t>(ackedUpTo, p->ack);
            } else if (p->from == sock) {
                f.captured = true;
            }
        } else if (const auto *q = e.as<core::QueueInfo>(); q && q->sock == sock) {
            lastRecvQ = q->recvQ;
            lastSendQ = q->sendQ;
        }
    }
    if (f.captured) {
        f.unreadData = std::max<std::int64_t>(0, received - read);
        // Relative sequence numbers: the SYN is 0, the first data byte 1.
        f.unackedData = written - std::clamp<std::int64_t>(ackedUpTo - 1, 0, written);
    } else {
        f.unreadData = lastRecvQ;
        f.unackedData = std::min(lastSendQ, written);
    }
    return f;
}

} // namespace sockscope::ui
