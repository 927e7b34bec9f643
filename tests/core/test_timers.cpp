// SPDX-License-Identifier: GPL-3.0-or-later
// Timers and kernel settings: the derived model's rules for what a timer ends without a segment (a timed-out
// connection, an expired TIME_WAIT or orphaned FIN_WAIT_2), and on the real kernel that a scenario's sysctl:
// settings are written in the lab's namespace only (the host's values stay), that the kernel then acts on
// them, that retransmissions back off until ETIMEDOUT, and that the lab announces long waits to its parent.
#include "testsupport.h"

#include "core/lab/parent/labclient.h"
#include "core/model/statetracker.h"
#include "core/scenario/builtins.h"
#include "core/scenario/kernelsettings.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

using namespace sockscope;
using namespace sockscope::core;

namespace {

constexpr std::uint8_t S = 0x02, A = 0x10, P = 0x08, F = 0x01;
constexpr std::int64_t kMs = 1000000;

// --- the model ------------------------------------------------------------------------------------------------

struct Tracker
{
    std::vector<std::pair<TcpState, std::int64_t>> changes; // to, when
    StateTracker t{true, [this](int, TcpState, TcpState to, std::int64_t at, long) { changes.push_back({to, at}); }};
    // An established active opener (our ISS 1000, the peer's 5000).
    int established()
    {
        int s = t.add(TcpState::Closed, 0);
        t.sent(s, {S, 1000, 0, 0}, 1, 0);
        t.received(s, {S | A, 5000, 1001, 0}, 2, 1);
        t.sent(s, {A, 1001, 5001, 0}, 3, 2);
        changes.clear();
        return s;
    }
    std::vector<KernelVerdict> judge(int sock, std::int64_t at, TcpState state, bool vanished = false)
    {
        t.observe({sock, at, at + 1000, state, false, vanished});
        return t.judgeObservations();
    }
};

TEST(TimerModel, UnacknowledgedDataThatVanishesTimedOut)
{
    Tracker f;
    const int s = f.established();
    f.t.sent(s, {P | A, 1001, 5001, 100}, 10 * kMs, 7); // never acknowledged
    f.judge(s, 20 * kMs, TcpState::Established);
    EXPECT_TRUE(f.changes.empty());
    f.judge(s, 3000 * kMs, TcpState::Closed, true);
    ASSERT_EQ(f.changes.size(), 1u);
    EXPECT_EQ(f.changes[0].first, TcpState::Closed);
    EXPECT_EQ(f.changes[0].second, 3000 * kMs);
}

TEST(TimerModel, AcknowledgedConnectionThatVanishesIsNotATimeout)
{
    Tracker f;
    const int s = f.established();
    f.t.sent(s, {P | A, 1001, 5001, 100}, 10 * kMs, 7);
    f.t.received(s, {A, 5001, 1101, 0}, 11 * kMs, 8); // all acknowledged, no keepalive: no timer can end it
    f.judge(s, 3000 * kMs, TcpState::Closed, true);
    EXPECT_TRUE(f.changes.empty());
    // A CLOSE snapshot of it stays a contradiction.
    const auto verdicts = f.judge(s, 3001 * kMs, TcpState::Closed);
    ASSERT_EQ(verdicts.size(), 1u);
    EXPECT_TRUE(verdicts[0].conflict);
}

TEST(TimerModel, KeepaliveArmsTheTimerOfAnIdleConnection)
{
    Tracker f;
    const int s = f.established();
    f.t.keepalive(s, true);
    const auto verdicts = f.judge(s, 3000 * kMs, TcpState::Closed); // the fd's TCP_INFO: CLOSE
    ASSERT_EQ(f.changes.size(), 1u);
    EXPECT_EQ(f.changes[0].first, TcpState::Closed);
    for (const auto &v : verdicts)
        EXPECT_FALSE(v.conflict);
}

TEST(TimerModel, EtimedoutReturnClosesInsideTheCall)
{
    Tracker f;
    const int s = f.established();
    f.t.timedOut(s, 100 * kMs, 3000 * kMs, 9);
    // A snapshot while the call was blocked may show CLOSE already: not a contradiction, and the change is
    // dated there.
    const auto verdicts = f.judge(s, 2000 * kMs, TcpState::Established);
    for (const auto &v : verdicts)
        EXPECT_FALSE(v.conflict);
    ASSERT_EQ(f.changes.size(), 1u);
    EXPECT_EQ(f.changes[0].second, 3000 * kMs);
}

TEST(TimerModel, TimeWaitAndOrphanFinWait2Expire)
{
    Tracker f;
    const int s = f.established();
    f.t.sent(s, {F | A, 1001, 5001, 0}, 10 * kMs, 3);
    f.t.received(s, {A, 5001, 1002, 0}, 11 * kMs, 4);
    ASSERT_EQ(f.t.state(s), TcpState::FinWait2);
    f.judge(s, 12 * kMs, TcpState::FinWait2);
    f.changes.clear();
    f.judge(s, 1100 * kMs, TcpState::Closed, true);
    ASSERT_EQ(f.changes.size(), 1u);
    EXPECT_EQ(f.changes[0].first, TcpState::Closed);

    const int tw = f.established();
    f.t.sent(tw, {F | A, 1001, 5001, 0}, 10 * kMs, 3);
    f.t.received(tw, {F | A, 5001, 1002, 0}, 11 * kMs, 4);
    ASSERT_EQ(f.t.state(tw), TcpState::TimeWait);
    f.changes.clear();
    f.judge(tw, 60000 * kMs, TcpState::Closed, true);
    ASSERT_EQ(f.changes.size(), 1u);
    EXPECT_EQ(f.t.state(tw), TcpState::Closed);
}

// A vanish the model has moved past (a later derived change) teaches nothing.
TEST(TimerModel, VanishBeforeALaterChangeIsIgnored)
{
    Tracker f;
    const int s = f.established();
    f.t.sent(s, {P | A, 1001, 5001, 100}, 50 * kMs, 7);
    f.t.sent(s, {F | A, 1101, 5001, 0}, 60 * kMs, 8); // FIN_WAIT_1 at 60 ms
    f.judge(s, 40 * kMs, TcpState::Closed, true);
    EXPECT_EQ(f.t.state(s), TcpState::FinWait1);
}

// --- the real kernel ------------------------------------------------------------------------------------------

std::optional<std::int64_t> readSysctl(const std::string &name)
{
    std::ifstream in(sysctlPath(name));
    std::int64_t v = 0;
    if (!(in >> v))
        return std::nullopt;
    return v;
}

const EndInfo &endOf(const std::vector<Event> &events)
{
    return *events.back().as<EndInfo>();
}

// Every whitelisted setting is per network namespace: the lab writes another value than the host's, reads it
// back (a mismatch fails the run), reports it in the run event, and the host keeps its own value.
TEST(KernelSettings, EveryOneIsWrittenInTheNamespaceOnly)
{
    std::map<std::string, std::int64_t> host;
    std::string text = "title: t\ntopic: t\nsummary: s\nactors: a\n";
    std::vector<std::pair<std::string, std::int64_t>> wanted;
    for (const SysctlSpec &spec : sysctlWhitelist()) {
        const auto value = readSysctl(std::string(spec.name));
        ASSERT_TRUE(value) << "cannot read " << sysctlPath(spec.name);
        host[std::string(spec.name)] = *value;
        const std::int64_t other = *value == spec.min ? spec.min + 1 : spec.min;
        wanted.emplace_back(std::string(spec.name), other);
        text += "sysctl: " + std::string(spec.name) + "=" + std::to_string(other) + "\n";
    }
    text += "\na  S = socket(v4)\na  close(S) = 0\n";
    ParseResult parsed = parseScenario(text, "settings.scn");
    ASSERT_TRUE(parsed.scenario) << parsed.errors.front().format();
    const auto events = test::runScenario(*parsed.scenario);
    ASSERT_FALSE(events.empty());
    const auto *run = events.front().as<RunInfo>();
    ASSERT_NE(run, nullptr);
    if (test::noUserns()) {
        EXPECT_TRUE(run->sysctl.empty());
        EXPECT_NE(endOf(events).error.find("need the private network namespace"), std::string::npos)
            << endOf(events).error;
    } else {
        EXPECT_EQ(run->sysctl, wanted);
        EXPECT_TRUE(endOf(events).ok) << endOf(events).error;
    }
    for (const auto &[name, value] : host)
        EXPECT_EQ(readSysctl(name), value) << name << " changed on the host";
}

// tcp_fin_timeout=1 (fin-timeout-not-time-wait): the orphaned FIN_WAIT_2 is gone about 1 s after it began, the
// TIME_WAIT of the second connection is not, and the host's tcp_fin_timeout is what it was.
TEST(KernelSettings, FinTimeoutEndsTheOrphanNotTimeWait)
{
    if (test::noUserns())
        GTEST_SKIP() << "kernel settings need the private namespace (SOCKSCOPE_NO_USERNS=1)";
    const auto hostBefore = readSysctl("net.ipv4.tcp_fin_timeout");
    const auto events = test::runScenario(test::loadBuiltin("fin-timeout-not-time-wait"));
    std::int64_t finWait2 = -1, gone = -1;
    TcpState lastOfSecond = TcpState::Closed;
    for (const auto &e : events)
        if (const auto *s = e.as<StateInfo>(); s && s->source == StateSource::Derived) {
            if (s->sock == "client.1" && s->to == TcpState::FinWait2)
                finWait2 = e.tNs;
            if (s->sock == "client.1" && s->from == TcpState::FinWait2 && s->to == TcpState::Closed)
                gone = e.tNs;
            if (s->sock == "client.2")
                lastOfSecond = s->to;
        }
    ASSERT_GE(finWait2, 0);
    ASSERT_GE(gone, 0) << "the orphaned FIN_WAIT_2 never went";
    // The kernel's timer: at least tcp_fin_timeout (1 s), well under the default 60 s.
    EXPECT_GE(gone - finWait2, 900 * kMs);
    EXPECT_LT(gone - finWait2, 10000 * kMs);
    EXPECT_EQ(lastOfSecond, TcpState::TimeWait);
    EXPECT_TRUE(endOf(events).ok) << endOf(events).error;
    EXPECT_EQ(readSysctl("net.ipv4.tcp_fin_timeout"), hostBefore);
}

// rto-backoff-etimedout: the data is resent with growing gaps (each RTO gap about double the one before), nothing
// is sent when the kernel gives up, and the derived CLOSED comes before the recv() that reports ETIMEDOUT.
TEST(Timers, RetransmissionsBackOffUntilEtimedout)
{
    if (test::noUserns())
        GTEST_SKIP() << "faults on the wire need the private namespace (SOCKSCOPE_NO_USERNS=1)";
    const auto events = test::runScenario(test::loadBuiltin("rto-backoff-etimedout"));
    std::vector<std::int64_t> sends;
    std::int64_t closed = -1, etimedout = -1;
    bool rstFromClient = false;
    for (const auto &e : events) {
        if (const auto *p = e.as<PacketInfo>(); p && p->from == "client.1") {
            if (p->len == 100)
                sends.push_back(e.tNs);
            rstFromClient = rstFromClient || (hasFlag(p->flags, SegmentFlag::Rst) && closed < 0);
        }
        if (const auto *s = e.as<StateInfo>();
            s && s->sock == "client.1" && s->source == StateSource::Derived && s->to == TcpState::Closed)
            closed = e.tNs;
        if (const auto *r = e.as<ReturnInfo>(); r && r->err == "ETIMEDOUT")
            etimedout = e.tNs;
    }
    ASSERT_GE(sends.size(), 4u) << "the original and at least three resends";
    // From the second gap on each gap is an RTO that doubled (the first resend is a tail loss probe).
    for (size_t i = 2; i + 1 < sends.size(); ++i)
        EXPECT_GT(sends[i + 1] - sends[i], (sends[i] - sends[i - 1]) * 3 / 2) << "gap " << i;
    ASSERT_GE(closed, 0);
    EXPECT_GT(closed, sends.back());
    EXPECT_GT(etimedout, closed);
    EXPECT_FALSE(rstFromClient) << "giving up sends no RST";
    EXPECT_TRUE(endOf(events).ok) << endOf(events).error;
}

// A wait() of at least kLongWaitMs is announced to the parent before it starts, with its step and length.
TEST(Timers, LongWaitIsAnnounced)
{
    ParseResult parsed =
        parseScenario("title: t\ntopic: t\nsummary: s\nactors: a\n\na  wait(10)\na  wait(1200)\n", "wait.scn");
    ASSERT_TRUE(parsed.scenario);
    std::vector<std::pair<int, std::int64_t>> told;
    LabOptions options = test::labOptions();
    options.onLongWait = [&](int step, std::int64_t ms) { told.emplace_back(step, ms); };
    std::string error;
    std::vector<Event> events;
    EXPECT_TRUE(runLab(
        *parsed.scenario, options, [&](Event &&e) { events.push_back(std::move(e)); }, &error))
        << error;
    ASSERT_EQ(told.size(), 1u);
    EXPECT_EQ(told[0], std::make_pair(1, std::int64_t(1200)));
    EXPECT_GE(endOf(events).durationNs, 1200 * kMs);
}

} // namespace
