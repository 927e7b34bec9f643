// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: who each of a run's sockets is: its stable name (server.listen, server.1, client.1), role, fd,
// addresses and cookie, and the lookups that find a socket from a 4-tuple, an fd, a cookie, a listening
// address, a queued accept() child or a later fd snapshot.
// Thread-safety: a plain value, used by the event builder's thread only.

#include "core/model/rawrecords.h"
#include "core/scenario/scenario.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sockscope::core {

enum class SocketRole
{
    Listen,   // the scenario calls listen() on its variable
    Accepted, // a passive-open child, handed out by accept()
    Connect,  // any other socket()
};

// The text the event stream carries: "listen", "accepted", "connect".
std::string_view socketRoleName(SocketRole role);

// The port of an endpoint's text ("127.0.0.1:5000", "[::1]:5000"): "5000".
std::string endpointPort(const std::string &endpoint);

struct SocketId
{
    std::string name;
    std::string actor;
    SocketRole role = SocketRole::Connect;
    int fd = -1; // -1 while not accepted yet, or closed
    std::string local, remote;
    std::uint64_t cookie = 0;
};

class SocketIdentity
{
public:
    // Listening sockets are named after their role up front: the scenario says which variable listens.
    explicit SocketIdentity(const Scenario &scenario);

    // A new socket; an empty name gives the actor's next "actor.N". Returns its index.
    int add(const std::string &actor, SocketRole role, const std::string &name = {});
    // The socket a successful socket() call of this step created, named and given its role by the scenario.
    int addCreated(const Step &step, int fd);
    int count() const { return static_cast<int>(m_socks.size()); }
    const SocketId &at(int sock) const { return m_socks[sock]; }
    std::string name(int sock) const { return sock < 0 ? std::string() : m_socks[sock].name; }

    void attachFd(int sock, int fd);
    // close(): the fd no longer names the socket. A socket dup()ed has several; SocketId::fd is then another one.
    void detachFd(int sock, int fd);
    int fdCount(int sock) const; // the descriptors that refer to the socket (dup() adds one)
    void setCookie(int sock, std::uint64_t cookie);
    // The newest socket with this 4-tuple owns it (a later connection may reuse the tuple).
    void setTuple(int sock, const std::string &local, const std::string &remote);
    // Takes the bound addresses and cookie from an fd snapshot; true when an address changed.
    bool learn(int sock, const FdSnapshot &snap);

    int byTuple(const std::string &local, const std::string &remote) const;
    int byFd(int fd) const;
    // The newest socket that listens (as the caller judges) on dst's port, on dst's host or a wildcard.
    int listenerFor(const std::string &dst, const std::function<bool(int)> &listening) const;
    // The child an accept() that returned with this snapshot hands out, or -1 when it must be a new socket
    // (never seen arriving, or the tuple belongs to a socket that already has an fd).
    int acceptedChild(const std::string &actor, const FdSnapshot &after) const;
    // The socket a sock_diag entry describes: by cookie, else by 4-tuple or, for a listener, its address.
    int forDiag(const DiagSocket &entry) const;
    // The socket whose later snapshot (fd, snap) shows it is the endpoint local -> remote of a segment.
    int matchSnapshot(const std::string &local, const std::string &remote, int fd, const FdSnapshot &snap) const;

private:
    std::vector<SocketId> m_socks;
    std::map<int, int> m_fdSock;                    // open fd -> sock
    std::unordered_map<std::string, int> m_byTuple; // "local|remote" -> newest sock with that 4-tuple
    // cookie -> newest sock given it; checked on lookup (a socket may be given another cookie later). Every
    // sock_diag entry of every dump is looked up by cookie: a scan made a long run's event building quadratic.
    std::unordered_map<std::uint64_t, int> m_byCookie;
    std::map<std::string, int> m_actorCount;          // per actor, for "client.N"
    std::map<std::string, std::string> m_listenNames; // scenario variable -> "server.listen"
};

} // namespace sockscope::core
