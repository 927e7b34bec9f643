// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: judges a step's '~' expectations (a segment sent or not during the step, a socket's state after it, a
// timer change of a socket during it)
// against the segments captured in the step's batch, its timer events and the derived states at its end.
// Thread-safety: pure functions.

#include "core/model/expectationcheck.h"
#include "core/scenario/scenario.h"
#include "core/stream/event.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sockscope::core {

// A segment as the expectations see it: the actors at its ends ("" where no socket owns that end).
struct SeenSegment
{
    std::string fromActor;
    std::string toActor;
    std::uint8_t flags = 0;
    bool dropped = false;
};

// A timer event of the step, as the expectations see it.
struct SeenTimer
{
    std::string sock;
    TimerChange change = TimerChange::Armed;
};

// stateOf: the derived state of a socket by its stable name, nothing when no such socket exists.
CheckOutcome judgeWireExpectation(const WireExpectation &expect, const std::vector<SeenSegment> &segments,
                                  const std::vector<SeenTimer> &timers,
                                  const std::function<std::optional<TcpState>(const std::string &)> &stateOf);

} // namespace sockscope::core
