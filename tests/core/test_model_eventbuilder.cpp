// SPDX-License-Identifier: GPL-3.0-or-later
// EventBuilder fed a hand-made raw batch (no kernel): a listener, a client's connect() and the handshake, an
// accept(), and kernel snapshots. The expected stream is written by hand, one line per event, so names,
// numbering, causes, deferred receives and kernel verdicts are all pinned down, including a snapshot that
// must be flagged as a contradiction.
#include "core/model/eventbuilder.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

using namespace sockscope::core;

namespace {

const char *kScenario = R"(title: hand-made
topic: opening
summary: a handshake.
notes: none.
actors: server client

server  L = socket(v4)
server  bind(L, 127.0.0.1:5000)            = 0
server  listen(L, 8)                       = 0
client  C = socket(v4)
client  connect(C, 127.0.0.1:5000)         = 0
server  A = accept(L)                      = fd
)";

RawPacket segment(std::int64_t t, std::uint16_t srcPort, std::uint16_t dstPort, std::uint8_t flags, std::uint32_t seq,
                  std::uint32_t ack)
{
    RawPacket p;
    p.tNs = t;
    inet_pton(AF_INET, "127.0.0.1", p.srcIp.data());
    inet_pton(AF_INET, "127.0.0.1", p.dstIp.data());
    p.srcPort = srcPort;
    p.dstPort = dstPort;
    p.flags = flags;
    p.seq = seq;
    p.ack = ack;
    return p;
}

DiagSocket diag(TcpState st, int kernelState, std::uint64_t cookie, std::string local, std::string remote)
{
    DiagSocket d;
    d.kernelState = kernelState;
    d.state = st;
    d.cookie = cookie;
    d.local = std::move(local);
    d.remote = std::move(remote);
    return d;
}

std::string render(const Event &e)
{
    std::string out = std::to_string(e.n) + " @" + std::to_string(e.tNs) + " ";
    if (e.as<RunInfo>())
        return out + "run";
    if (const auto *s = e.as<StepInfo>())
        return out + "step " + std::to_string(s->step);
    if (const auto *s = e.as<SyscallInfo>())
        return out + "syscall " + s->actor + " " + s->call + " " + s->sock;
    if (const auto *r = e.as<ReturnInfo>())
        return out + "return " + std::to_string(r->id) + " " + std::to_string(r->ret) + r->err;
    if (const auto *s = e.as<SocketInfo>())
        return out + "socket " + s->sock + " " + s->role + " fd=" + std::to_string(s->fd) + " " + s->local + " " +
               s->remote;
    if (const auto *p = e.as<PacketInfo>())
        return out + "packet " + p->from + ">" + p->to + " flags=" + std::to_string(p->flags) +
               " seq=" + std::to_string(p->seq) + " ack=" + std::to_string(p->ack);
    if (const auto *s = e.as<StateInfo>()) {
        out += "state " + s->sock + " " + std::string(stateName(s->from)) + ">" + std::string(stateName(s->to));
        if (s->source == StateSource::Derived)
            return out + " cause=" + std::to_string(s->cause);
        return out + " kernel" + (s->conflict ? " CONFLICT derived=" + std::string(stateName(s->derived)) : "");
    }
    if (const auto *q = e.as<QueueInfo>())
        return out + "queue " + q->sock + " " + std::to_string(q->recvQ) + " " + std::to_string(q->sendQ);
    if (const auto *c = e.as<CheckInfo>())
        return out + "check " + std::to_string(c->step) + (c->ok ? " ok " : " FAIL ") + c->got;
    if (const auto *end = e.as<EndInfo>())
        return out + "end " + (end->ok ? "ok" : "failed");
    return out + "?";
}

// A test's scenario, parsed; a parse error fails the test.
Scenario parsed(const std::string &text, const char *file)
{
    ParseResult parsed = parseScenario(text, file);
    for (const auto &err : parsed.errors)
        ADD_FAILURE() << err.format();
    return *parsed.scenario;
}

// The run event of an isolated run with capture.
RunInfo capturedRun()
{
    RunInfo info;
    info.isolation = "netns";
    info.capture = true;
    return info;
}

// One call's records: its step mark at t, its entry at t+1; then its exit.
void addCall(RawBatch &b, const Scenario &sc, int step, std::int64_t id, std::int64_t t, int fd)
{
    b.steps.push_back({t, step});
    b.enters.push_back({id, t + 1, &sc.steps[step], fd});
}
CallExit &addExit(RawBatch &b, std::int64_t id, std::int64_t t, std::int64_t value, int fd, int newFd = -1, int err = 0)
{
    CallExit x;
    x.id = id;
    x.tNs = t;
    x.ret = value;
    x.err = err;
    x.fd = fd;
    x.newFd = newFd;
    b.exits.push_back(x);
    return b.exits.back();
}

// A socket bound to local (kernel state 7: TCP_CLOSE), and one connected (1: TCP_ESTABLISHED).
FdSnapshot boundTo(const std::string &local)
{
    return FdSnapshot{7, 0, local, "", 0, 0};
}
FdSnapshot connected(const std::string &local, const std::string &remote)
{
    return FdSnapshot{1, 0, local, remote, 0, 0};
}

struct Built
{
    std::vector<std::string> lines;
    int conflicts = 0;
    bool checksOk = false;
};

// clientDiagState: what sock_diag says of the client at 700..710 ns. padding: how many snapshots of the
// listener are read between the SYN and the client's own snapshot (a step snapshots every fd).
Built build(TcpState clientDiagState, int clientDiagKernel, int padding = 0)
{
    const Scenario sc = parsed(kScenario, "handmade.scn");
    Built run;
    EventBuilder builder(sc, capturedRun(), [&](Event &&e) { run.lines.push_back(render(e)); });

    RawBatch b;
    auto call = [&](int step, std::int64_t id, std::int64_t t, int fd) { addCall(b, sc, step, id, t, fd); };
    auto ret = [&](std::int64_t id, std::int64_t t, std::int64_t value, int fd, int newFd = -1) {
        return &addExit(b, id, t, value, fd, newFd);
    };
    call(0, 1, 100, -1);
    ret(1, 102, 3, -1, 3);
    call(1, 2, 200, 3);
    ret(2, 202, 0, 3);
    b.fds.push_back({203, 3, boundTo("127.0.0.1:5000")});
    call(2, 3, 300, 3);
    ret(3, 302, 0, 3);
    call(3, 4, 400, -1);
    ret(4, 402, 4, -1, 4);
    call(4, 5, 500, 4);
    ret(5, 540, 0, 4);
    for (int i = 0; i < padding; ++i)
        b.fds.push_back({545, 3, FdSnapshot{10, 0, "127.0.0.1:5000", "", 0, 0}});
    b.fds.push_back({550, 4, connected("127.0.0.1:40000", "127.0.0.1:5000")});
    call(5, 6, 600, 3);
    CallExit *accepted = ret(6, 602, 5, 3, 5);
    accepted->newFdAfter = FdSnapshot{1, 9, "127.0.0.1:5000", "127.0.0.1:40000", 0, 0};
    accepted->snapNs = 603;
    b.diags.push_back({700,
                       710,
                       {diag(TcpState::Listen, 10, 0, "127.0.0.1:5000", "0.0.0.0:0"),
                        diag(clientDiagState, clientDiagKernel, 0, "127.0.0.1:40000", "127.0.0.1:5000"),
                        diag(TcpState::Established, 1, 9, "127.0.0.1:5000", "127.0.0.1:40000")}});
    std::vector<RawPacket> packets = {segment(510, 40000, 5000, 0x02, 1000, 0),
                                      segment(520, 5000, 40000, 0x12, 5000, 1001),
                                      segment(530, 40000, 5000, 0x10, 1001, 5001)};
    builder.addBatch(std::move(b), std::move(packets));
    EndInfo end;
    end.ok = true;
    end.durationNs = 800;
    builder.finish(end);
    run.conflicts = builder.conflicts();
    run.checksOk = builder.checksOk();
    return run;
}

// The stream up to and including the accept, the same in both tests.
const std::vector<std::string> kHandshake = {
    "0 @0 run",
    "1 @100 step 0",
    "2 @101 syscall server socket ",
    "3 @102 return 1 3",
    "4 @102 socket server.listen listen fd=3  ",
    "5 @200 step 1",
    "6 @201 syscall server bind server.listen",
    "7 @202 return 2 0",
    "8 @202 check 1 ok 0",
    "9 @203 socket server.listen listen fd=3 127.0.0.1:5000 ",
    "10 @300 step 2",
    "11 @301 syscall server listen server.listen",
    "12 @302 return 3 0",
    "13 @302 state server.listen CLOSED>LISTEN cause=12",
    "14 @302 check 2 ok 0",
    "15 @400 step 3",
    "16 @401 syscall client socket ",
    "17 @402 return 4 4",
    "18 @402 socket client.1 connect fd=4  ",
    "19 @500 step 4",
    "20 @501 syscall client connect client.1",
    // The SYN's sender is known only from the snapshot after connect() returned; the listener answers, so the
    // SYN spawns the child.
    "21 @510 socket client.1 connect fd=4 127.0.0.1:40000 127.0.0.1:5000",
    "22 @510 socket server.1 accepted fd=-1 127.0.0.1:5000 127.0.0.1:40000",
    "23 @510 packet client.1>server.1 flags=2 seq=0 ack=0",
    "24 @510 state client.1 CLOSED>SYN_SENT cause=23",
    "25 @510 state server.1 LISTEN>SYN_RECEIVED cause=23",
    "26 @520 packet server.1>client.1 flags=18 seq=0 ack=1",
    // The SYN|ACK waited for connect()'s socket lock; the client's ACK acknowledges it, so it counts at 520.
    "27 @520 state client.1 SYN_SENT>ESTABLISHED cause=26",
    "28 @530 packet client.1>server.1 flags=16 seq=1 ack=1",
    "29 @530 state server.1 SYN_RECEIVED>ESTABLISHED cause=28",
    "30 @540 return 5 0",
    "31 @540 check 4 ok 0",
    "32 @550 queue client.1 0 0",
    "33 @550 state client.1 CLOSED>ESTABLISHED kernel",
    "34 @600 step 5",
    "35 @601 syscall server accept server.listen",
    "36 @602 return 6 5",
    "37 @602 socket server.1 accepted fd=5 127.0.0.1:5000 127.0.0.1:40000",
    "38 @602 queue server.1 0 0",
    "39 @602 check 5 ok 5",
    "40 @603 state server.1 CLOSED>ESTABLISHED kernel",
    "41 @710 state server.listen CLOSED>LISTEN kernel",
};

TEST(EventBuilder, HandshakeFromAHandMadeBatch)
{
    Built run = build(TcpState::Established, 1);
    std::vector<std::string> want = kHandshake;
    want.push_back("42 @800 end ok");
    EXPECT_EQ(run.lines, want);
    EXPECT_EQ(run.conflicts, 0);
    EXPECT_TRUE(run.checksOk);
}

// With a thousand sockets open, hundreds of other fds' snapshots lie between a connect()'s SYN and the
// snapshot that shows its source port; the SYN is still the connecting socket's (issue 9: 1000 connects into
// a full backlog read "kernel SYN_SENT, model CLOSED" from the 456th on).
TEST(EventBuilder, SynFoundItsSocketBehindManyOtherSnapshots)
{
    Built run = build(TcpState::Established, 1, 1500);
    const auto has = [&](const std::string &line) {
        return std::find(run.lines.begin(), run.lines.end(), line) != run.lines.end();
    };
    EXPECT_TRUE(has("21 @510 socket client.1 connect fd=4 127.0.0.1:40000 127.0.0.1:5000"));
    EXPECT_TRUE(has("23 @510 packet client.1>server.1 flags=2 seq=0 ack=0"));
    EXPECT_TRUE(has("24 @510 state client.1 CLOSED>SYN_SENT cause=23"));
    EXPECT_EQ(run.conflicts, 0);
}

TEST(EventBuilder, ContradictingSnapshotIsFlagged)
{
    Built run = build(TcpState::CloseWait, 8);
    std::vector<std::string> want = kHandshake;
    want.push_back("42 @710 state client.1 ESTABLISHED>CLOSE_WAIT kernel CONFLICT derived=ESTABLISHED");
    want.push_back("43 @800 end ok");
    EXPECT_EQ(run.lines, want);
    EXPECT_EQ(run.conflicts, 1);
}

// A small scenario and hand-made records: calls (step, enter, exit with an optional fd snapshot after) and
// segments. Returns the socket, packet and state events, without their numbers.
struct MiniCall
{
    int step;
    std::int64_t t;   // step mark; enter at t+1
    std::int64_t ret; // returned at t+10
    int err = 0;
    int fd = -1;
    int newFd = -1;
    std::optional<FdSnapshot> after; // the scheduler's snapshot of fd at t+11
};

MiniCall socketCall(int step, std::int64_t t, int fd)
{
    return {step, t, fd, 0, -1, fd};
}
// A call on fd that returns ret (err when it fails), with the scheduler's snapshot after it when there is one.
MiniCall callOn(int step, std::int64_t t, int fd, std::int64_t ret = 0, int err = 0,
                std::optional<FdSnapshot> after = std::nullopt)
{
    return {step, t, ret, err, fd, -1, std::move(after)};
}
// socket() at 100 as fd 3, a call at secondT that leaves the snapshot after, a third call at thirdT.
std::vector<MiniCall> socketThenTwoCalls(std::int64_t secondT, FdSnapshot after, std::int64_t thirdT)
{
    return {socketCall(0, 100, 3), callOn(1, secondT, 3, 0, 0, std::move(after)), callOn(2, thirdT, 3)};
}

const std::string kMiniHeader = "title: t\ntopic: t\nsummary: t\nactors: ";

// The scenario is kMiniHeader, its actors line and its steps.
std::vector<std::string> mini(const std::string &actors, const std::string &steps, const std::vector<MiniCall> &calls,
                              std::vector<RawPacket> packets, std::vector<FdRecord> fds = {},
                              std::vector<DiagRecord> diags = {})
{
    const Scenario sc = parsed(kMiniHeader + actors + "\n\n" + steps, "mini.scn");
    std::vector<std::string> lines;
    EventBuilder builder(sc, capturedRun(), [&](Event &&e) {
        std::string line = render(e);
        line = line.substr(line.find(' ') + 1);
        if (e.as<SocketInfo>() || e.as<PacketInfo>() || e.as<StateInfo>())
            lines.push_back(line);
    });
    RawBatch b;
    std::int64_t id = 0;
    for (const auto &c : calls) {
        ++id;
        addCall(b, sc, c.step, id, c.t, c.fd);
        addExit(b, id, c.t + 10, c.ret, c.fd, c.newFd, c.err);
        if (c.after)
            b.fds.push_back({c.t + 11, c.fd, *c.after});
    }
    for (auto &f : fds)
        b.fds.push_back(std::move(f));
    b.diags = std::move(diags);
    builder.addBatch(std::move(b), std::move(packets));
    builder.finish(EndInfo{});
    return lines;
}

constexpr std::uint8_t kF = 0x01, kS = 0x02, kR = 0x04, kA = 0x10;

// The scheduler reads every fd after a step, each stamped before and after its own read: a thread preempted
// in that loop reads a later fd milliseconds after the loop began (differential seed 174: FIN_WAIT_2 "1 ms
// before" the ACK that led there). The snapshot is judged over its whole read, so ESTABLISHED read across the
// SYN|ACK at 5 ms is no contradiction; stamped only when the read began (1.5 ms) it is one.
TEST(EventBuilder, AnFdSnapshotIsJudgedOverItsWholeRead)
{
    const std::int64_t ms = 1000000;
    for (const std::int64_t readEnd : {std::int64_t{0}, 6 * ms}) {
        const auto lines =
            mini("client", "client  C = socket(v4)\nclient  connect(C, 127.0.0.1:5000)\n",
                 {socketCall(0, 100, 3),
                  callOn(1, 1 * ms, 3, 0, 0, FdSnapshot{2, 0, "127.0.0.1:40000", "127.0.0.1:5000", 0, 0})},
                 {segment(1 * ms + 5, 40000, 5000, kS, 1000, 0), segment(5 * ms, 5000, 40000, kS | kA, 5000, 1001)},
                 {FdRecord{3 * ms / 2, 3, connected("127.0.0.1:40000", "127.0.0.1:5000"), readEnd}});
        const bool conflict =
            std::any_of(lines.begin(), lines.end(), [](const std::string &l) { return l.find("CONFLICT") != l.npos; });
        EXPECT_EQ(conflict, readEnd == 0) << "read ending at " << readEnd;
    }
}

// shutdown(SHUT_RDWR) takes a listener out of LISTEN; SHUT_WR does not; listen() again afterwards works.
TEST(EventBuilder, ShutdownOfAListener)
{
    const char *actors = "server";
    const char *steps = R"(server  L = socket(v4)
server  listen(L, 5)
server  shutdown(L, SHUT_WR)
server  shutdown(L, SHUT_RDWR)
server  listen(L, 5)
)";
    const std::vector<std::string> want = {
        "@110 socket server.listen listen fd=3  ",
        "@210 state server.listen CLOSED>LISTEN cause=7",
        "@410 state server.listen LISTEN>CLOSED cause=14",
        "@510 state server.listen CLOSED>LISTEN cause=18",
    };
    EXPECT_EQ(mini(actors, steps,
                   {socketCall(0, 100, 3), callOn(1, 200, 3), callOn(2, 300, 3), callOn(3, 400, 3), callOn(4, 500, 3)},
                   {}),
              want);
}

// listen() on a connected socket fails: the socket keeps its name and role (and its states follow its
// segments); a failed connect() on a 4-tuple in use gives the tuple back to its owner.
TEST(EventBuilder, FailedCallsChangeNoRoleNameOrAddress)
{
    const char *actors = "client";
    const char *steps = R"(client  C = socket(v4)
client  bind(C, 127.0.0.1:6020)
client  connect(C, 127.0.0.1:5000)
client  listen(C, 4)
client  D = socket(v4)
client  bind(D, 127.0.0.1:6020)
client  connect(D, 127.0.0.1:5000)
)";
    std::vector<RawPacket> packets = {segment(205, 6020, 5000, kS, 1000, 0), segment(700, 6020, 5000, kA, 1001, 1)};
    const std::vector<std::string> want = {
        "@110 socket client.1 connect fd=3  ",
        "@111 socket client.1 connect fd=3 127.0.0.1:6020 ",
        "@201 socket client.1 connect fd=3 127.0.0.1:6020 127.0.0.1:5000", // bound: the peer is named at connect()
        "@205 packet client.1> flags=2 seq=0 ack=0",
        "@205 state client.1 CLOSED>SYN_SENT cause=13",
        "@410 socket client.2 connect fd=4  ",
        "@411 socket client.2 connect fd=4 127.0.0.1:6020 ",
        "@501 socket client.2 connect fd=4 127.0.0.1:6020 127.0.0.1:5000",
        "@510 socket client.2 connect fd=4 127.0.0.1:6020 ", // EADDRNOTAVAIL: no SYN left, nothing changed
        "@700 packet client.1> flags=16 seq=1 ack=1",
    };
    EXPECT_EQ(mini(actors, steps,
                   {socketCall(0, 100, 3), callOn(1, 100, 3, 0, 0, boundTo("127.0.0.1:6020")),
                    callOn(2, 200, 3, -1, 115), callOn(3, 300, 3, -1, 22), socketCall(4, 400, 4),
                    callOn(5, 400, 4, 0, 0, boundTo("127.0.0.1:6020")), callOn(6, 500, 4, -1, 99)},
                   std::move(packets)),
              want);
}

// A socket connected to itself sends and receives each segment: simultaneous open with itself.
TEST(EventBuilder, SelfConnect)
{
    const char *actors = "client";
    const char *steps = R"(client  S = socket(v4)
client  bind(S, 127.0.0.1:7020)
client  connect(S, 127.0.0.1:7020)
)";
    std::vector<RawPacket> packets = {segment(203, 7020, 7020, kS, 1000, 0),
                                      segment(204, 7020, 7020, kS | kA, 1000, 1001),
                                      segment(205, 7020, 7020, kA, 1001, 1001)};
    const std::vector<std::string> want = {
        "@110 socket client.1 connect fd=3  ",
        "@111 socket client.1 connect fd=3 127.0.0.1:7020 ",
        "@201 socket client.1 connect fd=3 127.0.0.1:7020 127.0.0.1:7020",
        "@203 packet client.1>client.1 flags=2 seq=0 ack=0",
        "@203 state client.1 CLOSED>SYN_SENT cause=13",
        // Its own SYN waited for connect()'s lock; its SYN|ACK acknowledges it, so it counts at 203.
        "@203 state client.1 SYN_SENT>SYN_RECEIVED cause=13",
        "@204 packet client.1>client.1 flags=18 seq=0 ack=1",
        "@204 state client.1 SYN_RECEIVED>ESTABLISHED cause=16",
        "@205 packet client.1>client.1 flags=16 seq=1 ack=1",
    };
    EXPECT_EQ(mini(actors, steps, socketThenTwoCalls(100, boundTo("127.0.0.1:7020"), 200), std::move(packets)), want);
}

// A SYN on the 4-tuple of a connection that ended is a new connection: a new socket, not the old one revived.
TEST(EventBuilder, NewConnectionOnAnEndedTupleIsANewSocket)
{
    const char *actors = "server";
    const char *steps = R"(server  L = socket(v4)
server  bind(L, 127.0.0.1:5000)
server  listen(L, 5)
)";
    std::vector<RawPacket> packets = {
        segment(300, 6000, 5000, kS, 1000, 0),    segment(301, 5000, 6000, kS | kA, 5000, 1001),
        segment(302, 6000, 5000, kA, 1001, 5001), segment(303, 6000, 5000, kR, 1001, 0),
        segment(400, 6000, 5000, kS, 90000, 0),   segment(401, 5000, 6000, kS | kA, 70000, 90001),
    };
    const std::vector<std::string> want = {
        "@110 socket server.listen listen fd=3  ",
        "@111 socket server.listen listen fd=3 127.0.0.1:5000 ",
        "@210 state server.listen CLOSED>LISTEN cause=11",
        "@300 socket server.1 accepted fd=-1 127.0.0.1:5000 127.0.0.1:6000",
        "@300 packet >server.1 flags=2 seq=0 ack=0",
        "@300 state server.1 LISTEN>SYN_RECEIVED cause=14",
        "@301 packet server.1> flags=18 seq=0 ack=1",
        "@302 packet >server.1 flags=16 seq=1 ack=1",
        "@302 state server.1 SYN_RECEIVED>ESTABLISHED cause=17",
        "@303 packet >server.1 flags=4 seq=1 ack=0",
        "@303 state server.1 ESTABLISHED>CLOSED cause=19",
        "@400 socket server.2 accepted fd=-1 127.0.0.1:5000 127.0.0.1:6000",
        "@400 packet >server.2 flags=2 seq=0 ack=0",
        "@400 state server.2 LISTEN>SYN_RECEIVED cause=22",
        "@401 packet server.2> flags=18 seq=0 ack=1",
    };
    EXPECT_EQ(mini(actors, steps, socketThenTwoCalls(100, boundTo("127.0.0.1:5000"), 200), std::move(packets)), want);
}

// close() behind unsent data returns before its FIN leaves: FIN_WAIT_1 begins at close().
TEST(EventBuilder, CloseBehindUnsentDataIsFinWait1FromTheCall)
{
    const char *actors = "client";
    const char *steps = R"(client  C = socket(v4)
client  connect(C, 127.0.0.1:5000)
client  close(C)
)";
    std::vector<RawPacket> packets = {
        segment(203, 40000, 5000, kS, 1000, 0), segment(204, 5000, 40000, kS | kA, 5000, 1001),
        segment(205, 40000, 5000, kA, 1001, 5001), segment(900, 40000, 5000, kF | kA, 301001, 5001)};
    const std::vector<std::string> want = {
        "@110 socket client.1 connect fd=3  ",
        "@203 socket client.1 connect fd=3 127.0.0.1:40000 127.0.0.1:5000",
        "@203 packet client.1> flags=2 seq=0 ack=0",
        "@203 state client.1 CLOSED>SYN_SENT cause=8",
        "@204 packet >client.1 flags=18 seq=0 ack=1",
        "@204 state client.1 SYN_SENT>ESTABLISHED cause=10",
        "@205 packet client.1> flags=16 seq=1 ack=1",
        "@211 state client.1 CLOSED>ESTABLISHED kernel",
        "@301 state client.1 ESTABLISHED>FIN_WAIT_1 cause=17", // at close() (its syscall event), not at its FIN
        "@310 socket client.1 connect fd=-1 127.0.0.1:40000 127.0.0.1:5000",
        "@900 packet client.1> flags=17 seq=300001 ack=1",
    };
    EXPECT_EQ(mini(actors, steps, socketThenTwoCalls(200, connected("127.0.0.1:40000", "127.0.0.1:5000"), 300),
                   std::move(packets)),
              want);
}

} // namespace

// `= blocked` means the call was still in the kernel when the next step started (docs/scenario-format.md):
// judged against the step marks of the stream, never against what the scheduler believed. Each batch is a
// list of records: a step mark "s", a call entry "e", a return "r" (step index, time, value).
struct Rec
{
    char kind; // 's' step mark, 'e' call entered, 'r' call returned
    int step;
    std::int64_t t;
    std::int64_t ret = 0;
    int err = 0;
};

std::vector<std::string> checks(const char *scenario, const std::vector<std::vector<Rec>> &batches)
{
    const Scenario sc = parsed(scenario, "blocked.scn");
    std::vector<std::string> lines;
    EventBuilder builder(sc, capturedRun(), [&](Event &&e) {
        if (e.as<CheckInfo>()) {
            std::string line = render(e);
            lines.push_back(line.substr(line.find(' ') + 1));
        }
    });
    for (const auto &recs : batches) {
        RawBatch b;
        for (const Rec &r : recs) {
            if (r.kind == 's') {
                b.steps.push_back({r.t, r.step});
            } else if (r.kind == 'e') {
                b.enters.push_back({r.step + 1, r.t, &sc.steps[r.step], -1});
            } else {
                CallExit x;
                x.id = r.step + 1;
                x.tNs = r.t;
                x.ret = r.ret;
                x.err = r.err;
                b.exits.push_back(x);
            }
        }
        builder.addBatch(std::move(b), {});
    }
    builder.finish(EndInfo{});
    return lines;
}

const char *kBlockedScenario = R"(title: t
topic: t
summary: t
actors: server client

server  sleep(1)                = blocked
client  sleep(1)                = 0
server  sleep(1)                = blocked &
client  sleep(1)                = blocked
)";

TEST(EventBuilder, BlockedIsMetOnlyWhenTheNextStepStartsFirst)
{
    // Still in the kernel when step 1 starts: met, at step 1's start.
    EXPECT_EQ(checks(kBlockedScenario,
                     {{{'s', 0, 100}, {'e', 0, 101}, {'s', 1, 200}, {'e', 1, 201}, {'r', 1, 210}}, {{'r', 0, 300}}}),
              (std::vector<std::string>{"@200 check 0 ok blocked", "@210 check 1 ok 0"}));
    // Returned before step 1 started (even if the scheduler had thought it blocked): not met.
    EXPECT_EQ(checks(kBlockedScenario, {{{'s', 0, 100}, {'e', 0, 101}, {'r', 0, 150}, {'s', 1, 200}}}),
              (std::vector<std::string>{"@150 check 0 FAIL returned 0"}));
}

TEST(EventBuilder, BlockedCallMeetsNoOtherExpectation)
{
    // A call still in the kernel at the end of its batch is judged by its return, however late it comes.
    EXPECT_EQ(checks(kBlockedScenario, {{{'s', 1, 100}, {'e', 1, 101}, {'s', 2, 200}}, {{'r', 1, 300, -1, 104}}}),
              (std::vector<std::string>{"@300 check 1 FAIL -1 ECONNRESET"}));
}

TEST(EventBuilder, BlockedInAGroupWaitsForTheNextGroup)
{
    // Step 3 is released with step 2: its start does not meet step 2's `= blocked`, and with no later step the
    // call of the group still in the kernel when the run ends is the one blocked.
    EXPECT_EQ(checks(kBlockedScenario, {{{'s', 2, 100}, {'e', 2, 101}, {'s', 3, 102}, {'e', 3, 103}, {'r', 2, 110}}}),
              (std::vector<std::string>{"@110 check 2 FAIL returned 0", "@110 check 3 ok blocked"}));
    EXPECT_EQ(checks(kBlockedScenario,
                     {{{'s', 2, 100}, {'e', 2, 101}, {'s', 3, 102}, {'e', 3, 103}, {'r', 3, 105}, {'r', 2, 110}}}),
              (std::vector<std::string>{"@105 check 3 FAIL returned 0", "@110 check 2 FAIL returned 0"}));
}

// --- shared descriptors (issue 12 item 4) ----------------------------------------------------------------------

namespace {
// The hand-made handshake of build() in a scenario of its own: server.1 is ESTABLISHED on fd 5, cookie 9.
void handshake(EventBuilder &builder, const Scenario &sc)
{
    RawBatch b;
    auto call = [&](int step, std::int64_t id, std::int64_t t, int fd) { addCall(b, sc, step, id, t, fd); };
    call(0, 1, 100, -1);
    addExit(b, 1, 102, 3, -1, 3);
    call(1, 2, 200, 3);
    addExit(b, 2, 202, 0, 3);
    b.fds.push_back({203, 3, boundTo("127.0.0.1:5000")});
    call(2, 3, 300, 3);
    addExit(b, 3, 302, 0, 3);
    call(3, 4, 400, -1);
    addExit(b, 4, 402, 4, -1, 4);
    call(4, 5, 500, 4);
    addExit(b, 5, 540, 0, 4);
    b.fds.push_back({550, 4, connected("127.0.0.1:40000", "127.0.0.1:5000")});
    call(5, 6, 600, 3);
    CallExit &accepted = addExit(b, 6, 602, 5, 3, 5);
    accepted.newFdAfter = FdSnapshot{1, 9, "127.0.0.1:5000", "127.0.0.1:40000", 0, 0};
    accepted.snapNs = 603;
    builder.addBatch(std::move(b),
                     {segment(510, 40000, 5000, 0x02, 1000, 0), segment(520, 5000, 40000, 0x12, 5000, 1001),
                      segment(530, 40000, 5000, 0x10, 1001, 5001)});
}

// The derived changes of server.1 after the handshake, and the number of contradictions.
struct ServerClose
{
    std::vector<std::string> changes;
    int conflicts = 0;
};

// extra: the steps after the accept (steps 6...); batch: fills their records (ids from 7, times from 700).
template <typename Fill> ServerClose afterHandshake(const std::string &extra, Fill batch)
{
    const Scenario sc = parsed(std::string(kScenario) + extra, "shared.scn");
    ServerClose out;
    EventBuilder builder(sc, capturedRun(), [&](Event &&e) {
        const std::string line = render(e);
        if (line.find("state server.1 ") != std::string::npos && line.find("kernel") == std::string::npos &&
            line.find("SYN_RECEIVED") == std::string::npos && line.find("LISTEN") == std::string::npos)
            out.changes.push_back(line.substr(line.find('@')));
    });
    handshake(builder, sc);
    RawBatch b;
    batch(b, sc);
    builder.addBatch(std::move(b), {});
    out.conflicts = builder.conflicts();
    return out;
}

DiagRecord serverEstablished(std::int64_t t)
{
    return {t, t + 10, {diag(TcpState::Established, 1, 9, "127.0.0.1:5000", "127.0.0.1:40000")}};
}
} // namespace

// close() of one of two descriptors changes nothing; the last one's close() is the socket's close.
TEST(EventBuilderShared, CloseOfADupedDescriptorKeepsTheSocket)
{
    const ServerClose r =
        afterHandshake("server B = dup(A)\nserver close(A)\nserver close(B)\n", [](RawBatch &b, const Scenario &sc) {
            addCall(b, sc, 6, 7, 700, 5);
            addExit(b, 7, 702, 6, 5, 6);
            addCall(b, sc, 7, 8, 800, 5);
            addExit(b, 8, 802, 0, 5);
            b.diags.push_back(serverEstablished(850)); // still ESTABLISHED
            addCall(b, sc, 8, 9, 900, 6);
            addExit(b, 9, 902, 0, 6);
        });
    EXPECT_EQ(r.changes, (std::vector<std::string>{"@901 state server.1 ESTABLISHED>FIN_WAIT_1 cause=50"}));
    EXPECT_EQ(r.conflicts, 0);
}

// Another thread's close() while a recv() holds the socket: released only when the recv() returns.
TEST(EventBuilderShared, CloseWhileAnotherThreadsCallHoldsTheSocket)
{
    const ServerClose r = afterHandshake("server share(A, client)\nserver recv(A, 100)\nclient close(A)\n",
                                         [](RawBatch &b, const Scenario &sc) {
                                             b.steps.push_back({700, 6});
                                             addCall(b, sc, 7, 7, 710, 5); // recv blocks
                                             addCall(b, sc, 8, 8, 800, 5);
                                             addExit(b, 8, 802, 0, 5);
                                             b.diags.push_back(serverEstablished(850));
                                             addExit(b, 7, 950, 4, 5); // the recv returns: the release
                                         });
    ASSERT_EQ(r.changes.size(), 1u);
    EXPECT_EQ(r.changes[0].substr(0, 40), "@950 state server.1 ESTABLISHED>FIN_WAIT");
    EXPECT_EQ(r.conflicts, 0);
}
