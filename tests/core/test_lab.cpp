// SPDX-License-Identifier: GPL-3.0-or-later
// The engine on the real kernel: every built-in meets its expectations, and the packets and derived states
// of the classic cases are what TCP does. Each run happens in the lab's own private network namespace.
#include "testsupport.h"

#include "core/lab/parent/labclient.h"
#include "core/scenario/builtins.h"
#include "core/stream/eventjson.h"

#include <gtest/gtest.h>

#include <dirent.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

using namespace sockscope;
using namespace sockscope::core;

namespace {

int repeatCount()
{
    const char *env = std::getenv("SOCKSCOPE_REPEAT");
    return env ? std::max(1, std::atoi(env)) : 3;
}

// The derived states of one socket, in order, starting with its first "from".
std::vector<TcpState> derivedPath(const std::vector<Event> &events, const std::string &sock)
{
    std::vector<TcpState> path;
    for (const auto &e : events) {
        const auto *s = e.as<StateInfo>();
        if (!s || s->sock != sock || s->source != StateSource::Derived)
            continue;
        if (path.empty())
            path.push_back(s->from);
        path.push_back(s->to);
    }
    return path;
}

bool contains(const std::vector<TcpState> &path, TcpState st)
{
    return std::find(path.begin(), path.end(), st) != path.end();
}

std::string describe(const std::vector<TcpState> &path)
{
    std::string out;
    for (auto st : path)
        out += std::string(out.empty() ? "" : " -> ") + std::string(stateName(st));
    return out;
}

struct CallWindow
{
    std::int64_t enter = 0, exit = -1;
    std::string actor, call, sock;
};

std::map<std::int64_t, CallWindow> callWindows(const std::vector<Event> &events)
{
    std::map<std::int64_t, CallWindow> calls;
    for (const auto &e : events) {
        if (const auto *s = e.as<SyscallInfo>())
            calls[s->id] = {e.tNs, -1, s->actor, s->call, s->sock};
        else if (const auto *r = e.as<ReturnInfo>())
            calls[r->id].exit = e.tNs;
    }
    return calls;
}

std::string actorOf(const std::vector<Event> &events, const std::string &sock)
{
    for (const auto &e : events)
        if (const auto *s = e.as<SocketInfo>(); s && s->sock == sock)
            return s->actor;
    return {};
}

const EndInfo &endOf(const std::vector<Event> &events)
{
    const auto *end = events.back().as<EndInfo>();
    if (!end)
        throw std::runtime_error("the run has no end event");
    return *end;
}

int countFds()
{
    int n = 0;
    if (DIR *d = opendir("/proc/self/fd")) {
        while (readdir(d))
            ++n;
        closedir(d);
    }
    return n;
}

class Builtin : public ::testing::TestWithParam<std::string>
{
};

std::vector<std::string> builtinNames()
{
    std::vector<std::string> names;
    for (const auto &b : builtinScenarios())
        names.push_back(b.name);
    return names;
}

} // namespace

// Every built-in meets every expectation, captures without drops, and no kernel snapshot contradicts the
// derived states, over repeated runs (SOCKSCOPE_REPEAT, default 3).
TEST_P(Builtin, MeetsExpectationsWithoutContradictions)
{
    Scenario scenario = test::loadBuiltin(GetParam());
    for (int run = 0; run < repeatCount(); ++run) {
        auto events = test::runScenario(scenario);
        ASSERT_FALSE(events.empty());
        const auto *info = events.front().as<RunInfo>();
        ASSERT_NE(info, nullptr);
        if (test::noUserns()) {
            EXPECT_EQ(info->isolation, "host") << "SOCKSCOPE_NO_USERNS=1 tests the host fallback";
            EXPECT_NE(info->captureNote.find("host's loopback"), std::string::npos) << info->captureNote;
        } else {
            EXPECT_EQ(info->isolation, "netns") << info->captureNote;
            EXPECT_TRUE(info->capture) << info->captureNote;
        }
        int checks = 0;
        for (const auto &e : events) {
            if (const auto *c = e.as<CheckInfo>()) {
                ++checks;
                EXPECT_TRUE(c->ok) << "run " << run << ", step " << c->step + 1 << " (" << scenario.steps[c->step].text
                                   << "): expected " << c->expected << ", got " << c->got;
            }
            if (const auto *s = e.as<StateInfo>())
                EXPECT_FALSE(s->conflict) << "run " << run << ": kernel says " << stateName(s->to) << " for " << s->sock
                                          << " at n=" << e.n << ", derived " << stateName(s->derived);
        }
        EXPECT_GT(checks, 0) << "a built-in without expectations checks nothing";
        const EndInfo &end = endOf(events);
        EXPECT_TRUE(end.ok) << end.error;
        EXPECT_EQ(end.drops, 0);
        // The stream is in order: n counts up from 0 and time never goes back.
        for (size_t i = 0; i < events.size(); ++i) {
            EXPECT_EQ(events[i].n, static_cast<std::int64_t>(i));
            if (i)
                EXPECT_GE(events[i].tNs, events[i - 1].tNs) << "at n=" << i;
        }
    }
}

// A FIN or RST leaves during the call that caused it: the segment's stamp lies inside that call's
// enter/return window, and a FIN's call is the close() or shutdown() of the socket that sent it. A RST that
// answers a segment (data reaching a closed socket) is caused by the call that sent that segment: the
// receiver processes it in a softirq, which under load runs in ksoftirqd after that call returned, and a
// chain of answers can start there (backlog-full under load: a late ACK, the TIME_WAIT side's ACK, a RST).
TEST_P(Builtin, FinAndRstFallInsideTheirSyscall)
{
    const Scenario scenario = test::loadBuiltin(GetParam());
    auto events = test::runScenario(scenario);
    // A keepalive that gives up sends its RST from the timer (tcp_keepalive_timer), outside every call.
    auto keepalive = [&](const std::string &sock) {
        for (const auto &step : scenario.steps)
            if (step.call == Call::Setsockopt && step.option == "SO_KEEPALIVE" && step.number != 0 &&
                step.actor == actorOf(events, sock))
                return true;
        return false;
    };
    auto calls = callWindows(events);
    // The calls that can release a socket: its close() or shutdown(), its actor's exit(), and a call that held it
    // while another thread's close() freed its descriptor (the socket is released when that call returns).
    auto releases = [&](const CallWindow &c, const std::string &sock) {
        if ((c.call == "close" || c.call == "shutdown") && c.sock == sock)
            return true;
        if (c.call == "exit" && c.actor == actorOf(events, sock))
            return true;
        for (const auto &[id, d] : calls)
            if (d.call == "close" && d.sock == sock && c.sock == sock && d.enter > c.enter && d.enter < c.exit)
                return true;
        return false;
    };
    auto windowAt = [&](std::int64_t t, const std::string &finSock) {
        const CallWindow *inside = nullptr;
        for (const auto &[id, c] : calls) {
            if (c.exit < 0 || t < c.enter || t > c.exit)
                continue;
            bool finCall = releases(c, finSock);
            if (!inside || finCall)
                inside = &c;
        }
        return inside;
    };
    // A segment outside every call answers the last one that reached its sender from its peer; follow that
    // chain back (a timer's ACK, the TIME_WAIT side's ACK of it, the RST of a socket that is gone: 3 hops).
    auto answered = [&](const Event &seg) -> const Event * {
        const auto *p = seg.as<PacketInfo>();
        const Event *last = nullptr;
        for (const auto &q : events)
            if (const auto *qp = q.as<PacketInfo>(); qp && q.n < seg.n && qp->from == p->to && qp->to == p->from)
                last = &q;
        return last;
    };
    for (const auto &e : events) {
        const auto *p = e.as<PacketInfo>();
        if (!p || !(hasFlag(p->flags, SegmentFlag::Fin) || hasFlag(p->flags, SegmentFlag::Rst)))
            continue;
        if (p->retx > 0)
            continue; // a retransmission leaves when the RTO fires (lost-fin, lost-final-ack), not in a call
        const CallWindow *inside = windowAt(e.tNs, p->from);
        if (!inside && hasFlag(p->flags, SegmentFlag::Rst) && !hasFlag(p->flags, SegmentFlag::Fin)) {
            const Event *cause = &e;
            for (int hop = 0; hop < 3 && !inside && (cause = answered(*cause)); ++hop)
                inside = windowAt(cause->tNs, cause->as<PacketInfo>()->from);
        }
        if (!inside && hasFlag(p->flags, SegmentFlag::Rst) && keepalive(p->from))
            continue;
        ASSERT_NE(inside, nullptr) << flagsText(p->flags) << " from " << p->from << " at n=" << e.n
                                   << " is outside every syscall";
        if (hasFlag(p->flags, SegmentFlag::Fin)) {
            EXPECT_TRUE(releases(*inside, p->from))
                << "FIN from " << p->from << " at n=" << e.n << " fell inside " << inside->actor << " " << inside->call
                << "(" << inside->sock << ")";
        }
    }
}

INSTANTIATE_TEST_SUITE_P(All, Builtin, ::testing::ValuesIn(builtinNames()), [](const auto &info) {
    std::string n = info.param;
    std::replace(n.begin(), n.end(), '-', '_');
    return n;
});

TEST(Lab, CloseWithUnreadDataSendsRstNotFin)
{
    auto events = test::runScenario(test::loadBuiltin("close-unread-data"));
    auto calls = callWindows(events);
    std::int64_t closeId = -1;
    for (const auto &[id, c] : calls)
        if (c.actor == "server" && c.call == "close")
            closeId = id;
    ASSERT_GE(closeId, 0);
    int rsts = 0;
    for (const auto &e : events) {
        const auto *p = e.as<PacketInfo>();
        if (!p || p->from != "server.1")
            continue;
        EXPECT_FALSE(hasFlag(p->flags, SegmentFlag::Fin)) << "server.1 sent a FIN at n=" << e.n;
        if (hasFlag(p->flags, SegmentFlag::Rst)) {
            ++rsts;
            EXPECT_TRUE(hasFlag(p->flags, SegmentFlag::Ack));
            EXPECT_GE(e.tNs, calls[closeId].enter);
            EXPECT_LE(e.tNs, calls[closeId].exit);
        }
    }
    EXPECT_EQ(rsts, 1);
    auto path = derivedPath(events, "server.1");
    EXPECT_EQ(path.back(), TcpState::Closed) << describe(path);
    EXPECT_FALSE(contains(path, TcpState::FinWait1)) << describe(path);
    EXPECT_FALSE(contains(path, TcpState::TimeWait)) << describe(path);
}

TEST(Lab, PassiveClosePassesCloseWaitAndLastAck)
{
    auto events = test::runScenario(test::loadBuiltin("passive-close"));
    // The passive side is whichever socket received the first FIN.
    std::string passive;
    for (const auto &e : events)
        if (const auto *p = e.as<PacketInfo>(); p && passive.empty() && hasFlag(p->flags, SegmentFlag::Fin))
            passive = p->to;
    ASSERT_FALSE(passive.empty());
    auto path = derivedPath(events, passive);
    EXPECT_TRUE(contains(path, TcpState::CloseWait)) << describe(path);
    EXPECT_TRUE(contains(path, TcpState::LastAck)) << describe(path);
    EXPECT_EQ(path.back(), TcpState::Closed) << describe(path);
}

// Both close() calls are released together; when the FINs cross (neither acknowledges the other, which is
// the kernel's own evidence), both sides must pass CLOSING and end in TIME_WAIT. When the release drifted
// and one FIN was processed first, that side must show CLOSE_WAIT and LAST_ACK instead. The FINs cross only
// when the two close() calls reach the kernel within a few microseconds of each other: in most runs of the
// default build (7 of 10 at load 9), in about one of twenty of a TSan or ASan build, whose instrumented path
// from the barrier to the kernel is slower. So the loop tries up to 200 runs while none has crossed (a
// sanitizer build misses them all with a chance of about 0.95^200 = 4e-5) and stops at the first crossing
// after ten runs, at the second before; each run is checked whichever way it went.
TEST(Lab, SimultaneousClosePassesClosingOnBothSides)
{
    Scenario scenario = test::loadBuiltin("simultaneous-close");
    int crossed = 0;
    int runs = 0;
    for (; runs < 200 && crossed < (runs < 10 ? 2 : 1); ++runs) {
        auto events = test::runScenario(scenario);
        std::map<std::string, std::uint32_t> finAck; // FIN sender -> ack field of its FIN
        for (const auto &e : events)
            if (const auto *p = e.as<PacketInfo>(); p && hasFlag(p->flags, SegmentFlag::Fin))
                finAck[p->from] = p->ack;
        ASSERT_EQ(finAck.size(), 2u);
        bool crossing = true;
        for (const auto &[sock, ack] : finAck)
            crossing = crossing && ack == 1; // the FIN acknowledges nothing beyond the handshake
        for (const auto &[sock, ack] : finAck) {
            auto path = derivedPath(events, sock);
            if (crossing) {
                EXPECT_TRUE(contains(path, TcpState::FinWait1)) << sock << ": " << describe(path);
                EXPECT_TRUE(contains(path, TcpState::Closing)) << sock << ": " << describe(path);
                EXPECT_EQ(path.back(), TcpState::TimeWait) << sock << ": " << describe(path);
            } else if (ack == 2) {
                EXPECT_TRUE(contains(path, TcpState::CloseWait)) << sock << ": " << describe(path);
                EXPECT_TRUE(contains(path, TcpState::LastAck)) << sock << ": " << describe(path);
            }
        }
        crossed += crossing ? 1 : 0;
    }
    EXPECT_GE(crossed, 1) << "the two close() calls never crossed in " << runs << " runs";
}

// Half-open sockets in SYN_SENT: sock_diag and SIOCOUTQ must agree on their send queue (0: the SYN is not
// data), or each socket's queue flips between the two at every snapshot: 2 events per socket per step, which
// made 1000 connections into a full backlog write 1.9 million events (scripts/soak.sh).
TEST(Lab, HalfOpenSocketsKeepOneQueueReading)
{
    std::string text = "title: t\ntopic: t\nsummary: s\nactors: server client\n\nserver  L = socket(v4)\n"
                       "server  bind(L, 127.0.0.1:5000)\nserver  listen(L, 0)\n";
    constexpr int kSockets = 30;
    for (int i = 1; i <= kSockets; ++i)
        text += "client  C" + std::to_string(i) + " = socket(v4, nonblock)\nclient  connect(C" + std::to_string(i) +
                ", 127.0.0.1:5000)\n";
    text += "server  wait(300)\n";
    auto parsed = parseScenario(text, "halfopen.scn");
    ASSERT_TRUE(parsed.scenario);
    const auto events = test::runScenario(*parsed.scenario);
    std::map<std::string, int> queueEvents;
    for (const auto &e : events)
        if (const auto *q = e.as<QueueInfo>())
            ++queueEvents[q->sock];
    ASSERT_FALSE(queueEvents.empty());
    for (const auto &[sock, count] : queueEvents)
        EXPECT_LE(count, 3) << sock << ": its queue reading flips";
}

TEST(Lab, FullBacklogLeavesConnectInSynSentWithRetransmittedSyns)
{
    auto events = test::runScenario(test::loadBuiltin("backlog-full"));
    // A socket whose SYN went out more than once was left waiting: it must have stayed in SYN_SENT across
    // the retransmission (no SYN|ACK came back in between), while its connect() was blocked.
    std::map<std::string, std::vector<std::int64_t>> synTimes;
    std::map<std::string, std::int64_t> firstAnswer;
    for (const auto &e : events) {
        const auto *p = e.as<PacketInfo>();
        if (!p)
            continue;
        if (p->flags == static_cast<std::uint8_t>(SegmentFlag::Syn))
            synTimes[p->from].push_back(e.tNs);
        if (hasFlag(p->flags, SegmentFlag::Syn) && hasFlag(p->flags, SegmentFlag::Ack) && !firstAnswer.count(p->to))
            firstAnswer[p->to] = e.tNs;
    }
    int starved = 0;
    for (const auto &[sock, times] : synTimes) {
        if (times.size() < 2)
            continue;
        ++starved;
        EXPECT_TRUE(!firstAnswer.count(sock) || firstAnswer[sock] > times[1])
            << sock << " was answered before its SYN was retransmitted";
        // The derived state at the retransmission is SYN_SENT.
        TcpState at = TcpState::Closed;
        for (const auto &e : events)
            if (const auto *st = e.as<StateInfo>();
                st && st->sock == sock && st->source == StateSource::Derived && e.tNs <= times[1])
                at = st->to;
        EXPECT_EQ(at, TcpState::SynSent) << sock;
        EXPECT_GE(times[1] - times[0], 900000000LL) << "the SYN retransmission timer is about 1 s";
    }
    EXPECT_GE(starved, 1) << "no connect was left waiting on the full backlog";
    bool blockedCheck = false;
    for (const auto &e : events)
        if (const auto *c = e.as<CheckInfo>(); c && c->expected == "blocked" && c->ok)
            blockedCheck = true;
    EXPECT_TRUE(blockedCheck) << "connect() on the full backlog was not seen blocked";
}

TEST(Lab, AcceptOfResetConnectionReturnsValidFd)
{
    auto events = test::runScenario(test::loadBuiltin("reset-before-accept"));
    auto calls = callWindows(events);
    bool sawAccept = false;
    for (const auto &e : events) {
        const auto *r = e.as<ReturnInfo>();
        if (!r || calls[r->id].call != "accept")
            continue;
        sawAccept = true;
        EXPECT_GE(r->ret, 0) << "Linux's accept() hands over the reset connection; got errno " << r->err;
    }
    EXPECT_TRUE(sawAccept);
}

// The stream survives a round trip through its JSON form, field for field.
TEST(Lab, EventsRoundTripThroughJson)
{
    auto events = test::runScenario(test::loadBuiltin("close-unread-data"));
    for (const auto &e : events) {
        std::string line = toJsonLine(e);
        auto back = fromJsonLine(line);
        ASSERT_TRUE(back.event) << back.error << "\n" << line;
        EXPECT_EQ(toJsonLine(*back.event), line);
    }
}

// Whatever happened in a run, the lab leaves no process, thread or fd behind in the caller.
TEST(Lab, LeavesNothingBehind)
{
    int fdsBefore = countFds();
    for (const char *fixture : {"blocked-at-end", "step-timeout"}) {
        auto parsed = loadScenarioFile(std::string(SOCKSCOPE_FIXTURES) + "/" + fixture + ".scn");
        ASSERT_TRUE(parsed.scenario) << parsed.errors.front().format();
        auto events = test::runScenario(*parsed.scenario);
        ASSERT_FALSE(events.empty());
        EXPECT_EQ(events.back().kind(), EventKind::End) << fixture;
    }
    EXPECT_EQ(countFds(), fdsBefore);
    int status = 0;
    EXPECT_EQ(waitpid(-1, &status, WNOHANG), -1) << "a lab child was left behind";
}

TEST(Lab, BlockedCallsAtTheEndAreReportedBlocked)
{
    auto parsed = loadScenarioFile(std::string(SOCKSCOPE_FIXTURES) + "/blocked-at-end.scn");
    ASSERT_TRUE(parsed.scenario);
    auto events = test::runScenario(*parsed.scenario);
    int blockedChecks = 0;
    for (const auto &e : events)
        if (const auto *c = e.as<CheckInfo>(); c && c->expected == "blocked") {
            EXPECT_TRUE(c->ok) << "step " << c->step + 1 << " got " << c->got;
            ++blockedChecks;
        }
    EXPECT_EQ(blockedChecks, 2);
    EXPECT_TRUE(endOf(events).ok);
}

TEST(Lab, StepOfABlockedActorTimesOutAndEndsTheRun)
{
    auto parsed = loadScenarioFile(std::string(SOCKSCOPE_FIXTURES) + "/step-timeout.scn");
    ASSERT_TRUE(parsed.scenario);
    auto events = test::runScenario(*parsed.scenario);
    const EndInfo &end = endOf(events);
    EXPECT_FALSE(end.ok);
    EXPECT_NE(end.error.find("still blocked"), std::string::npos) << end.error;
    EXPECT_NE(end.error.find("line 15"), std::string::npos) << end.error;
}

// With the namespace refused, the run falls back to the host's loopback and says so.
TEST(Lab, HostFallbackSaysSo)
{
    LabOptions options;
    options.labBinary = SOCKSCOPE_LAB_BINARY;
    options.forceHost = true;
    std::vector<Event> events;
    std::string error;
    runLab(
        test::loadBuiltin("close-unread-data"), options, [&](Event &&e) { events.push_back(std::move(e)); }, &error);
    ASSERT_TRUE(error.empty()) << error;
    const auto *info = events.front().as<RunInfo>();
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->isolation, "host");
    EXPECT_NE(info->captureNote.find("host's loopback"), std::string::npos) << info->captureNote;
    for (const auto &e : events)
        if (const auto *c = e.as<CheckInfo>())
            EXPECT_TRUE(c->ok) << "step " << c->step + 1 << " got " << c->got;
}

// A refused connect: the SYN is the client's (even though the kernel clears the source address of a refused
// socket afterwards), the RST comes from no socket, and the client passes SYN_SENT on its way to CLOSED.
TEST(Lab, RefusedConnectPassesSynSent)
{
    auto events = test::runScenario(test::loadBuiltin("connect-refused"));
    bool syn = false, rst = false;
    for (const auto &e : events) {
        const auto *p = e.as<PacketInfo>();
        if (!p)
            continue;
        if (p->flags == static_cast<std::uint8_t>(SegmentFlag::Syn)) {
            syn = true;
            EXPECT_EQ(p->from, "client.1");
        }
        if (hasFlag(p->flags, SegmentFlag::Rst)) {
            rst = true;
            EXPECT_EQ(p->from, "") << "the RST comes from the kernel, not from a socket";
            EXPECT_EQ(p->to, "client.1");
        }
        if (const auto *s = e.as<SocketInfo>(); s && s->sock == "client.1" && !s->local.empty())
            EXPECT_EQ(s->local.rfind("127.0.0.1:", 0), 0u) << s->local;
    }
    EXPECT_TRUE(syn && rst);
    auto path = derivedPath(events, "client.1");
    EXPECT_EQ(describe(path), "CLOSED -> SYN_SENT -> CLOSED");
}
