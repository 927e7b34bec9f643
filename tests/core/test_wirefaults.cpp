// SPDX-License-Identifier: GPL-3.0-or-later
// Faults on the wire: the fault lines' grammar with exact error positions, the nftables rules they become, and
// on the real kernel that a dropped FIN is retransmitted while the host's ruleset stays untouched.
#include "testsupport.h"

#include "core/lab/nftrules.h"
#include "core/model/wireexpectcheck.h"
#include "core/scenario/scenario.h"

#include <gtest/gtest.h>

#include <cstdio>

using namespace sockscope;
using namespace sockscope::core;

namespace {

constexpr std::string_view kHeader = "title: T\ntopic: X\nsummary: S\nactors: server client\n";
// The steps of a graceful close in which the server closes first; the fault lines go before them.
constexpr std::string_view kClose = "server L = socket(v4)\n"
                                    "server bind(L, 127.0.0.1:5000)\n"
                                    "server listen(L, 8) = 0\n"
                                    "client C = socket(v4)\n"
                                    "client connect(C, 127.0.0.1:5000) = 0\n"
                                    "server A = accept(L) = fd\n"
                                    "server close(A) = 0\n"
                                    "client recv(C, 100) = 0\n"
                                    "client close(C) = 0\n"
                                    "server close(L) = 0\n";

ParseResult parseWith(std::string_view faults)
{
    return parseScenario(std::string(kHeader) + std::string(faults) + std::string(kClose), "t.scn");
}

Scenario parseOk(std::string_view faults)
{
    ParseResult r = parseWith(faults);
    for (const auto &e : r.errors)
        ADD_FAILURE() << e.format();
    return r.scenario.value_or(Scenario{});
}

// Exactly one error, on line 5 (the first fault line) unless told, at the column, containing the message.
void expectError(std::string_view faults, int column, std::string_view message, int line = 5)
{
    ParseResult r = parseWith(faults);
    EXPECT_FALSE(r.scenario.has_value());
    ASSERT_EQ(r.errors.size(), 1u) << (r.errors.empty() ? "no error" : r.errors.back().format());
    EXPECT_EQ(r.errors[0].line, line) << r.errors[0].format();
    EXPECT_EQ(r.errors[0].column, column) << r.errors[0].format();
    EXPECT_NE(r.errors[0].message.find(message), std::string::npos) << r.errors[0].format();
}

std::string hostRuleset()
{
    std::string out;
    if (FILE *f = ::popen("nft list ruleset 2>&1", "r")) {
        char buf[4096];
        while (std::size_t n = std::fread(buf, 1, sizeof buf, f))
            out.append(buf, n);
        ::pclose(f);
    }
    return out;
}

} // namespace

TEST(WireFaultSyntax, DropBeforeTheFirstStepAttachesToIt)
{
    Scenario s = parseOk("drop: server -> client FIN #1\n");
    ASSERT_EQ(s.steps.size(), 10u);
    ASSERT_EQ(s.steps[0].faults.size(), 1u);
    const WireFault &f = s.steps[0].faults[0];
    EXPECT_EQ(f.kind, WireFault::Kind::Drop);
    EXPECT_EQ(f.from, "server");
    EXPECT_EQ(f.to, "client");
    EXPECT_EQ(f.flags, static_cast<std::uint8_t>(SegmentFlag::Fin));
    EXPECT_EQ(f.nth, 1);
    EXPECT_FALSE(f.afterFin);
    EXPECT_EQ(f.line, 5);
    EXPECT_EQ(f.text, "drop: server -> client FIN #1");
}

TEST(WireFaultSyntax, AllForms)
{
    Scenario s = parseOk("drop: client -> server ACK after FIN #2\ndrop: any 30% seed 7\ndrop: SYN|ACK\n"
                         "drop: server -> client all\nblackhole\nrestore\n");
    ASSERT_EQ(s.steps[0].faults.size(), 6u);
    const auto &f = s.steps[0].faults;
    EXPECT_TRUE(f[0].afterFin);
    EXPECT_TRUE(f[0].onlyAck);
    EXPECT_EQ(f[0].nth, 2);
    EXPECT_EQ(f[1].percent, 30);
    EXPECT_EQ(f[1].seed, 7u);
    EXPECT_TRUE(f[1].from.empty());
    EXPECT_EQ(f[2].flags, static_cast<std::uint8_t>(SegmentFlag::Syn) | static_cast<std::uint8_t>(SegmentFlag::Ack));
    EXPECT_FALSE(f[2].onlyAck);
    EXPECT_EQ(f[3].flags, 0);
    EXPECT_EQ(f[4].kind, WireFault::Kind::Blackhole);
    EXPECT_EQ(f[5].kind, WireFault::Kind::Restore);
}

TEST(WireFaultSyntax, BetweenStepsAttachesToTheNextStep)
{
    ParseResult r = parseScenario(std::string(kHeader) + "server L = socket(v4)\nserver bind(L, 127.0.0.1:5000)\n"
                                                         "blackhole\nclient C = socket(v4)\nrestore\n"
                                                         "client close(C)\n",
                                  "t.scn");
    ASSERT_TRUE(r.scenario);
    EXPECT_TRUE(r.scenario->steps[1].faults.empty());
    ASSERT_EQ(r.scenario->steps[2].faults.size(), 1u);
    EXPECT_EQ(r.scenario->steps[2].faults[0].kind, WireFault::Kind::Blackhole);
    ASSERT_EQ(r.scenario->steps[3].faults.size(), 1u);
    EXPECT_EQ(r.scenario->steps[3].faults[0].kind, WireFault::Kind::Restore);
}

TEST(WireFaultSyntax, ErrorsHaveTheirPosition)
{
    expectError("drop: srv -> client FIN\n", 7, "expected an actor (server client), 'any' or");
    expectError("drop: server client FIN\n", 14, "expected '->' after the sending actor");
    expectError("drop: server -> clint FIN\n", 17, "unknown actor 'clint'");
    expectError("drop: server -> server FIN\n", 17, "not from 'server' to itself");
    expectError("drop: server -> client FYN\n", 24, "expected a segment flag (SYN FIN ACK RST PSH), found 'FYN'");
    expectError("drop: server -> client FIN|FIN\n", 28, "flag FIN is given twice");
    expectError("drop: FIN after FIN\n", 11, "'after FIN' needs a direction");
    expectError("drop: server -> client ACK after SYN\n", 34, "expected FIN after 'after'");
    expectError("drop: server -> client FIN #0\n", 29, "out of range: 0");
    expectError("drop: any 101%\n", 11, "the percentage out of range");
    expectError("drop: any 30% sead 2\n", 15, "expected 'seed' or the end of the line");
    expectError("drop: server -> client FIN #1 now\n", 31, "expected the end of the line after the drop rule");
}

TEST(WireFaultSyntax, PlacementErrors)
{
    ParseResult r = parseScenario(std::string(kHeader) + "server L = socket(v4)\nserver close(L)\nrestore\n", "t.scn");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].format(),
              "t.scn:7:1: error: expected a step after the fault line (a fault takes effect before the next step), "
              "found the end of the file");
    r = parseScenario(std::string(kHeader) + "server L = socket(v4) &\nblackhole\nclient C = socket(v4)\n", "t.scn");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 6);
    EXPECT_NE(r.errors[0].message.find("cannot split steps joined by '&'"), std::string::npos);
    // Neither actor binds a port: their segments cannot be told apart.
    r = parseScenario(
        std::string(kHeader) + "drop: client -> server FIN\nserver L = socket(v4)\nclient C = socket(v4)\n", "t.scn");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 5);
    EXPECT_NE(r.errors[0].message.find("cannot tell client's segments from server's"), std::string::npos);
}

TEST(WireFaultRules, DirectionFlagsAndCount)
{
    Scenario s = parseOk("drop: server -> client FIN #1\ndrop: client -> server ACK after FIN #1\n");
    const auto &f = s.steps[0].faults;
    EXPECT_EQ(nftFaultCommands(s, f[0], 0), "add rule netdev sockscope faults tcp sport { 5000 } tcp dport != { 5000 } "
                                            "tcp flags & (fin) == fin numgen inc mod 1000000 0 log group 7 drop\n");
    const std::string afterFin = nftFaultCommands(s, f[1], 1);
    EXPECT_NE(afterFin.find("add rule netdev sockscope seen tcp sport { 5000 } tcp dport != { 5000 } tcp flags & fin "
                            "== fin add @fin_seen_1 { tcp dport }"),
              std::string::npos)
        << afterFin;
    EXPECT_NE(afterFin.find("tcp sport != { 5000 } tcp dport { 5000 } tcp flags & (fin|syn|rst|psh|ack|urg) == ack "
                            "tcp sport @fin_seen_1 numgen inc mod 1000000 0 log group 7 drop"),
              std::string::npos)
        << afterFin;
}

TEST(WireFaultRules, PercentagePatternIsSeededAndRepeatable)
{
    Scenario a = parseOk("drop: any 30% seed 7\n");
    Scenario b = parseOk("drop: any 30% seed 8\n");
    const std::string ruleA = nftFaultCommands(a, a.steps[0].faults[0], 0);
    EXPECT_EQ(ruleA, nftFaultCommands(a, a.steps[0].faults[0], 0));
    EXPECT_NE(ruleA, nftFaultCommands(b, b.steps[0].faults[0], 0));
    const auto commas = std::count(ruleA.begin(), ruleA.end(), ',');
    EXPECT_GT(commas, 250) << "about 300 in 1000 segments";
    EXPECT_LT(commas, 350);
}

TEST(WireFaultLab, LostFinIsRetransmittedAndTheHostIsUntouched)
{
    if (test::noUserns())
        GTEST_SKIP() << "SOCKSCOPE_NO_USERNS=1: faults on the wire need the private namespace";
    const std::string before = hostRuleset();
    auto events = test::runScenario(parseOk("drop: server -> client FIN #1\n"));
    std::vector<const PacketInfo *> fins;
    std::vector<std::int64_t> times;
    for (const auto &e : events)
        if (const auto *p = e.as<PacketInfo>();
            p && hasFlag(p->flags, SegmentFlag::Fin) && p->from.rfind("server", 0) == 0) {
            fins.push_back(p);
            times.push_back(e.tNs);
        }
    ASSERT_GE(fins.size(), 2u) << "the server's dropped FIN was not retransmitted";
    EXPECT_EQ(fins[1]->seq, fins[0]->seq) << "a retransmitted FIN has the sequence number of the first";
    // The capture saw the FIN before the rule dropped it: the stream says so, and marks the one that got through
    // as the first retransmission, after the RTO (at least TCP_RTO_MIN, 200 ms).
    EXPECT_TRUE(fins[0]->dropped);
    EXPECT_EQ(fins[0]->retx, 0);
    EXPECT_FALSE(fins[1]->dropped);
    EXPECT_EQ(fins[1]->retx, 1);
    EXPECT_EQ(fins[1]->retxNs, times[1] - times[0]);
    EXPECT_GE(fins[1]->retxNs, 200000000LL);
    int dropped = 0;
    for (const auto &e : events)
        if (const auto *p = e.as<PacketInfo>(); p && p->dropped)
            ++dropped;
    EXPECT_EQ(dropped, 1) << "only the first FIN matches 'FIN #1'";
    // The client's socket stays ESTABLISHED while the FIN is lost: CLOSE_WAIT only at the retransmission.
    for (const auto &e : events)
        if (const auto *s = e.as<StateInfo>(); s && s->source == StateSource::Derived && s->to == TcpState::CloseWait)
            EXPECT_GE(e.tNs, times[1]) << s->sock << " entered CLOSE_WAIT on a FIN that never arrived";
    for (const auto &e : events)
        if (const auto *s = e.as<StateInfo>())
            EXPECT_FALSE(s->conflict) << s->sock << ": the kernel's " << stateName(s->to) << " contradicts the derived "
                                      << stateName(s->derived);
    for (const auto &e : events)
        if (const auto *c = e.as<CheckInfo>())
            EXPECT_TRUE(c->ok) << "step " << c->step << ": expected " << c->expected << ", got " << c->got;
    EXPECT_EQ(hostRuleset(), before) << "the host's nftables ruleset changed";
}

TEST(WireExpectationSyntax, SegmentsAndStates)
{
    ParseResult r = parseScenario(std::string(kHeader) + "server L = socket(v4)\n  ~ no RST\n"
                                                         "  ~ server -> client SYN|ACK\n  ~ client.1 TIME_WAIT\n"
                                                         "  > a note\n  ~ server.listen LISTEN\n  ~ ACK\n",
                                  "t.scn");
    for (const auto &e : r.errors)
        ADD_FAILURE() << e.format();
    ASSERT_TRUE(r.scenario);
    const auto &x = r.scenario->steps[0].wireExpects;
    ASSERT_EQ(x.size(), 5u);
    EXPECT_EQ(x[0].kind, WireExpectation::Kind::NotSent);
    EXPECT_EQ(x[0].flags, static_cast<std::uint8_t>(SegmentFlag::Rst));
    EXPECT_EQ(x[1].kind, WireExpectation::Kind::Sent);
    EXPECT_EQ(x[1].from, "server");
    EXPECT_EQ(x[1].to, "client");
    EXPECT_EQ(x[2].kind, WireExpectation::Kind::State);
    EXPECT_EQ(x[2].sock, "client.1");
    EXPECT_EQ(x[2].state, "TIME_WAIT");
    EXPECT_EQ(x[2].line, 8);
    EXPECT_EQ(x[3].sock, "server.listen");
    EXPECT_TRUE(x[4].onlyAck);
    EXPECT_EQ(r.scenario->steps[0].note, "a note");
}

// The header and LINES give exactly one error, at LINE:COLUMN, whose message contains MESSAGE.
static void expectOneError(std::string_view lines, int line, int column, std::string_view message)
{
    ParseResult r = parseScenario(std::string(kHeader) + std::string(lines), "t.scn");
    ASSERT_EQ(r.errors.size(), 1u) << (r.errors.empty() ? "no error" : r.errors.back().format());
    EXPECT_EQ(r.errors[0].line, line) << r.errors[0].format();
    EXPECT_EQ(r.errors[0].column, column) << r.errors[0].format();
    EXPECT_NE(r.errors[0].message.find(message), std::string::npos) << r.errors[0].format();
}

TEST(WireExpectationSyntax, ErrorsHaveTheirPosition)
{
    expectOneError("~ RST\nserver L = socket(v4)\n", 5, 1, "a '~' expectation must follow a step");
    expectOneError("server L = socket(v4)\n  ~ client.1 TIMEWAIT\n", 6, 14, "expected a TCP state");
    expectOneError("server L = socket(v4)\n  ~ clnt.1 CLOSED\n", 6, 5, "expected a socket name such as 'server.1'");
    expectOneError("server L = socket(v4)\n  ~ server -> client FYN\n", 6, 22, "expected a segment flag");
    expectOneError("server L = socket(v4)\n  ~ no FIN please\n", 6, 12, "expected the end of the line after the '~'");
}

TEST(WireExpectationCheck, JudgesSegmentsAndStates)
{
    ParseResult r = parseScenario(std::string(kHeader) + "server L = socket(v4)\n  ~ server -> client FIN\n"
                                                         "  ~ no RST\n  ~ client.1 TIME_WAIT\n  ~ ACK\n",
                                  "t.scn");
    ASSERT_TRUE(r.scenario);
    const auto &x = r.scenario->steps[0].wireExpects;
    const std::uint8_t finAck =
        static_cast<std::uint8_t>(SegmentFlag::Fin) | static_cast<std::uint8_t>(SegmentFlag::Ack);
    const std::uint8_t rst = static_cast<std::uint8_t>(SegmentFlag::Rst);
    const std::vector<SeenSegment> fin{{"server", "client", finAck, true}};
    const std::vector<SeenSegment> wrongWay{{"client", "server", finAck, false}, {"", "client", rst, false}};
    auto timeWait = [](const std::string &name) -> std::optional<TcpState> {
        return name == "client.1" ? std::optional(TcpState::TimeWait) : std::nullopt;
    };
    auto closed = [](const std::string &) -> std::optional<TcpState> { return TcpState::Closed; };
    EXPECT_TRUE(judgeWireExpectation(x[0], fin, {}, timeWait).ok) << "a dropped FIN was still sent";
    EXPECT_FALSE(judgeWireExpectation(x[0], wrongWay, {}, timeWait).ok);
    EXPECT_TRUE(judgeWireExpectation(x[1], fin, {}, timeWait).ok);
    EXPECT_FALSE(judgeWireExpectation(x[1], wrongWay, {}, timeWait).ok);
    EXPECT_TRUE(judgeWireExpectation(x[2], fin, {}, timeWait).ok);
    EXPECT_EQ(judgeWireExpectation(x[2], fin, {}, closed).got, "client.1 CLOSED");
    EXPECT_FALSE(judgeWireExpectation(x[3], fin, {}, timeWait).ok) << "FIN|ACK is not a pure ACK";
}

TEST(WireExpectationSyntax, TimerChanges)
{
    ParseResult r =
        parseScenario(std::string(kHeader) + "server L = socket(v4)\n  ~ client.1 timer restarted\n"
                                             "  ~ no client.1 timer restarted\n  ~ server.1 timer backoff\n",
                      "t.scn");
    for (const auto &e : r.errors)
        ADD_FAILURE() << e.format();
    ASSERT_TRUE(r.scenario);
    const auto &x = r.scenario->steps[0].wireExpects;
    ASSERT_EQ(x.size(), 3u);
    EXPECT_EQ(x[0].kind, WireExpectation::Kind::Timer);
    EXPECT_EQ(x[0].sock, "client.1");
    EXPECT_EQ(x[0].timerChange, TimerChange::Restarted);
    EXPECT_EQ(x[1].kind, WireExpectation::Kind::NoTimer);
    EXPECT_EQ(x[1].sock, "client.1");
    EXPECT_EQ(x[2].timerChange, TimerChange::Backoff);
}

TEST(WireExpectationSyntax, TimerErrorsHaveTheirPosition)
{
    expectOneError("server L = socket(v4)\n  ~ client.1 timer reset\n", 6, 20, "expected a timer change");
    expectOneError("server L = socket(v4)\n  ~ client.1 timer\n", 6, 19, "expected a timer change");
    expectOneError("server L = socket(v4)\n  ~ no client.1 TIME_WAIT\n", 6, 17, "expected 'timer'");
    expectOneError("server L = socket(v4)\n  ~ client.1 timer restarted twice\n", 6, 30,
                   "expected the end of the line");
}

TEST(WireExpectationCheck, JudgesTimerChanges)
{
    ParseResult r = parseScenario(std::string(kHeader) + "server L = socket(v4)\n  ~ client.1 timer restarted\n"
                                                         "  ~ no client.1 timer restarted\n  ~ server.9 timer armed\n",
                                  "t.scn");
    ASSERT_TRUE(r.scenario);
    const auto &x = r.scenario->steps[0].wireExpects;
    auto any = [](const std::string &name) -> std::optional<TcpState> {
        return name == "server.9" ? std::nullopt : std::optional(TcpState::TimeWait);
    };
    const std::vector<SeenTimer> restarted{{"server.1", TimerChange::Armed}, {"client.1", TimerChange::Restarted}};
    const std::vector<SeenTimer> otherSocket{{"server.1", TimerChange::Restarted}, {"client.1", TimerChange::Armed}};
    EXPECT_TRUE(judgeWireExpectation(x[0], {}, restarted, any).ok);
    EXPECT_FALSE(judgeWireExpectation(x[0], {}, otherSocket, any).ok) << "another socket's restart";
    EXPECT_EQ(judgeWireExpectation(x[0], {}, otherSocket, any).got, "client.1 timer armed");
    EXPECT_EQ(judgeWireExpectation(x[0], {}, {}, any).got, "client.1 timer unchanged");
    EXPECT_FALSE(judgeWireExpectation(x[1], {}, restarted, any).ok);
    EXPECT_TRUE(judgeWireExpectation(x[1], {}, otherSocket, any).ok);
    EXPECT_FALSE(judgeWireExpectation(x[2], {}, restarted, any).ok);
    EXPECT_EQ(judgeWireExpectation(x[2], {}, restarted, any).got, "no socket server.9");
}
