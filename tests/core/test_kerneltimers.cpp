// SPDX-License-Identifier: GPL-3.0-or-later
// The kernel's timers as sock_diag shows them, on the real kernel in the lab's namespace: in lost-final-ack the
// TIME_WAIT socket's timer restarts to a full 60 s when it re-ACKs the retransmitted FIN, and the same close with
// nothing dropped shows no restart; in rto-backoff-etimedout the retransmit timer's count rises with each expiry
// while its timeout grows. No timer event ever changes a derived state.
#include "testsupport.h"

#include "core/scenario/builtins.h"
#include "core/stream/eventtext.h"

#include <gtest/gtest.h>

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace sockscope;
using namespace sockscope::core;

namespace {

struct Timed
{
    std::int64_t tNs;
    TimerInfo timer;
};

std::vector<Timed> timersOf(const std::vector<Event> &events, const std::string &sock)
{
    std::vector<Timed> out;
    for (const auto &e : events)
        if (const auto *t = e.as<TimerInfo>(); t && t->sock == sock)
            out.push_back({e.tNs, *t});
    return out;
}

std::string describe(const std::vector<Timed> &timers)
{
    std::ostringstream os;
    for (const auto &t : timers)
        os << "\n  +" << t.tNs / 1000 << " us " << timerText(t.timer);
    return os.str();
}

const EndInfo &endOf(const std::vector<Event> &events)
{
    return *events.back().as<EndInfo>();
}

bool contradicted(const std::vector<Event> &events)
{
    for (const auto &e : events)
        if (const auto *s = e.as<StateInfo>(); s && s->conflict)
            return true;
    return false;
}

// The derived states of sock from `from` on.
std::vector<TcpState> derivedAfter(const std::vector<Event> &events, const std::string &sock, std::int64_t from)
{
    std::vector<TcpState> out;
    for (const auto &e : events)
        if (const auto *s = e.as<StateInfo>();
            s && e.tNs >= from && s->sock == sock && s->source == StateSource::Derived)
            out.push_back(s->to);
    return out;
}

// A built-in's source without its drop: rules and '~' lines: the same steps, nothing lost.
Scenario withoutFaults(const std::string &name)
{
    std::istringstream in(findBuiltin(name)->source);
    std::string text, line;
    while (std::getline(in, line))
        if (line.rfind("drop:", 0) != 0 && line.find("  ~ ") != 0)
            text += line + "\n";
    ParseResult parsed = parseScenario(text, name + "-no-drop.scn");
    if (!parsed.scenario)
        throw std::runtime_error(parsed.errors.empty() ? "no scenario" : parsed.errors[0].format());
    return *parsed.scenario;
}

} // namespace

// lost-final-ack: TIME_WAIT's timer is armed at 60 s when the client enters TIME_WAIT, and restarted to 55-60 s
// left after the client re-ACKs the server's retransmitted FIN, moved later by about that FIN's RTO; the client
// stays in TIME_WAIT throughout (a restart is no state change) and nothing contradicts the kernel.
TEST(KernelTimers, TimeWaitRestartsWhenItReAcksTheRetransmittedFin)
{
    if (test::noUserns())
        GTEST_SKIP() << "faults on the wire need the private namespace (SOCKSCOPE_NO_USERNS=1)";
    const auto events = test::runScenario(test::loadBuiltin("lost-final-ack"));
    std::int64_t retransmittedFin = -1, reAck = -1;
    for (const auto &e : events)
        if (const auto *p = e.as<PacketInfo>()) {
            if (p->from == "server.1" && hasFlag(p->flags, SegmentFlag::Fin) && p->retx > 0 && retransmittedFin < 0)
                retransmittedFin = e.tNs;
            if (p->from == "client.1" && isPureAck(*p) && retransmittedFin >= 0 && reAck < 0)
                reAck = e.tNs;
        }
    ASSERT_GE(retransmittedFin, 0) << "the server's FIN was not retransmitted";
    ASSERT_GE(reAck, 0) << "TIME_WAIT did not ACK the retransmitted FIN";

    std::int64_t timeWait = -1; // the derived TIME_WAIT of client.1
    for (const auto &e : events)
        if (const auto *s = e.as<StateInfo>(); s && s->sock == "client.1" && s->source == StateSource::Derived &&
                                               s->to == TcpState::TimeWait && timeWait < 0)
            timeWait = e.tNs;
    ASSERT_GE(timeWait, 0) << "client.1 never entered TIME_WAIT";
    const auto timers = timersOf(events, "client.1");
    std::vector<Timed> restarts;
    const Timed *armed = nullptr; // TIME_WAIT's own timer, armed when the client entered it
    for (const auto &t : timers) {
        if (t.timer.change == TimerChange::Restarted)
            restarts.push_back(t);
        if (t.timer.change == TimerChange::Armed && t.tNs >= timeWait && !armed)
            armed = &t;
    }
    std::cout << "client.1's timer events:" << describe(timers) << "\n";
    ASSERT_TRUE(armed) << "TIME_WAIT's timer was not seen armed:" << describe(timers);
    EXPECT_EQ(armed->timer.timer, TimerKind::TimeWait) << describe(timers);
    EXPECT_GE(armed->timer.expiresMs, 55000) << describe(timers);
    // Before TIME_WAIT the orphan waited in FIN_WAIT_2 on the same kind of timer (tcp_fin_timeout 60 s): that one
    // entering TIME_WAIT is TIME_WAIT's timer armed, never a restart.
    for (const auto &t : timers)
        EXPECT_TRUE(t.timer.timer == TimerKind::TimeWait) << describe(timers);
    ASSERT_EQ(restarts.size(), 1u) << "one retransmitted FIN, one restart:" << describe(timers);
    const Timed &r = restarts.front();
    EXPECT_EQ(r.timer.timer, TimerKind::TimeWait);
    EXPECT_GE(r.tNs, reAck) << "the restart is seen after the re-ACK";
    EXPECT_GE(r.timer.expiresMs, 55000) << describe(timers);
    EXPECT_LE(r.timer.expiresMs, 60000) << describe(timers);
    // Moved later by about the time since the client entered TIME_WAIT: at least most of the FIN's ~200 ms RTO.
    EXPECT_GE(r.timer.movedMs, 100) << describe(timers);
    EXPECT_LE(r.timer.movedMs, 5000) << describe(timers);

    EXPECT_TRUE(derivedAfter(events, "client.1", timeWait + 1).empty())
        << "client.1 stays in TIME_WAIT: a restart is not a state change";
    EXPECT_FALSE(contradicted(events));
    EXPECT_TRUE(endOf(events).ok) << endOf(events).error;
}

// The same steps with nothing dropped: TIME_WAIT's timer is armed once and never restarted (no FIN comes back).
TEST(KernelTimers, NormalCloseShowsNoRestart)
{
    if (test::noUserns())
        GTEST_SKIP() << "faults on the wire need the private namespace (SOCKSCOPE_NO_USERNS=1)";
    const auto events = test::runScenario(withoutFaults("lost-final-ack"));
    const auto timers = timersOf(events, "client.1");
    ASSERT_FALSE(timers.empty()) << "no timer event for client.1";
    EXPECT_EQ(timers.back().timer.timer, TimerKind::TimeWait) << describe(timers);
    EXPECT_GE(timers.back().timer.expiresMs, 55000) << describe(timers);
    for (const auto &e : events)
        if (const auto *t = e.as<TimerInfo>())
            EXPECT_NE(t->change, TimerChange::Restarted) << t->sock << ": " << timerText(*t);
    EXPECT_FALSE(contradicted(events));
}

// rto-backoff-etimedout: each RTO expiry is a backoff event with a higher count and a longer timeout, seen after
// the retransmission it sent; the retransmit timer shows nothing before its first expiry (the tail loss probe
// counts nothing).
TEST(KernelTimers, RetransmitCountRisesWithGrowingTimeouts)
{
    if (test::noUserns())
        GTEST_SKIP() << "faults on the wire need the private namespace (SOCKSCOPE_NO_USERNS=1)";
    const auto events = test::runScenario(test::loadBuiltin("rto-backoff-etimedout"));
    std::vector<std::int64_t> resends;
    for (const auto &e : events)
        if (const auto *p = e.as<PacketInfo>(); p && p->from == "client.1" && p->len == 100 && p->retx > 0)
            resends.push_back(e.tNs);
    std::vector<Timed> backoffs;
    for (const auto &t : timersOf(events, "client.1"))
        if (t.timer.change == TimerChange::Backoff)
            backoffs.push_back(t);
    const std::string all = describe(timersOf(events, "client.1"));
    std::cout << "client.1's timer events:" << all << "\n";
    ASSERT_GE(backoffs.size(), 2u) << all;
    ASSERT_FALSE(resends.empty());
    for (size_t i = 0; i < backoffs.size(); ++i) {
        const TimerInfo &b = backoffs[i].timer;
        EXPECT_EQ(b.timer, TimerKind::Retransmit) << all;
        EXPECT_EQ(b.retrans, static_cast<std::int64_t>(i) + 1) << all;
        EXPECT_GT(backoffs[i].tNs, resends.front()) << "a backoff follows a retransmission" << all;
        if (i > 0) // the timeout doubles: 400, 800 ms (give or take the sampling)
            EXPECT_GT(b.expiresMs, backoffs[i - 1].timer.expiresMs * 3 / 2) << all;
    }
    EXPECT_GE(backoffs.front().timer.expiresMs, 300) << all;
    EXPECT_FALSE(contradicted(events));
}
