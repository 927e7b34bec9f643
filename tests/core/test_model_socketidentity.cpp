// SPDX-License-Identifier: GPL-3.0-or-later
// SocketIdentity, table-driven with hand-written expectations: stable names, the 4-tuple index when a tuple
// is reused, cookies that follow a socket after its tuple moved on, the accept queue, listener lookup and the
// matching of a segment's endpoint to a later fd snapshot.
#include "core/model/socketidentity.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace sockscope::core;

namespace {

Step step(const std::string &actor, Call call, const std::string &assign, const std::string &sock = {})
{
    Step s;
    s.actor = actor;
    s.call = call;
    s.assign = assign;
    s.sock = sock;
    return s;
}

// A socket of the actor with its 4-tuple already known.
int added(SocketIdentity &ids, const std::string &actor, SocketRole role, const std::string &local,
          const std::string &remote)
{
    const int sock = ids.add(actor, role);
    ids.setTuple(sock, local, remote);
    return sock;
}

// server: L = socket; M = socket; listen(L); listen(L); listen(M). client: C = socket.
Scenario twoListeners()
{
    Scenario sc;
    sc.steps = {step("server", Call::Socket, "L"),     step("server", Call::Socket, "M"),
                step("server", Call::Listen, "", "L"), step("server", Call::Listen, "", "L"),
                step("server", Call::Listen, "", "M"), step("client", Call::Socket, "C")};
    for (int i = 0; i < static_cast<int>(sc.steps.size()); ++i)
        sc.steps[i].index = i;
    return sc;
}

TEST(SocketIdentity, RoleNamesAreTheStreamText)
{
    EXPECT_EQ(socketRoleName(SocketRole::Listen), "listen");
    EXPECT_EQ(socketRoleName(SocketRole::Accepted), "accepted");
    EXPECT_EQ(socketRoleName(SocketRole::Connect), "connect");
}

TEST(SocketIdentity, NamesComeFromRoleAndActor)
{
    Scenario sc = twoListeners();
    SocketIdentity ids(sc);
    struct Row
    {
        int sock;
        std::string name;
        SocketRole role;
    };
    const int l = ids.addCreated(sc.steps[0], 3);
    const int m = ids.addCreated(sc.steps[1], 4);
    const int c1 = ids.addCreated(sc.steps[5], 3);
    const int c2 = ids.addCreated(sc.steps[5], 5); // the same step run again: a second client socket
    const int a1 = ids.add("server", SocketRole::Accepted);
    const int a2 = ids.add("server", SocketRole::Accepted);
    const std::vector<Row> rows = {
        {l, "server.listen", SocketRole::Listen}, {m, "server.listen2", SocketRole::Listen},
        {c1, "client.1", SocketRole::Connect},    {c2, "client.2", SocketRole::Connect},
        {a1, "server.1", SocketRole::Accepted},   {a2, "server.2", SocketRole::Accepted},
    };
    for (const auto &r : rows) {
        EXPECT_EQ(ids.at(r.sock).name, r.name);
        EXPECT_EQ(ids.name(r.sock), r.name);
        EXPECT_EQ(socketRoleName(ids.at(r.sock).role), socketRoleName(r.role)) << r.name;
    }
    EXPECT_EQ(ids.name(-1), "");
    EXPECT_EQ(ids.at(l).actor, "server");
    EXPECT_EQ(ids.at(c1).actor, "client");
}

TEST(SocketIdentity, FdsNameTheirSocketUntilClosed)
{
    Scenario sc = twoListeners();
    SocketIdentity ids(sc);
    int c = ids.addCreated(sc.steps[5], 7);
    EXPECT_EQ(ids.byFd(7), c);
    EXPECT_EQ(ids.at(c).fd, 7);
    EXPECT_EQ(ids.byFd(8), -1);
    EXPECT_EQ(ids.byFd(-1), -1);
    ids.detachFd(c, 7);
    EXPECT_EQ(ids.byFd(7), -1);
    EXPECT_EQ(ids.at(c).fd, -1);
    int d = ids.addCreated(sc.steps[5], 7); // the kernel hands out the lowest free fd again
    EXPECT_EQ(ids.byFd(7), d);
}

TEST(SocketIdentity, NewestSocketOwnsAReusedTuple)
{
    SocketIdentity ids(Scenario{});
    const std::string local = "127.0.0.1:40000", remote = "127.0.0.1:5000";
    int oldConn = added(ids, "client", SocketRole::Connect, local, remote);
    EXPECT_EQ(ids.byTuple(local, remote), oldConn);
    EXPECT_EQ(ids.byTuple(remote, local), -1); // a tuple has a direction
    int newConn = added(ids, "client", SocketRole::Connect, local, remote);
    EXPECT_EQ(ids.byTuple(local, remote), newConn);
    EXPECT_EQ(ids.at(oldConn).local, local); // the old one keeps its addresses
    // Moving the old socket elsewhere must not free the tuple the new one owns...
    ids.setTuple(oldConn, "127.0.0.1:40001", remote);
    EXPECT_EQ(ids.byTuple(local, remote), newConn);
    // ...while moving the owner frees it.
    ids.setTuple(newConn, "127.0.0.1:40002", remote);
    EXPECT_EQ(ids.byTuple(local, remote), -1);
    EXPECT_EQ(ids.byTuple("127.0.0.1:40001", remote), oldConn);
}

TEST(SocketIdentity, LearnTakesRealAddressesOnly)
{
    struct Row
    {
        std::string name;
        std::string knownLocal, knownRemote;
        std::string snapLocal, snapRemote;
        bool changed;
        std::string local, remote;
    };
    const std::vector<Row> rows = {
        {"NothingKnownYet", "", "", "", "", false, "", ""},
        {"UnboundStaysUnknown", "", "", "0.0.0.0:0", "[::]:0", false, "", ""},
        {"BindLearnsLocal", "", "", "127.0.0.1:5000", "", true, "127.0.0.1:5000", ""},
        {"ConnectLearnsBoth", "", "", "127.0.0.1:40000", "127.0.0.1:5000", true, "127.0.0.1:40000", "127.0.0.1:5000"},
        {"SameIsNoChange", "127.0.0.1:40000", "127.0.0.1:5000", "127.0.0.1:40000", "127.0.0.1:5000", false,
         "127.0.0.1:40000", "127.0.0.1:5000"},
        // A refused connect() leaves 0.0.0.0:PORT; the address the socket used stays.
        {"RefusedConnectKeepsHost", "127.0.0.1:40000", "127.0.0.1:5000", "0.0.0.0:40000", "", false, "127.0.0.1:40000",
         "127.0.0.1:5000"},
        {"RefusedConnectKeepsHostV6", "[::1]:40000", "", "[::]:40000", "", false, "[::1]:40000", ""},
        {"WildcardOfAnotherPortIsNew", "127.0.0.1:40000", "", "0.0.0.0:5000", "", true, "0.0.0.0:5000", ""},
        {"PeerLearnedLater", "127.0.0.1:40000", "", "127.0.0.1:40000", "127.0.0.1:5000", true, "127.0.0.1:40000",
         "127.0.0.1:5000"},
        {"LostPeerIsKept", "127.0.0.1:40000", "127.0.0.1:5000", "127.0.0.1:40000", "", false, "127.0.0.1:40000",
         "127.0.0.1:5000"},
    };
    for (const auto &r : rows) {
        SocketIdentity ids(Scenario{});
        int s = ids.add("client", SocketRole::Connect);
        if (!r.knownLocal.empty() || !r.knownRemote.empty())
            ids.setTuple(s, r.knownLocal, r.knownRemote);
        EXPECT_EQ(ids.learn(s, FdSnapshot{1, 0, r.snapLocal, r.snapRemote, 0, 0}), r.changed) << r.name;
        EXPECT_EQ(ids.at(s).local, r.local) << r.name;
        EXPECT_EQ(ids.at(s).remote, r.remote) << r.name;
        if (r.changed)
            EXPECT_EQ(ids.byTuple(r.local, r.remote), s) << r.name;
    }
}

TEST(SocketIdentity, LearnKeepsAKnownCookie)
{
    SocketIdentity ids(Scenario{});
    int s = ids.add("client", SocketRole::Connect);
    ids.learn(s, FdSnapshot{1, 42, "", "", 0, 0});
    EXPECT_EQ(ids.at(s).cookie, 42u);
    ids.learn(s, FdSnapshot{1, 0, "", "", 0, 0}); // TCP_INFO without SO_COOKIE
    EXPECT_EQ(ids.at(s).cookie, 42u);
}

TEST(SocketIdentity, DiagEntriesFollowTheCookieFirst)
{
    SocketIdentity ids(Scenario{});
    const std::string local = "127.0.0.1:5000", remote = "127.0.0.1:40000";
    int listener = added(ids, "server", SocketRole::Listen, "0.0.0.0:5000", "");
    // Bound to the same address, not listening.
    int bound = added(ids, "server", SocketRole::Connect, "0.0.0.0:5000", "127.0.0.1:6000");
    int timeWait = added(ids, "server", SocketRole::Accepted, local, remote);
    ids.setCookie(timeWait, 77);
    int reuse = added(ids, "server", SocketRole::Accepted, local, remote); // a new connection on the same 4-tuple
    struct Row
    {
        std::string name;
        DiagSocket entry;
        int sock;
    };
    auto diag = [](TcpState st, std::uint64_t cookie, std::string l, std::string r) {
        DiagSocket d;
        d.state = st;
        d.cookie = cookie;
        d.local = std::move(l);
        d.remote = std::move(r);
        return d;
    };
    const std::vector<Row> rows = {
        {"CookieFindsTheOldOwner", diag(TcpState::TimeWait, 77, local, remote), timeWait},
        {"NoCookieFallsBackToTheTuple", diag(TcpState::Established, 0, local, remote), reuse},
        {"UnknownCookieFallsBackToTheTuple", diag(TcpState::Established, 99, local, remote), reuse},
        {"ListenerByAddress", diag(TcpState::Listen, 0, "0.0.0.0:5000", "0.0.0.0:0"), listener},
        {"ForeignSocket", diag(TcpState::Established, 0, "127.0.0.1:22", "127.0.0.1:50000"), -1},
        {"ForeignListener", diag(TcpState::Listen, 0, "0.0.0.0:22", "0.0.0.0:0"), -1},
    };
    for (const auto &r : rows)
        EXPECT_EQ(ids.forDiag(r.entry), r.sock) << r.name;
}

TEST(SocketIdentity, DiagEntryWithAnotherCookieIsNotTheTuplesOwner)
{
    // A dump that lists a new connection on the 4-tuple of one in TIME_WAIT before the model met it: the
    // entry's cookie says it is not the old socket.
    SocketIdentity ids(Scenario{});
    int timeWait = ids.add("server", SocketRole::Accepted);
    ids.setTuple(timeWait, "127.0.0.1:5000", "127.0.0.1:6000");
    ids.setCookie(timeWait, 77);
    DiagSocket d;
    d.state = TcpState::Established;
    d.local = "127.0.0.1:5000";
    d.remote = "127.0.0.1:6000";
    d.cookie = 99;
    EXPECT_EQ(ids.forDiag(d), -1);
    d.cookie = 0; // no cookie: the tuple is all there is
    EXPECT_EQ(ids.forDiag(d), timeWait);
}

// By cookie, the newest socket that has it wins, and a socket given another cookie later no longer answers to
// its old one (an older socket that still has it does).
TEST(SocketIdentity, DiagCookieLookupFollowsTheNewestHolder)
{
    SocketIdentity ids(Scenario{});
    const int older = ids.add("server", SocketRole::Accepted);
    const int newer = ids.add("server", SocketRole::Accepted);
    ids.setCookie(older, 5);
    ids.setCookie(newer, 5);
    DiagSocket d;
    d.state = TcpState::Established;
    d.cookie = 5;
    EXPECT_EQ(ids.forDiag(d), newer);
    ids.setCookie(newer, 6);
    EXPECT_EQ(ids.forDiag(d), older);
    d.cookie = 6;
    EXPECT_EQ(ids.forDiag(d), newer);
    ids.setCookie(older, 7);
    d.cookie = 5;
    EXPECT_EQ(ids.forDiag(d), -1);
}

TEST(SocketIdentity, ALingeringCloseLeavesItsFdNumberToTheNextOwner)
{
    // close(5) lingers; accept() meanwhile gets 5 for another socket; then the close returns.
    SocketIdentity ids(Scenario{});
    int closing = ids.add("peer", SocketRole::Connect);
    ids.attachFd(closing, 5);
    int accepted = ids.add("server", SocketRole::Accepted);
    ids.attachFd(accepted, 5);
    ids.detachFd(closing, 5);
    EXPECT_EQ(ids.byFd(5), accepted);
    EXPECT_EQ(ids.at(accepted).fd, 5);
    EXPECT_EQ(ids.at(closing).fd, -1);
    ids.detachFd(accepted, 5);
    EXPECT_EQ(ids.byFd(5), -1);
}

TEST(SocketIdentity, ListenerForADestination)
{
    SocketIdentity ids(Scenario{});
    int any4 = added(ids, "server", SocketRole::Listen, "0.0.0.0:5000", "");
    int lo2 = added(ids, "server", SocketRole::Listen, "127.0.0.2:6000", "");
    int any6 = added(ids, "server", SocketRole::Listen, "[::]:7000", "");
    int closed = added(ids, "server", SocketRole::Listen, "0.0.0.0:8000", "");
    int newer = added(ids, "server", SocketRole::Listen, "127.0.0.1:5000", "");
    auto listening = [&](int sock) { return sock != closed; };
    struct Row
    {
        std::string dst;
        int sock;
    };
    const std::vector<Row> rows = {
        {"127.0.0.1:5000", newer},                                                  // newest first
        {"127.0.0.3:5000", any4},  {"127.0.0.2:6000", lo2}, {"127.0.0.1:6000", -1}, // host must match
        {"[::1]:7000", any6},      {"127.0.0.1:8000", -1},                          // no longer listening
        {"127.0.0.1:9000", -1},
    };
    for (const auto &r : rows)
        EXPECT_EQ(ids.listenerFor(r.dst, listening), r.sock) << r.dst;
}

TEST(SocketIdentity, AcceptHandsOutQueuedChildren)
{
    SocketIdentity ids(Scenario{});
    int first = added(ids, "server", SocketRole::Accepted, "127.0.0.1:5000", "127.0.0.1:40000");
    int second = added(ids, "server", SocketRole::Accepted, "127.0.0.1:5000", "127.0.0.1:40001");
    int other = added(ids, "relay", SocketRole::Accepted, "127.0.0.1:5000", "127.0.0.1:40002");
    auto after = [](std::string local, std::string remote) { return FdSnapshot{1, 0, local, remote, 0, 0}; };
    EXPECT_EQ(ids.acceptedChild("server", after("127.0.0.1:5000", "127.0.0.1:40001")), second);
    EXPECT_EQ(ids.acceptedChild("server", after("127.0.0.1:5000", "127.0.0.1:49999")), -1); // never seen arriving
    // Reset in the queue: no peer name any more, so the oldest never-accepted child of the actor.
    EXPECT_EQ(ids.acceptedChild("server", after("127.0.0.1:5000", "")), first);
    ids.attachFd(first, 4);
    EXPECT_EQ(ids.acceptedChild("server", after("127.0.0.1:5000", "")), second);
    ids.setCookie(second, 5); // already seen through its fd
    EXPECT_EQ(ids.acceptedChild("server", after("127.0.0.1:5000", "0.0.0.0:0")), -1);
    EXPECT_EQ(ids.acceptedChild("relay", after("127.0.0.1:5000", "")), other);
    // A tuple whose socket already has an fd belongs to an older connection: the child is a new socket.
    EXPECT_EQ(ids.acceptedChild("server", after("127.0.0.1:5000", "127.0.0.1:40000")), -1);
}

TEST(SocketIdentity, SegmentEndpointMatchesALaterSnapshot)
{
    Scenario sc = twoListeners();
    SocketIdentity ids(sc);
    int listener = ids.addCreated(sc.steps[0], 3);
    ids.setTuple(listener, "127.0.0.1:5000", "");
    int connecting = ids.addCreated(sc.steps[5], 4);
    ids.setTuple(connecting, "", "127.0.0.1:5000"); // the peer from connect()'s own argument
    int boundOnly = ids.addCreated(sc.steps[5], 5);
    const std::string local = "127.0.0.1:40000", remote = "127.0.0.1:5000";
    struct Row
    {
        std::string name;
        int fd;
        std::string snapLocal, snapRemote;
        int sock;
    };
    const std::vector<Row> rows = {
        {"ConnectingSocket", 4, local, "", connecting},
        {"ConnectingSocketWithPeer", 4, local, remote, connecting},
        {"RefusedConnectWildcardHost", 4, "0.0.0.0:40000", "", connecting},
        {"WildcardPortZeroIsNoMatch", 4, "0.0.0.0:0", "", -1},
        {"OtherLocalPort", 4, "127.0.0.1:40001", "", -1},
        {"OtherPeer", 4, local, "127.0.0.1:6000", -1},
        {"BoundButPeerUnknown", 5, local, "", -1}, // the kernel answering for a port nobody listens on
        {"BoundWithThatPeer", 5, local, remote, boundOnly},
        {"ListenerNeverSends", 3, local, remote, -1},
        {"UnknownFd", 9, local, remote, -1},
        {"NoFd", -1, local, remote, -1},
    };
    for (const auto &r : rows)
        EXPECT_EQ(ids.matchSnapshot(local, remote, r.fd, FdSnapshot{1, 0, r.snapLocal, r.snapRemote, 0, 0}), r.sock)
            << r.name;
}

} // namespace

namespace {

// listen() on a variable a connect() came first on fails (EINVAL): that socket is no listener, by name or role.
TEST(SocketIdentity, ListenAfterConnectNamesNoListener)
{
    Scenario sc;
    sc.steps = {step("server", Call::Socket, "L"),     step("server", Call::Listen, "", "L"),
                step("client", Call::Socket, "C"),     step("client", Call::Connect, "", "C"),
                step("client", Call::Listen, "", "C"), step("server", Call::Connect, "", "L"),
                step("server", Call::Listen, "", "L")};
    for (int i = 0; i < static_cast<int>(sc.steps.size()); ++i)
        sc.steps[i].index = i;
    SocketIdentity ids(sc);
    const int l = ids.addCreated(sc.steps[0], 3);
    const int c = ids.addCreated(sc.steps[2], 4);
    EXPECT_EQ(ids.at(l).name, "server.listen"); // it listened before it connected
    EXPECT_EQ(ids.at(l).role, SocketRole::Listen);
    EXPECT_EQ(ids.at(c).name, "client.1");
    EXPECT_EQ(ids.at(c).role, SocketRole::Connect);
}

// A listener shut down may connect: its segments match its later snapshot like any other socket's.
TEST(SocketIdentity, AListenerThatConnectsMatchesItsSnapshot)
{
    Scenario sc = twoListeners();
    SocketIdentity ids(sc);
    const int l = ids.addCreated(sc.steps[0], 3);
    ids.setTuple(l, "127.0.0.1:5000", "127.0.0.1:5000");
    EXPECT_EQ(ids.matchSnapshot("127.0.0.1:5000", "127.0.0.1:5000", 3, FdSnapshot{1, 0, "127.0.0.1:5000", "", 0, 0}),
              l);
    const int m = ids.addCreated(sc.steps[1], 4);
    ids.learn(m, FdSnapshot{10, 0, "127.0.0.1:6000", "", 0, 0});
    EXPECT_EQ(ids.matchSnapshot("127.0.0.1:6000", "127.0.0.1:40000", 4, FdSnapshot{10, 0, "127.0.0.1:6000", "", 0, 0}),
              -1)
        << "a listener that never connected did not send it";
}

} // namespace
