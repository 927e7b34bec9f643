// SPDX-License-Identifier: GPL-3.0-or-later
// The one text of each fact (core/stream/eventtext.h), against hand-written expectations.
#include "core/stream/eventtext.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

using namespace sockscope::core;

namespace {

std::uint8_t flags(std::initializer_list<SegmentFlag> fs)
{
    std::uint8_t out = 0;
    for (SegmentFlag f : fs)
        out |= static_cast<std::uint8_t>(f);
    return out;
}

PacketInfo packet(std::uint8_t f, std::uint32_t seq, std::uint32_t ack, std::uint32_t len)
{
    PacketInfo p;
    p.from = "client.1";
    p.to = "server.1";
    p.src = "127.0.0.1:40000";
    p.dst = "127.0.0.1:5000";
    p.flags = f;
    p.seq = seq;
    p.ack = ack;
    p.len = len;
    p.win = 512;
    return p;
}

} // namespace

TEST(TextEvent, RelativeTimeIsTruncatedToTheMicrosecond)
{
    const struct
    {
        std::int64_t ns;
        const char *text;
    } cases[] = {
        {0, "+0.000000"},          {999, "+0.000000"}, // under a microsecond
        {45'599'500, "+0.045599"},                     // the log and the window once disagreed here (+0.045600)
        {45'599'999, "+0.045599"},                     // truncated, never rounded up
        {45'600'000, "+0.045600"}, {1'000'000'000, "+1.000000"}, {12'345'678'901, "+12.345678"},
        {-5'000, "+0.000000"}, // cannot happen on one clock
    };
    for (const auto &c : cases)
        EXPECT_EQ(relativeTimeText(c.ns), c.text) << c.ns;
}

TEST(TextEvent, SegmentShowsAckOnlyWithAckAndLenOnlyWithData)
{
    using F = SegmentFlag;
    const struct
    {
        PacketInfo p;
        const char *segment;
    } cases[] = {
        {packet(flags({F::Syn}), 0, 0, 0), "SYN seq=0"},
        {packet(flags({F::Syn}), 0, 77, 0), "SYN seq=0"}, // an ack field without ACK means nothing
        {packet(flags({F::Syn, F::Ack}), 0, 1, 0), "SYN ACK seq=0 ack=1"},
        {packet(flags({F::Ack}), 1, 1, 0), "ACK seq=1 ack=1"},
        {packet(flags({F::Psh, F::Ack}), 1, 1, 10), "PSH ACK seq=1 ack=1 len=10"},
        {packet(flags({F::Rst, F::Ack}), 1, 11, 0), "RST ACK seq=1 ack=11"},
        {packet(flags({F::Rst}), 4294967295u, 0, 0), "RST seq=4294967295"},
        {packet(flags({F::Fin, F::Ack}), 11, 1, 0), "FIN ACK seq=11 ack=1"},
    };
    for (const auto &c : cases)
        EXPECT_EQ(segmentText(c.p), c.segment);
}

TEST(TextEvent, PacketNamesItsEnds)
{
    PacketInfo p = packet(flags({SegmentFlag::Syn}), 0, 0, 0);
    EXPECT_EQ(packetText(p), "client.1 -> server.1  SYN seq=0");
    p.from.clear(); // an end no socket owns is shown by its address
    p.to.clear();
    EXPECT_EQ(packetText(p), "127.0.0.1:40000 -> 127.0.0.1:5000  SYN seq=0");
}

TEST(TextEvent, CallPutsTheFdFirstAndQuotesUserText)
{
    auto call = [](std::string name, int fd, std::vector<SyscallArg> args) {
        SyscallInfo s;
        s.call = std::move(name);
        s.fd = fd;
        s.args = std::move(args);
        return s;
    };
    const struct
    {
        SyscallInfo call;
        const char *text;
    } cases[] = {
        {call("socket", -1, {{"domain", "AF_INET"}, {"type", "SOCK_STREAM"}}), "socket(AF_INET, SOCK_STREAM)"},
        {call("connect", 4, {{"addr", "127.0.0.1:5000"}}), "connect(4, 127.0.0.1:5000)"},
        {call("bind", 3, {{"addr", "[::1]:5000"}}), "bind(3, [::1]:5000)"},
        {call("listen", 3, {{"backlog", "8", true}}), "listen(3, 8)"},
        {call("close", 5, {}), "close(5)"},
        {call("accept", 3, {}), "accept(3)"},
        {call("send", 4, {{"data", "hello"}, {"len", "5", true}, {"flags", "MSG_NOSIGNAL"}}),
         "send(4, \"hello\", 5, MSG_NOSIGNAL)"},
        {call("send", 4, {{"data", "say \"hi\"\t\x01"}}), "send(4, \"say \\\"hi\\\"\\t\\x01\")"},
        {call("send", 4, {{"data", std::string(40, 'a')}}), "send(4, \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"...)"},
        {call("poll", 4, {{"events", "POLLIN|POLLOUT"}, {"timeout_ms", "1000", true}}),
         "poll(4, POLLIN|POLLOUT, 1000)"},
        {call("dup2", 4, {{"fd", "4", true}, {"newfd", "7", true}}), "dup2(4, 7)"}, // args repeat the fd
        {call("socket", -1, {{"family", "v6"}}), "socket(v6)"},
        {call("recv", 4, {{"len", "100", true}}), "recv(4, 100)"},
    };
    for (const auto &c : cases)
        EXPECT_EQ(callText(c.call), c.text);
}

TEST(TextEvent, ResultWithAndWithoutTheErrnoDescription)
{
    auto ret = [](std::int64_t r, std::string err, std::optional<std::string> data = std::nullopt) {
        ReturnInfo out;
        out.ret = r;
        out.err = std::move(err);
        out.data = std::move(data);
        return out;
    };
    const struct
    {
        ReturnInfo r;
        const char *hidden;
        const char *shown;
    } cases[] = {
        {ret(0, ""), "= 0", "= 0"},
        {ret(5, ""), "= 5", "= 5"},
        {ret(-1, "ECONNRESET"), "= -1 ECONNRESET", "= -1 ECONNRESET (Connection reset by peer)"},
        {ret(-1, "EPIPE"), "= -1 EPIPE", "= -1 EPIPE (Broken pipe)"},
        {ret(-1, "E4242"), "= -1 E4242", "= -1 E4242"}, // no description known
        {ret(1, "", "POLLIN POLLHUP"), "= 1 [POLLIN POLLHUP]", "= 1 [POLLIN POLLHUP]"},
        {ret(0, "", ""), "= 0", "= 0"}, // SO_ERROR with nothing pending
        {ret(2, "", "a\nb"), "= 2 [a\\nb]", "= 2 [a\\nb]"},
        {ret(0, "", "[1 0]"), "= 0 [1 0]", "= 0 [1 0]"}, // already bracketed
    };
    for (const auto &c : cases) {
        EXPECT_EQ(resultText(c.r, ErrnoText::Hide), c.hidden);
        EXPECT_EQ(resultText(c.r, ErrnoText::Show), c.shown);
    }
}
