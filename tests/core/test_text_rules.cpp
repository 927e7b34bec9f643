// SPDX-License-Identifier: GPL-3.0-or-later
// The one home of each rule: which steps form an '&' group (core/scenario/stepgroups.h) and when a close() is
// abortive because of SO_LINGER {on, 0} (core/model/abortiveclose.h), against hand-written expectations.
#include "core/model/abortiveclose.h"
#include "core/scenario/stepgroups.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace sockscope::core;

namespace {

// "&" marks a step that joins the next one: "a& b c& d& e" is three groups {0,1} {2} {3,4,5}... by position.
std::vector<Step> steps(const std::string &marks)
{
    std::vector<Step> out;
    for (char c : marks) {
        Step s;
        s.index = static_cast<int>(out.size());
        s.together = c == '&';
        out.push_back(s);
    }
    return out;
}

SyscallInfo setsockopt(std::int64_t id, const std::string &sock, const std::string &option, const char *on,
                       const char *secs)
{
    SyscallInfo s;
    s.id = id;
    s.call = "setsockopt";
    s.sock = sock;
    s.fd = 4;
    s.args.push_back({"option", option, false});
    if (on)
        s.args.push_back({"value", on, true});
    if (secs)
        s.args.push_back({"linger", secs, true});
    return s;
}

Event ev(EventPayload p)
{
    Event e;
    e.payload = std::move(p);
    return e;
}

Event ret(std::int64_t id, const std::string &err = {})
{
    return ev(ReturnInfo{id, err.empty() ? 0 : -1, err, 1, std::nullopt});
}

} // namespace

TEST(TextRules, StepGroups)
{
    // '.' a step on its own, '&' a step joined to the next one.
    const struct
    {
        const char *marks;
        std::size_t step, first, last;
    } cases[] = {
        {".", 0, 0, 0},   {"..", 1, 1, 1},   {"&.", 0, 0, 1},   {"&.", 1, 0, 1},
        {".&.", 0, 0, 0}, {".&.", 2, 1, 2},  {"&&.", 0, 0, 2},  {"&&.", 1, 0, 2},
        {"&&.", 2, 0, 2}, {"&.&.", 1, 0, 1}, {"&.&.", 2, 2, 3}, {".&", 1, 1, 1}, // a trailing '&' joins nothing
    };
    for (const auto &c : cases) {
        const auto s = steps(c.marks);
        EXPECT_EQ(stepGroupFirst(s, c.step), c.first) << c.marks << " step " << c.step;
        EXPECT_EQ(stepGroupLast(s, c.step), c.last) << c.marks << " step " << c.step;
    }
}

TEST(TextRules, WhatACallDoesToLinger)
{
    const struct
    {
        SyscallInfo call;
        std::optional<bool> zero;
    } cases[] = {
        {setsockopt(1, "c", "SO_LINGER", "1", "0"), true},
        {setsockopt(1, "c", "SO_LINGER", "5", "0"), true}, // any non-zero l_onoff is on
        {setsockopt(1, "c", "SO_LINGER", "1", "3"), false},
        {setsockopt(1, "c", "SO_LINGER", "0", "0"), false}, // off: a normal close
        {setsockopt(1, "c", "SO_LINGER", "1", nullptr), false},
        {setsockopt(1, "c", "SO_REUSEADDR", "1", nullptr), std::nullopt},
        {setsockopt(1, "c", "SO_RCVBUF", "1", "0"), std::nullopt},
    };
    for (const auto &c : cases)
        EXPECT_EQ(setsLingerZero(c.call), c.zero);
    SyscallInfo close;
    close.call = "close";
    EXPECT_EQ(setsLingerZero(close), std::nullopt);
}

TEST(TextRules, TheLastSuccessfulLingerSettingDecides)
{
    const Event zero = ev(setsockopt(1, "client.1", "SO_LINGER", "1", "0"));
    const Event zeroOther = ev(setsockopt(1, "server.1", "SO_LINGER", "1", "0"));
    const Event linger3 = ev(setsockopt(2, "client.1", "SO_LINGER", "1", "3"));
    const Event zeroLater = ev(setsockopt(3, "client.1", "SO_LINGER", "1", "0"));
    const Event reuse = ev(setsockopt(4, "client.1", "SO_REUSEADDR", "1", nullptr));
    const struct
    {
        const char *what;
        std::vector<Event> events;
        bool abortive;
    } cases[] = {
        {"nothing set", {}, false},
        {"set {1, 0}", {zero, ret(1)}, true},
        {"set on another socket", {zeroOther, ret(1)}, false},
        {"{1, 0} then {1, 3}", {zero, ret(1), linger3, ret(2)}, false},
        {"{1, 3} then {1, 0}", {linger3, ret(2), zeroLater, ret(3)}, true},
        {"{1, 0} then another option", {zero, ret(1), reuse, ret(4)}, true},
        {"{1, 0} failed", {zero, ret(1, "EBADF")}, false},
        {"{1, 0}, then {1, 3} failed", {zero, ret(1), linger3, ret(2, "EINVAL")}, true},
        {"{1, 0} not returned yet", {zero}, true},
    };
    for (const auto &c : cases)
        EXPECT_EQ(lingerZeroBefore(c.events, c.events.size(), "client.1"), c.abortive) << c.what;
    // Only what came before the close counts.
    const std::vector<Event> later = {linger3, ret(2), zeroLater, ret(3)};
    EXPECT_FALSE(lingerZeroBefore(later, 2, "client.1"));
}
