// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: judges a call's result against its step's expectation (`= 0`, `= -1 EPIPE`, `= fd`, `= blocked`,
// `[data]`, `, SIGPIPE`) and makes sure each step is checked once.
// Thread-safety: a plain value, used by the event builder's thread only.

#include "core/scenario/scenario.h"
#include "core/stream/event.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace sockscope::core {

// What a call did, as far as an expectation can ask.
struct ObservedResult
{
    std::int64_t ret = 0;
    std::string err; // errno name, "" when the call succeeded
    std::optional<std::string> data;
    bool sigpipe = false;
};

struct CheckOutcome
{
    std::string got; // "0", "-1 EPIPE", "3 [EPOLLIN EPOLLOUT], SIGPIPE", "blocked", "returned 5"
    bool ok = false;
};

// A call that returned before the next step started (so `= blocked` is not met).
CheckOutcome judgeReturn(const Expectation &expect, const ObservedResult &result);
// A call still in the kernel when the next step started, or when the run ended: only `= blocked` is met; any
// other expectation waits for the return (at the end of the run it never came).
CheckOutcome judgeNeverReturned(const Expectation &expect);

class ExpectationChecker
{
public:
    // The check event for the step, or nothing when it has no expectation or was checked already.
    std::optional<CheckInfo> check(const Step &step, const CheckOutcome &outcome);
    bool allOk() const { return m_allOk; }

private:
    std::set<int> m_checked; // step indexes
    bool m_allOk = true;
};

} // namespace sockscope::core
