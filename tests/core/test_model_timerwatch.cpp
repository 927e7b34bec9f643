// SPDX-License-Identifier: GPL-3.0-or-later
// TimerWatch with hand-written expectations: which sock_diag timer samples become events (armed, stopped,
// restarted, backoff) and which do not (the retransmit timer before its first expiry, the ACK clock, a timer
// that is merely counting down or already due), table-driven.
#include "core/model/timerwatch.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

using namespace sockscope::core;

namespace {

constexpr std::int64_t kMs = 1000000;
using K = TimerKind;
using C = TimerChange;
using S = TcpState;

struct Sample
{
    std::int64_t atMs; // the dump ran during [atMs, atMs + 0.1 ms]
    S state;
    K kind;
    std::int64_t retrans;
    std::int64_t expiresMs;
};

struct Expected
{
    K kind;
    C change;
    std::int64_t expiresMs, retrans, movedMs;
};

struct Case
{
    const char *name;
    std::vector<Sample> samples;
    std::vector<std::optional<Expected>> events; // one per sample
};

std::optional<Expected> none()
{
    return std::nullopt;
}

// A full TIME_WAIT of 60 s counting down, sampled every 100 ms, with no event after the first.
Case countingDown()
{
    Case c{"TIME_WAIT counting down", {}, {}};
    for (int i = 0; i < 20; ++i) {
        c.samples.push_back({1000 + i * 100, S::TimeWait, K::TimeWait, 0, 60000 - i * 100});
        c.events.push_back(i == 0 ? std::optional(Expected{K::TimeWait, C::Armed, 60000, 0, 0}) : none());
    }
    return c;
}

const std::vector<Case> &cases()
{
    static const std::vector<Case> all = {
        countingDown(),
        {"re-ACK of a retransmitted FIN restarts TIME_WAIT",
         {{0, S::TimeWait, K::TimeWait, 0, 60000},
          {100, S::TimeWait, K::TimeWait, 0, 59900},
          {210, S::TimeWait, K::TimeWait, 0, 60000},
          {300, S::TimeWait, K::TimeWait, 0, 59910}},
         {Expected{K::TimeWait, C::Armed, 60000, 0, 0}, none(), Expected{K::TimeWait, C::Restarted, 60000, 0, 209},
          none()}},
        {"jiffy rounding within the slack is no restart",
         {{0, S::TimeWait, K::TimeWait, 0, 60000}, {100, S::TimeWait, K::TimeWait, 0, 59909}},
         {Expected{K::TimeWait, C::Armed, 60000, 0, 0}, none()}},
        {"an orphan's FIN_WAIT_2 minisocket entering TIME_WAIT: TIME_WAIT's timer is armed, not restarted",
         {{0, S::FinWait2, K::TimeWait, 0, 60000}, {30, S::TimeWait, K::TimeWait, 0, 60000}},
         {Expected{K::TimeWait, C::Armed, 60000, 0, 0}, Expected{K::TimeWait, C::Armed, 60000, 0, 0}}},
        {"a timer already due reads 0 ms left: lateness, not a restart",
         {{0, S::TimeWait, K::TimeWait, 0, 50}, {80, S::TimeWait, K::TimeWait, 0, 0}},
         {Expected{K::TimeWait, C::Armed, 50, 0, 0}, none()}},
        {"the retransmit timer restarting at every ACK shows nothing",
         {{0, S::Established, K::Retransmit, 0, 210},
          {1, S::Established, K::Off, 0, 0},
          {2, S::Established, K::Retransmit, 0, 210},
          {50, S::Established, K::Retransmit, 0, 205}},
         {none(), none(), none(), none()}},
        {"RTO backoff: each expiry raises the count and doubles the timer",
         {{0, S::Established, K::Retransmit, 0, 200},
          {210, S::Established, K::Retransmit, 0, 400},
          {620, S::Established, K::Retransmit, 1, 800},
          {700, S::Established, K::Retransmit, 1, 720},
          {1430, S::Established, K::Retransmit, 2, 1600}},
         {none(), none(), Expected{K::Retransmit, C::Backoff, 800, 1, 0}, none(),
          Expected{K::Retransmit, C::Backoff, 1600, 2, 0}}},
        {"a retransmission acknowledged: the timer shown stops",
         {{0, S::LastAck, K::Retransmit, 1, 400},
          {5, S::LastAck, K::Retransmit, 0, 200},
          {9, S::LastAck, K::Off, 0, 0}},
         {Expected{K::Retransmit, C::Backoff, 400, 1, 0}, Expected{K::Off, C::Stopped, 0, 0, 0}, none()}},
        {"keepalive stays armed under the retransmit timer of data in flight",
         {{0, S::Established, K::Keepalive, 0, 1000},
          {10, S::Established, K::Retransmit, 0, 200},
          {20, S::Established, K::Keepalive, 0, 980}},
         {Expected{K::Keepalive, C::Armed, 1000, 0, 0}, none(), none()}},
        {"keepalive probes count up; the peer's answer stops nothing by itself",
         {{0, S::Established, K::Keepalive, 0, 1000},
          {1005, S::Established, K::Keepalive, 1, 200},
          {1210, S::Established, K::Keepalive, 2, 200}},
         {Expected{K::Keepalive, C::Armed, 1000, 0, 0}, Expected{K::Keepalive, C::Backoff, 200, 1, 0},
          Expected{K::Keepalive, C::Backoff, 200, 2, 0}}},
        {"a CLOSE sample (a socket handing over to its minisocket) is ignored",
         {{0, S::FinWait1, K::Retransmit, 1, 400},
          {3, S::Closed, K::Off, 0, 0},
          {4, S::TimeWait, K::TimeWait, 0, 60000}},
         {Expected{K::Retransmit, C::Backoff, 400, 1, 0}, none(), Expected{K::TimeWait, C::Armed, 60000, 0, 0}}},
    };
    return all;
}

} // namespace

TEST(TimerWatch, SamplesBecomeFewEvents)
{
    for (const Case &c : cases()) {
        SCOPED_TRACE(c.name);
        ASSERT_EQ(c.samples.size(), c.events.size());
        TimerWatch watch;
        for (std::size_t i = 0; i < c.samples.size(); ++i) {
            const Sample &s = c.samples[i];
            const TimerSample sample{s.atMs * kMs, s.atMs * kMs + kMs / 10, s.state, s.kind, s.retrans, s.expiresMs};
            const std::optional<TimerInfo> got = watch.see(7, sample);
            const std::optional<Expected> &want = c.events[i];
            ASSERT_EQ(got.has_value(), want.has_value()) << "sample " << i;
            if (!got)
                continue;
            EXPECT_EQ(got->timer, want->kind) << "sample " << i << ": " << timerName(got->timer);
            EXPECT_EQ(got->change, want->change) << "sample " << i << ": " << timerChangeName(got->change);
            EXPECT_EQ(got->expiresMs, want->expiresMs) << "sample " << i;
            EXPECT_EQ(got->retrans, want->retrans) << "sample " << i;
            EXPECT_EQ(got->movedMs, want->movedMs) << "sample " << i;
        }
    }
}

TEST(TimerWatch, SocketsAreWatchedApart)
{
    TimerWatch watch;
    EXPECT_TRUE(watch.see(1, {0, kMs / 10, S::TimeWait, K::TimeWait, 0, 60000}));
    EXPECT_TRUE(watch.see(2, {0, kMs / 10, S::TimeWait, K::TimeWait, 0, 60000})) << "another socket's first timer";
    EXPECT_FALSE(watch.see(1, {100 * kMs, 100 * kMs + kMs / 10, S::TimeWait, K::TimeWait, 0, 59900}));
}
