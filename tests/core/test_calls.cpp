// SPDX-License-Identifier: GPL-3.0-or-later
// The calls of issue 12 on the real kernel: getsockname/getpeername, wildcard and ephemeral bind, accept4,
// select, zero-length send, MSG_TRUNC/MSG_WAITALL/MSG_OOB, sendmsg/recvmsg, connect(AF_UNSPEC), the SIGPIPE
// dispositions. Every expectation holds, no kernel snapshot contradicts the derived states, and the derived path of a
// dissolved socket is what tcp_disconnect does.
#include "testsupport.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace sockscope;
using namespace sockscope::core;

namespace {

constexpr char kHeader[] = "title: t\ntopic: t\nsummary: s\nactors: server client\n\n";

Scenario parsed(const std::string &steps)
{
    ParseResult r = parseScenario(std::string(kHeader) + steps, "calls.scn");
    if (!r.scenario)
        throw std::runtime_error(r.errors.front().format());
    return *r.scenario;
}

// Runs the scenario and fails the test on any unmet expectation or contradiction; returns the events.
struct BadLine
{
    std::string line;
    int column;
    std::string message;
};

// Each line, after the two setup lines (so on line 8), is exactly one error with this column and message.
void expectErrors(const std::string &setup, std::initializer_list<BadLine> bad)
{
    for (const auto &b : bad) {
        ParseResult r = parseScenario(std::string(kHeader) + setup + b.line, "bad.scn");
        ASSERT_EQ(r.errors.size(), 1u) << b.line;
        EXPECT_EQ(r.errors[0].line, 8) << b.line;
        EXPECT_EQ(r.errors[0].column, b.column) << b.line << ": " << r.errors[0].message;
        EXPECT_NE(r.errors[0].message.find(b.message), std::string::npos) << b.line << ": " << r.errors[0].message;
    }
}

std::vector<Event> runChecked(const Scenario &scenario)
{
    auto events = test::runScenario(scenario);
    int checks = 0;
    for (const auto &e : events) {
        if (const auto *c = e.as<CheckInfo>()) {
            ++checks;
            EXPECT_TRUE(c->ok) << "step " << c->step + 1 << " (" << scenario.steps[c->step].text << "): expected "
                               << c->expected << ", got " << c->got;
        }
        if (const auto *s = e.as<StateInfo>())
            EXPECT_FALSE(s->conflict) << "kernel says " << stateName(s->to) << " for " << s->sock << ", derived "
                                      << stateName(s->derived);
    }
    EXPECT_GT(checks, 0);
    return events;
}

std::vector<TcpState> derivedPath(const std::vector<Event> &events, const std::string &sock)
{
    std::vector<TcpState> path;
    for (const auto &e : events)
        if (const auto *s = e.as<StateInfo>(); s && s->sock == sock && s->source == StateSource::Derived) {
            if (path.empty())
                path.push_back(s->from);
            path.push_back(s->to);
        }
    return path;
}

const char kNames[] = R"(server  L = socket(v4)
server  setsockopt(L, SO_REUSEADDR, 1)     = 0
server  bind(L, 0.0.0.0:5000)              = 0
server  getsockname(L)                     = 0 [0.0.0.0:5000]
server  getpeername(L)                     = -1 ENOTCONN
server  listen(L, 8)                       = 0
client  C = socket(v4)
client  bind(C, 127.0.0.1:0)               = 0
client  getsockname(C)                     = 0
client  connect(C, 127.0.0.1:5000)         = 0
server  A = accept4(L, SOCK_NONBLOCK|SOCK_CLOEXEC) = fd
server  getsockname(A)                     = 0 [127.0.0.1:5000]
client  getpeername(C)                     = 0 [127.0.0.1:5000]
server  recv(A, 10)                        = -1 EAGAIN
server  select(A, READ, 0)                 = 0
client  send(C, 0)                         = 0
client  send(C, "hello world")             = 11
server  select(A, READ|WRITE, 1000)        = 2 [READ WRITE]
server  recv(A, 5, MSG_TRUNC)              = 5 []
server  recv(A, 6, MSG_WAITALL)            = 6 [world]
server  close(A)                           = 0
client  close(C)                           = 0
server  close(L)                           = 0
)";

} // namespace

TEST(Calls, NamesWildcardEphemeralAccept4SelectAndRecvFlags)
{
    auto events = runChecked(parsed(kNames));
    // bind() to port 0 gave the client a real ephemeral port, and getsockname() shows it.
    std::string name;
    std::int64_t nameId = -1;
    for (const auto &e : events) {
        if (const auto *s = e.as<SyscallInfo>(); s && s->call == "getsockname" && s->actor == "client")
            nameId = s->id;
        if (const auto *r = e.as<ReturnInfo>(); r && r->id == nameId && r->data)
            name = *r->data;
    }
    EXPECT_TRUE(name.starts_with("127.0.0.1:")) << name;
    EXPECT_NE(name, "127.0.0.1:0");
    // A zero-length send puts no segment on the wire: the only data segment is the 11 bytes.
    int dataSegments = 0;
    for (const auto &e : events)
        if (const auto *p = e.as<PacketInfo>(); p && p->len > 0) {
            ++dataSegments;
            EXPECT_EQ(p->len, 11);
        }
    EXPECT_EQ(dataSegments, 1);
}

TEST(Calls, ParserAcceptsTheNewFormsAndRefusesWhatStaysOut)
{
    Scenario s = parsed(kNames);
    EXPECT_EQ(s.steps[2].addr.ip, "0.0.0.0");
    EXPECT_EQ(s.steps[7].addr.port, 0);
    EXPECT_EQ(s.steps[10].call, Call::Accept4);
    EXPECT_EQ(s.steps[15].number, 0);
    expectErrors(
        "server L = socket(v4)\nclient C = socket(v4)\n",
        {
            {"client connect(C, 0.0.0.0:5000)", 19, "only loopback addresses are allowed"},
            {"client bind(C, 10.0.0.1:80)", 16, "bind() takes 127.x.y.z:PORT, [::1]:PORT, 0.0.0.0:PORT or [::]:PORT"},
            {"client bind(C, 0.1.2.3:80)", 16, "bind() takes 127.x.y.z:PORT, [::1]:PORT, 0.0.0.0:PORT or [::]:PORT"},
            {"client connect(C, AF_INET)", 19, "only loopback addresses are allowed"},
            {"client bind(C, AF_UNSPEC)", 16, "bind() takes 127.x.y.z:PORT, [::1]:PORT, 0.0.0.0:PORT or [::]:PORT"},
            {"client A = accept4(C, O_NONBLOCK)", 23,
             "expected a flag (SOCK_NONBLOCK or SOCK_CLOEXEC), found 'O_NONBLOCK'"},
            {"client A = accept4(C, SOCK_CLOEXEC|SOCK_CLOEXEC)", 36, "flag SOCK_CLOEXEC is given twice"},
            {"client select(C, READABLE, 0)", 18, "expected a descriptor set (READ, WRITE or EXCEPT)"},
            {"client select(C, READ)", 22, "expected ',' after the sets"},
            {"client getsockname(C, 1)", 21, "expected ')' after the socket variable"},
            {"client recv(C, 1, MSG_MORE)", 19,
             "expected a flag (MSG_DONTWAIT, MSG_PEEK, MSG_WAITALL, MSG_TRUNC or MSG_OOB)"},
            {"client X = getpeername(C)", 8, "only socket() and accept() can be assigned"},
            {"client getpeername(L)", 20, "belongs to actor 'server'"},
        });
}

// A client connected to the server and accepted there: A on the server, C on the client.
constexpr char kAccepted[] = "server  L = socket(v4)\n"
                             "server  bind(L, 127.0.0.1:5000)            = 0\n"
                             "server  listen(L, 8)                       = 0\n"
                             "client  C = socket(v4)\n"
                             "client  connect(C, 127.0.0.1:5000)         = 0\n"
                             "server  A = accept(L)                      = fd\n";

// connect(AF_UNSPEC) on an established socket: tcp_disconnect sends a RST (not a FIN), the socket is CLOSED
// and connects again; the peer's next recv() fails with ECONNRESET.
TEST(Calls, ConnectAfUnspecDissolvesAndReconnects)
{
    auto events = runChecked(parsed(std::string(kAccepted) + R"(client  connect(C, AF_UNSPEC)              = 0
client  getpeername(C)                     = -1 ENOTCONN
server  recv(A, 10)                        = -1 ECONNRESET
client  connect(C, 127.0.0.1:5000)         = 0
client  getpeername(C)                     = 0 [127.0.0.1:5000]
server  B = accept(L)                      = fd
client  close(C)                           = 0
server  close(B)                           = 0
server  close(A)                           = 0
server  close(L)                           = 0
)"));
    int rsts = 0, fins = 0;
    bool rstBeforeSecondSyn = false;
    int syns = 0;
    for (const auto &e : events)
        if (const auto *p = e.as<PacketInfo>(); p && p->from == "client.1") {
            if (hasFlag(p->flags, SegmentFlag::Syn))
                ++syns;
            if (hasFlag(p->flags, SegmentFlag::Rst)) {
                ++rsts;
                rstBeforeSecondSyn = syns == 1;
            }
            if (hasFlag(p->flags, SegmentFlag::Fin) && syns == 1)
                ++fins;
        }
    EXPECT_EQ(rsts, 1);
    EXPECT_TRUE(rstBeforeSecondSyn);
    EXPECT_EQ(fins, 0) << "connect(AF_UNSPEC) must not send a FIN";
    EXPECT_EQ(syns, 2);
    auto path = derivedPath(events, "client.1");
    const std::vector<TcpState> reconnect{TcpState::Established, TcpState::Closed, TcpState::SynSent,
                                          TcpState::Established};
    EXPECT_NE(std::search(path.begin(), path.end(), reconnect.begin(), reconnect.end()), path.end());
}

// Urgent data: POLLPRI and select's EXCEPT set report it, recv(MSG_OOB) reads the one urgent byte, the
// rest of the stream stays in order.
TEST(Calls, UrgentByteIsReportedAsPriorityAndReadApart)
{
    runChecked(parsed(std::string(kAccepted) + R"(server  poll(A, POLLIN|POLLPRI, 0)         = 0
client  send(C, "abc!", MSG_OOB)           = 4
server  poll(A, POLLIN|POLLPRI, 1000)      = 1 [POLLIN POLLPRI]
server  select(A, READ|EXCEPT, 1000)       = 2 [READ EXCEPT]
server  recv(A, 1, MSG_OOB)                = 1 [!]
server  recv(A, 10)                        = 3 [abc]
server  recv(A, 1, MSG_OOB, MSG_DONTWAIT)  = -1 EINVAL
client  close(C)                           = 0
server  close(A)                           = 0
server  close(L)                           = 0
)"));
}

// sendmsg()/recvmsg() with one buffer do what send()/recv() do; what recvmsg() adds is the message's flags: the
// kernel marks the urgent byte read with MSG_OOB in msg_flags, and an ordinary read carries none.
TEST(Calls, SendmsgAndRecvmsgReportTheMessageFlags)
{
    runChecked(parsed(std::string(kAccepted) + R"(client  sendmsg(C, "abc!", MSG_OOB)        = 4
server  poll(A, POLLIN|POLLPRI, 1000)      = 1 [POLLIN POLLPRI]
server  recvmsg(A, 1, MSG_OOB)             = 1 [! msg_flags=MSG_OOB]
server  recvmsg(A, 10)                     = 3 [abc]
client  sendmsg(C, "done", MSG_NOSIGNAL)   = 4
server  recvmsg(A, 10, MSG_WAITALL, MSG_DONTWAIT) = 4 [done]
client  close(C)                           = 0
server  recvmsg(A, 10)                     = 0
server  close(A)                           = 0
server  close(L)                           = 0
)"));
}

// Persistent epoll instances: the edge-triggered one reports an arrival once, the level-triggered one while data
// is unread, the one-shot one once until MOD re-arms it (the built-in holds every expectation on the kernel).
TEST(Calls, EpollInstancesBehaveAsEventLoopsSeeThem)
{
    auto events = runChecked(test::loadBuiltin("epoll-edge-vs-level"));
    // epoll_wait(E, MS) acts on the instance, not on a socket: its event names no socket but carries the fd.
    int waits = 0;
    for (const auto &e : events)
        if (const auto *s = e.as<SyscallInfo>(); s && s->call == "epoll_wait") {
            ++waits;
            EXPECT_TRUE(s->sock.empty()) << s->sock;
            EXPECT_GE(s->fd, 0);
        }
    EXPECT_EQ(waits, 11);
}

TEST(Calls, EpollVariablesAreCheckedByKind)
{
    expectErrors("server A = socket(v4)\nserver E = epoll_create()\n",
                 {
                     {"server epoll_ctl(A, ADD, E, EPOLLIN)", 18, "A is a socket, not an epoll instance"},
                     {"server epoll_ctl(E, ADD, E, EPOLLIN)", 26,
                      "E is an epoll instance (from epoll_create on line 7), not a socket"},
                     {"server epoll_ctl(E, PUT, A, EPOLLIN)", 21,
                      "expected an epoll_ctl operation (ADD, MOD or DEL), found 'PUT'"},
                     {"server epoll_ctl(E, DEL, A, EPOLLIN)", 27,
                      "expected ')' after the socket variable (DEL takes no events)"},
                     {"server epoll_ctl(E, ADD, A)", 27, "expected ',' after the socket variable"},
                     {"server epoll_ctl(E, ADD, A, POLLIN)", 29,
                      "expected an event (EPOLLIN, EPOLLPRI, EPOLLOUT, EPOLLRDHUP, EPOLLET or EPOLLONESHOT)"},
                     {"server epoll_wait(E, EPOLLIN, 10)", 22, "the timeout in ms"},
                     {"server recv(E, 10)", 13, "E is an epoll instance"},
                     {"server poll(E, POLLIN, 0)", 13, "E is an epoll instance"},
                     {"server E = epoll_create()", 8, "E is still open"},
                     {"server epoll_create()", 8, "expected a variable to assign the new socket to"},
                     {"server X = epoll_create(1)", 25, "expected ')' after 'epoll_create(': it takes no arguments"},
                     {"client epoll_wait(E, 0)", 19, "belongs to actor 'server'"},
                 });
    // close() takes either kind, and the old one-socket epoll_wait form stays.
    ParseResult ok = parseScenario(std::string(kHeader) + "server A = socket(v4)\nserver E = epoll_create()\n" +
                                       "server epoll_wait(A, EPOLLIN|EPOLLET, 0)\nserver close(E)\nserver close(A)\n",
                                   "ok.scn");
    ASSERT_TRUE(ok.scenario) << ok.errors.front().format();
    EXPECT_EQ(ok.scenario->steps[2].sock, "A");
    EXPECT_TRUE(ok.scenario->steps[2].epoll.empty());
}

// The options of issue 12 are set and read back as the kernel keeps them; SO_RCVTIMEO ends a blocking recv()
// with EAGAIN; SO_REUSEPORT lets two listeners share a port; TCP_INFO reports the kernel's state.
TEST(Calls, OptionsReachTheKernel)
{
    auto events = runChecked(parsed(R"(server  L = socket(v4)
server  setsockopt(L, SO_REUSEPORT, 1)     = 0
server  bind(L, 127.0.0.1:5000)            = 0
server  listen(L, 8)                       = 0
server  M = socket(v4)
server  setsockopt(M, SO_REUSEPORT, 1)     = 0
server  bind(M, 127.0.0.1:5000)            = 0
server  getsockopt(M, SO_REUSEPORT)        = 0 [1]
server  setsockopt(L, TCP_DEFER_ACCEPT, 1) = 0
server  getsockopt(L, TCP_DEFER_ACCEPT)    = 0
client  C = socket(v4)
client  setsockopt(C, SO_KEEPALIVE, 1)     = 0
client  setsockopt(C, TCP_KEEPIDLE, 5)     = 0
client  setsockopt(C, TCP_KEEPINTVL, 2)    = 0
client  setsockopt(C, TCP_KEEPCNT, 3)      = 0
client  setsockopt(C, TCP_USER_TIMEOUT, 1500) = 0
client  setsockopt(C, SO_RCVTIMEO, 300)    = 0
client  setsockopt(C, SO_SNDTIMEO, 400)    = 0
client  getsockopt(C, SO_KEEPALIVE)        = 0 [1]
client  getsockopt(C, TCP_KEEPIDLE)        = 0 [5]
client  getsockopt(C, TCP_KEEPINTVL)       = 0 [2]
client  getsockopt(C, TCP_KEEPCNT)         = 0 [3]
client  getsockopt(C, TCP_USER_TIMEOUT)    = 0 [1500]
client  getsockopt(C, SO_RCVTIMEO)         = 0 [300]
client  getsockopt(C, SO_SNDTIMEO)         = 0 [400]
client  getsockopt(C, TCP_INFO, state)     = 0 [state=CLOSED]
client  connect(C, 127.0.0.1:5000)         = 0
client  getsockopt(C, TCP_INFO, state, retransmits, unacked) = 0 [state=ESTABLISHED retransmits=0 unacked=0]
client  recv(C, 10)                        = -1 EAGAIN
client  setsockopt(C, TCP_CORK, 1)         = 0
client  getsockopt(C, TCP_CORK)            = 0 [1]
client  send(C, "abc", MSG_MORE)           = 3
client  setsockopt(C, TCP_QUICKACK, 1)     = 0
client  setsockopt(C, TCP_CORK, 0)         = 0
client  close(C)                           = 0
server  close(M)                           = 0
server  close(L)                           = 0
)"));
    // The named TCP_INFO fields only, in the order of the kernel structure.
    std::int64_t infoId = -1;
    std::string info;
    for (const auto &e : events) {
        if (const auto *s = e.as<SyscallInfo>(); s && s->call == "getsockopt")
            infoId = s->id;
        if (const auto *r = e.as<ReturnInfo>(); r && r->id == infoId && r->data && r->data->find("state=") == 0)
            info = *r->data;
    }
    EXPECT_EQ(info, "state=ESTABLISHED retransmits=0 unacked=0");
}

// --- dying processes and signals (issue 12 items 5, 6) ---------------------------------------------------------

namespace {
// The server's connection; the client has closed it, so the server's writes draw a RST, then EPIPE.
const std::string kPeerGone = std::string(kAccepted) + "client close(C) = 0\nserver send(A, \"hello\") = 5\n";

int signalsOf(const std::vector<Event> &events, const std::string &signal)
{
    return static_cast<int>(std::count_if(events.begin(), events.end(), [&](const Event &e) {
        const auto *s = e.as<SignalInfo>();
        return s && s->signal == signal;
    }));
}
} // namespace

// SIG_IGN: EPIPE and no signal; the actor goes on.
TEST(Calls, SigpipeIgnoredGivesEpipeAlone)
{
    const Scenario s = parsed(std::string("sigpipe: ignore\n") + kPeerGone + "server send(A, \"again\") = -1 EPIPE\n" +
                              "server close(A) = 0\nserver close(L) = 0\n");
    const auto events = runChecked(s);
    EXPECT_EQ(signalsOf(events, "SIGPIPE"), 0);
}

// SIG_DFL: the write's EPIPE, the signal, then the actor's exit with the fds the kernel closed; a later step of the
// actor is not run, and its expectation fails as such.
TEST(Calls, SigpipeDefaultEndsTheWriter)
{
    const Scenario s = parsed(std::string("sigpipe: server=default\n") + kPeerGone +
                              "server send(A, \"again\") = -1 EPIPE, SIGPIPE\nserver close(L) = 0\n");
    const auto events = test::runScenario(s);
    EXPECT_EQ(signalsOf(events, "SIGPIPE"), 1);
    std::string exitData, notRun, serverFds; // the server's socket() and accept() results, in that order
    for (size_t i = 0; i < events.size(); ++i) {
        const auto *c = events[i].as<SyscallInfo>();
        for (size_t j = i + 1; c && j < events.size(); ++j)
            if (const auto *r = events[j].as<ReturnInfo>(); r && r->id == c->id) {
                if (c->call == "exit")
                    exitData = r->data.value_or("?");
                if (c->actor == "server" && (c->call == "socket" || c->call == "accept"))
                    serverFds += (serverFds.empty() ? "" : " ") + std::to_string(r->ret);
                break;
            }
        if (const auto *c = events[i].as<CheckInfo>(); c && !c->ok)
            notRun = c->got;
    }
    EXPECT_EQ(exitData, serverFds); // L and A, in fd order
    EXPECT_EQ(notRun, "not run: server had died (SIGPIPE)");
}

// kill(): the victim's blocked recv() never returns (its `= blocked` is met), its descriptors are closed in fd
// order, each as close() would (RST for unread data, FIN otherwise), and its listener is gone.
TEST(Calls, KillEndsABlockedActor)
{
    const Scenario s = parsed("server L = socket(v4)\n"
                              "server setsockopt(L, SO_REUSEADDR, 1) = 0\n"
                              "server bind(L, 127.0.0.1:5000) = 0\n"
                              "server listen(L, 8) = 0\n"
                              "client C1 = socket(v4)\n"
                              "client connect(C1, 127.0.0.1:5000) = 0\n"
                              "server A1 = accept(L) = fd\n"
                              "client C2 = socket(v4)\n"
                              "client connect(C2, 127.0.0.1:5000) = 0\n"
                              "server A2 = accept(L) = fd\n"
                              "client send(C1, 10) = 10\n"
                              "server recv(A2, 100) = blocked\n"
                              "client kill(server) = 0\n"
                              "client recv(C1, 100) = -1 ECONNRESET\n"
                              "client recv(C2, 100) = 0\n"
                              "client C3 = socket(v4)\n"
                              "client connect(C3, 127.0.0.1:5000) = -1 ECONNREFUSED\n");
    const auto events = runChecked(s);
    EXPECT_EQ(signalsOf(events, "SIGKILL"), 1);
    std::int64_t recvId = -1;
    for (const auto &e : events)
        if (const auto *c = e.as<SyscallInfo>(); c && c->call == "recv" && c->actor == "server")
            recvId = c->id;
    for (const auto &e : events)
        if (const auto *r = e.as<ReturnInfo>())
            EXPECT_NE(r->id, recvId) << "the killed actor's recv() returned";
}
