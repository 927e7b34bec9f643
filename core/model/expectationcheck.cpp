// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/expectationcheck.h"

#include <algorithm>
#include <optional>
#include <sstream>
#include <vector>

namespace sockscope::core {

namespace {
std::vector<std::string> sortedTokens(const std::string &text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string t; in >> t;)
        out.push_back(t);
    std::sort(out.begin(), out.end());
    return out;
}

bool sameErrno(const std::string &a, const std::string &b)
{
    // Aliases share a number (EWOULDBLOCK = EAGAIN, ENOTSUP = EOPNOTSUPP); "E<number>" names compare as text.
    const std::optional<int> na = errnoNumber(a), nb = errnoNumber(b);
    return na && nb ? *na == *nb : a == b;
}
} // namespace

CheckOutcome judgeReturn(const Expectation &expect, const ObservedResult &result)
{
    // `= blocked` means still in the kernel when the next step started: a call judged at its return came
    // back before that.
    if (expect.kind == Expectation::Kind::Blocked)
        return {"returned " + std::to_string(result.ret), false};
    CheckOutcome out{result.ret < 0 ? "-1 " + result.err : std::to_string(result.ret), false};
    switch (expect.kind) {
    case Expectation::Kind::Value:
        out.ok = result.ret == expect.value;
        break;
    case Expectation::Kind::Error:
        out.ok = result.ret == -1 && sameErrno(result.err, expect.err);
        break;
    case Expectation::Kind::AnyFd:
        out.ok = result.ret >= 0;
        break;
    case Expectation::Kind::Blocked:
        break;
    }
    if (expect.hasData) {
        out.got += " [" + result.data.value_or("") + "]";
        std::vector<std::string> want = expect.data;
        std::sort(want.begin(), want.end());
        out.ok = out.ok && sortedTokens(result.data.value_or("")) == want;
    }
    if (result.sigpipe)
        out.got += ", SIGPIPE";
    out.ok = out.ok && result.sigpipe == expect.sigpipe;
    return out;
}

CheckOutcome judgeNeverReturned(const Expectation &expect)
{
    bool expectBlocked = expect.kind == Expectation::Kind::Blocked;
    return {expectBlocked ? "blocked" : "blocked (never returned)", expectBlocked};
}

std::optional<CheckInfo> ExpectationChecker::check(const Step &step, const CheckOutcome &outcome)
{
    if (!step.expect || !m_checked.insert(step.index).second)
        return std::nullopt;
    if (!outcome.ok)
        m_allOk = false;
    return CheckInfo{step.index, step.expect->text, outcome.got, outcome.ok};
}

} // namespace sockscope::core
