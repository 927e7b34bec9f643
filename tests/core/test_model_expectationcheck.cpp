// SPDX-License-Identifier: GPL-3.0-or-later
// Expectation checks, table-driven with hand-written expectations: what a result reads as ("got") and
// whether it meets `= N`, `= -1 ENAME`, `= fd`, `= blocked`, `[data]` and `, SIGPIPE`.
#include "core/model/expectationcheck.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace sockscope::core;

namespace {

using Kind = Expectation::Kind;

Expectation expect(Kind kind, std::int64_t value = 0, std::string err = {}, std::vector<std::string> data = {},
                   bool hasData = false, bool sigpipe = false)
{
    Expectation e;
    e.kind = kind;
    e.value = value;
    e.err = std::move(err);
    e.data = std::move(data);
    e.hasData = hasData;
    e.sigpipe = sigpipe;
    return e;
}

struct Row
{
    std::string name;
    Expectation expect;
    ObservedResult result;
    std::string got;
    bool ok;
};

void PrintTo(const Row &row, std::ostream *os)
{
    *os << row.name;
}

class Judge : public testing::TestWithParam<Row>
{
};

TEST_P(Judge, ReadsAndJudgesTheResult)
{
    const Row &r = GetParam();
    CheckOutcome out = judgeReturn(r.expect, r.result);
    EXPECT_EQ(out.got, r.got);
    EXPECT_EQ(out.ok, r.ok);
}

INSTANTIATE_TEST_SUITE_P(
    ExpectationCheck, Judge,
    testing::Values(
        Row{"ValueMet", expect(Kind::Value, 0), {0, "", {}, false}, "0", true},
        Row{"ValueMissed", expect(Kind::Value, 5), {3, "", {}, false}, "3", false},
        Row{"ValueButFailed", expect(Kind::Value, 0), {-1, "ECONNREFUSED", {}, false}, "-1 ECONNREFUSED", false},
        Row{"ErrorMet", expect(Kind::Error, 0, "EPIPE"), {-1, "EPIPE", {}, false}, "-1 EPIPE", true},
        Row{"OtherError", expect(Kind::Error, 0, "EPIPE"), {-1, "ECONNRESET", {}, false}, "-1 ECONNRESET", false},
        Row{"ErrorButSucceeded", expect(Kind::Error, 0, "EAGAIN"), {4, "", {}, false}, "4", false},
        Row{"EwouldblockIsEagain", expect(Kind::Error, 0, "EWOULDBLOCK"), {-1, "EAGAIN", {}, false}, "-1 EAGAIN", true},
        Row{"EagainIsEwouldblock",
            expect(Kind::Error, 0, "EAGAIN"),
            {-1, "EWOULDBLOCK", {}, false},
            "-1 EWOULDBLOCK",
            true},
        Row{"EnotsupIsEopnotsupp",
            expect(Kind::Error, 0, "ENOTSUP"),
            {-1, "EOPNOTSUPP", {}, false},
            "-1 EOPNOTSUPP",
            true},
        Row{"UnnamedErrnosByText", expect(Kind::Error, 0, "E4242"), {-1, "E4243", {}, false}, "-1 E4243", false},
        Row{"AnyFdMet", expect(Kind::AnyFd), {3, "", {}, false}, "3", true},
        Row{"AnyFdZero", expect(Kind::AnyFd), {0, "", {}, false}, "0", true},
        Row{"AnyFdFailed", expect(Kind::AnyFd), {-1, "EMFILE", {}, false}, "-1 EMFILE", false},
        Row{"DataAsASet",
            expect(Kind::Value, 1, "", {"EPOLLIN", "EPOLLOUT"}, true),
            {1, "", "EPOLLOUT EPOLLIN", false},
            "1 [EPOLLOUT EPOLLIN]",
            true},
        Row{"DataMissingOne",
            expect(Kind::Value, 1, "", {"EPOLLIN", "EPOLLHUP"}, true),
            {1, "", "EPOLLIN", false},
            "1 [EPOLLIN]",
            false},
        Row{"DataExtraOne",
            expect(Kind::Value, 1, "", {"EPOLLIN"}, true),
            {1, "", "EPOLLIN EPOLLRDHUP", false},
            "1 [EPOLLIN EPOLLRDHUP]",
            false},
        Row{"DataAbsent", expect(Kind::Value, 0, "", {}, true), {0, "", {}, false}, "0 []", true},
        Row{"DataRightValueWrong",
            expect(Kind::Value, 4, "", {"ECONNREFUSED"}, true),
            {0, "", "ECONNREFUSED", false},
            "0 [ECONNREFUSED]",
            false},
        Row{"SigpipeMet",
            expect(Kind::Error, 0, "EPIPE", {}, false, true),
            {-1, "EPIPE", {}, true},
            "-1 EPIPE, SIGPIPE",
            true},
        Row{"SigpipeMissing",
            expect(Kind::Error, 0, "EPIPE", {}, false, true),
            {-1, "EPIPE", {}, false},
            "-1 EPIPE",
            false},
        Row{"SigpipeUnexpected", expect(Kind::Error, 0, "EPIPE"), {-1, "EPIPE", {}, true}, "-1 EPIPE, SIGPIPE", false},
        // Judged at the return, `= blocked` is never met: the call came back before the next step started
        // (a call still in the kernel then is judged by judgeNeverReturned, below).
        Row{"BlockedButReturned", expect(Kind::Blocked), {5, "", {}, false}, "returned 5", false},
        Row{"BlockedButFailed", expect(Kind::Blocked), {-1, "EAGAIN", {}, false}, "returned -1", false}),
    [](const testing::TestParamInfo<Row> &info) { return info.param.name; });

TEST(ExpectationCheck, NeverReturned)
{
    CheckOutcome blocked = judgeNeverReturned(expect(Kind::Blocked));
    EXPECT_EQ(blocked.got, "blocked");
    EXPECT_TRUE(blocked.ok);
    CheckOutcome value = judgeNeverReturned(expect(Kind::Value, 0));
    EXPECT_EQ(value.got, "blocked (never returned)");
    EXPECT_FALSE(value.ok);
}

TEST(ExpectationCheck, EachStepIsCheckedOnce)
{
    ExpectationChecker checker;
    Step plain;
    plain.index = 0;
    Step withExpect;
    withExpect.index = 3;
    withExpect.expect = expect(Kind::Value, 0);
    withExpect.expect->text = "0";
    EXPECT_FALSE(checker.check(plain, {"0", true})) << "no expectation, no check";
    auto first = checker.check(withExpect, {"0", true});
    ASSERT_TRUE(first);
    EXPECT_EQ(first->step, 3);
    EXPECT_EQ(first->expected, "0");
    EXPECT_EQ(first->got, "0");
    EXPECT_TRUE(first->ok);
    EXPECT_TRUE(checker.allOk());
    EXPECT_FALSE(checker.check(withExpect, {"-1 EPIPE", false})) << "the first verdict stands";
    EXPECT_TRUE(checker.allOk());
    Step failing = withExpect;
    failing.index = 4;
    auto second = checker.check(failing, {"5", false});
    ASSERT_TRUE(second);
    EXPECT_FALSE(second->ok);
    EXPECT_FALSE(checker.allOk());
}

} // namespace
