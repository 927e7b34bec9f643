// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/wireexpectcheck.h"

#include "core/stream/event.h"

namespace sockscope::core {

namespace {

constexpr std::uint8_t kAllFlags = 0x3f;

bool matches(const WireExpectation &x, const SeenSegment &s)
{
    if (!x.from.empty() && (s.fromActor != x.from || s.toActor != x.to))
        return false;
    const std::uint8_t mask = x.onlyAck ? kAllFlags : x.flags;
    return (s.flags & mask) == x.flags;
}

std::string describe(const SeenSegment &s)
{
    return (s.fromActor.empty() ? "?" : s.fromActor) + " -> " + (s.toActor.empty() ? "?" : s.toActor) + " " +
           flagsText(s.flags) + (s.dropped ? " (dropped)" : "");
}

} // namespace

CheckOutcome judgeWireExpectation(const WireExpectation &expect, const std::vector<SeenSegment> &segments,
                                  const std::vector<SeenTimer> &timers,
                                  const std::function<std::optional<TcpState>(const std::string &)> &stateOf)
{
    if (expect.kind == WireExpectation::Kind::Timer || expect.kind == WireExpectation::Kind::NoTimer) {
        if (!stateOf(expect.sock))
            return {"no socket " + expect.sock, false};
        std::string seen; // the socket's timer changes during the step, in order
        bool hit = false;
        for (const auto &t : timers)
            if (t.sock == expect.sock) {
                seen += (seen.empty() ? "" : " ") + std::string(timerChangeName(t.change));
                hit = hit || t.change == expect.timerChange;
            }
        const std::string got = expect.sock + " timer " + (seen.empty() ? "unchanged" : seen);
        return {got, hit == (expect.kind == WireExpectation::Kind::Timer)};
    }
    if (expect.kind == WireExpectation::Kind::State) {
        auto state = stateOf(expect.sock);
        if (!state)
            return {"no socket " + expect.sock, false};
        return {expect.sock + " " + std::string(stateName(*state)), stateName(*state) == expect.state};
    }
    const SeenSegment *hit = nullptr;
    for (const auto &s : segments)
        if (!hit && matches(expect, s))
            hit = &s;
    if (expect.kind == WireExpectation::Kind::NotSent)
        return {hit ? describe(*hit) : "none", hit == nullptr};
    if (hit)
        return {describe(*hit), true};
    return {segments.empty() ? "no segment" : "none among " + std::to_string(segments.size()) + " segments", false};
}

} // namespace sockscope::core
