// SPDX-License-Identifier: GPL-3.0-or-later
// The one errno table (core/stream/errnonames.h), against hand-written expectations.
#include "core/stream/errnonames.h"

#include <gtest/gtest.h>

#include <cerrno>

using namespace sockscope::core;

TEST(TextErrno, NamesOfNumbers)
{
    const struct
    {
        int err;
        const char *name;
    } cases[] = {
        {0, ""},
        {EPIPE, "EPIPE"},
        {ECONNRESET, "ECONNRESET"},
        {ECONNREFUSED, "ECONNREFUSED"},
        {EAGAIN, "EAGAIN"}, // the canonical name, not EWOULDBLOCK
        {EINPROGRESS, "EINPROGRESS"},
        {4242, "E4242"}, // no name known
    };
    for (const auto &c : cases)
        EXPECT_EQ(errnoName(c.err), c.name) << c.err;
}

TEST(TextErrno, NumbersOfNamesIncludingAliases)
{
    const struct
    {
        const char *name;
        std::optional<int> err;
    } cases[] = {
        {"EPIPE", EPIPE},        {"ECONNRESET", ECONNRESET}, {"EAGAIN", EAGAIN},           {"EWOULDBLOCK", EAGAIN},
        {"ENOTSUP", EOPNOTSUPP}, {"EOPNOTSUPP", EOPNOTSUPP}, {"EDEADLOCK", EDEADLK},       {"ETIMEDOUT", ETIMEDOUT},
        {"EFOO", std::nullopt},  {"", std::nullopt},         {"econnreset", std::nullopt}, // names are upper case
        {"E4242", std::nullopt},
    };
    for (const auto &c : cases)
        EXPECT_EQ(errnoNumber(c.name), c.err) << c.name;
}

TEST(TextErrno, Descriptions)
{
    const struct
    {
        const char *name;
        const char *text;
    } cases[] = {
        {"ECONNRESET", "Connection reset by peer"},
        {"ECONNREFUSED", "Connection refused"},
        {"EPIPE", "Broken pipe"},
        {"EWOULDBLOCK", "Resource temporarily unavailable"},
        {"ETIMEDOUT", "Connection timed out"},
        {"ENOSUCHERRNO", ""},
    };
    for (const auto &c : cases)
        EXPECT_EQ(errnoText(c.name), c.text) << c.name;
}
