// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/socketidentity.h"

#include <set>

namespace sockscope::core {

namespace {
bool unbound(const std::string &addr)
{
    return addr.empty() || addr == "0.0.0.0:0" || addr == "[::]:0";
}
std::string portOf(const std::string &endpoint)
{
    return endpointPort(endpoint);
}
std::string hostOf(const std::string &endpoint)
{
    return endpoint.substr(0, endpoint.rfind(':'));
}
bool wildcardHost(const std::string &host)
{
    return host == "0.0.0.0" || host == "[::]";
}
} // namespace

std::string endpointPort(const std::string &endpoint)
{
    return endpoint.substr(endpoint.rfind(':') + 1);
}

std::string_view socketRoleName(SocketRole role)
{
    switch (role) {
    case SocketRole::Listen:
        return "listen";
    case SocketRole::Accepted:
        return "accepted";
    case SocketRole::Connect:
        return "connect";
    }
    return "connect";
}

SocketIdentity::SocketIdentity(const Scenario &scenario)
{
    std::map<std::string, int> listeners;
    std::set<std::string> connected; // variables a connect() came first on: listen() fails with EINVAL there
    for (const auto &step : scenario.steps) {
        if (step.call == Call::Connect)
            connected.insert(step.sock);
        if (step.call != Call::Listen || connected.count(step.sock))
            continue;
        int &count = listeners[step.actor];
        if (!m_listenNames.count(step.sock))
            m_listenNames[step.sock] = step.actor + ".listen" + (count++ ? std::to_string(count) : "");
    }
}

int SocketIdentity::add(const std::string &actor, SocketRole role, const std::string &name)
{
    SocketId s;
    s.actor = actor;
    s.role = role;
    s.name = name.empty() ? actor + "." + std::to_string(++m_actorCount[actor]) : name;
    m_socks.push_back(std::move(s));
    return count() - 1;
}

int SocketIdentity::addCreated(const Step &step, int fd)
{
    auto named = m_listenNames.find(step.assign);
    bool listens = named != m_listenNames.end();
    int sock = add(step.actor, listens ? SocketRole::Listen : SocketRole::Connect, listens ? named->second : "");
    attachFd(sock, fd);
    return sock;
}

void SocketIdentity::attachFd(int sock, int fd)
{
    m_socks[sock].fd = fd;
    m_fdSock[fd] = sock;
}

void SocketIdentity::detachFd(int sock, int fd)
{
    // close() frees the fd number before it lingers: a call that returned meanwhile may have been given the
    // same number for another socket, which keeps it.
    if (auto it = m_fdSock.find(fd); it != m_fdSock.end() && it->second == sock)
        m_fdSock.erase(it);
    if (m_socks[sock].fd == fd) {
        m_socks[sock].fd = -1;
        for (const auto &[other, s] : m_fdSock)
            if (s == sock)
                m_socks[sock].fd = other; // the newest (highest) of the fds left
    }
}

int SocketIdentity::fdCount(int sock) const
{
    int n = 0;
    for (const auto &[fd, s] : m_fdSock)
        n += s == sock ? 1 : 0;
    return n;
}

void SocketIdentity::setTuple(int sock, const std::string &local, const std::string &remote)
{
    SocketId &s = m_socks[sock];
    if (auto it = m_byTuple.find(s.local + "|" + s.remote); it != m_byTuple.end() && it->second == sock)
        m_byTuple.erase(it);
    s.local = local;
    s.remote = remote;
    m_byTuple[local + "|" + remote] = sock;
}

bool SocketIdentity::learn(int sock, const FdSnapshot &snap)
{
    SocketId &s = m_socks[sock];
    bool changed = false;
    // A refused connect() leaves "0.0.0.0:PORT": keep the address the socket really used.
    const bool wildcardOfKnown =
        !s.local.empty() && portOf(snap.local) == portOf(s.local) && wildcardHost(hostOf(snap.local));
    std::string local = s.local, remote = s.remote;
    if (!unbound(snap.local) && snap.local != s.local && !wildcardOfKnown) {
        local = snap.local;
        changed = true;
    }
    if (!unbound(snap.remote) && snap.remote != s.remote) {
        remote = snap.remote;
        changed = true;
    }
    if (changed)
        setTuple(sock, local, remote);
    if (snap.cookie)
        setCookie(sock, snap.cookie);
    return changed;
}

int SocketIdentity::byTuple(const std::string &local, const std::string &remote) const
{
    auto it = m_byTuple.find(local + "|" + remote);
    return it == m_byTuple.end() ? -1 : it->second;
}

int SocketIdentity::byFd(int fd) const
{
    if (fd < 0)
        return -1;
    auto it = m_fdSock.find(fd);
    return it == m_fdSock.end() ? -1 : it->second;
}

int SocketIdentity::listenerFor(const std::string &dst, const std::function<bool(int)> &listening) const
{
    for (int i = count() - 1; i >= 0; --i) {
        const SocketId &s = m_socks[i];
        if (!listening(i) || portOf(s.local) != portOf(dst))
            continue;
        std::string host = hostOf(s.local);
        if (host == hostOf(dst) || wildcardHost(host))
            return i;
    }
    return -1;
}

int SocketIdentity::acceptedChild(const std::string &actor, const FdSnapshot &after) const
{
    int child = -1;
    if (!unbound(after.remote)) {
        child = byTuple(after.local, after.remote);
    } else {
        // A connection reset in the accept queue has no peer name any more (the tuple would find the
        // listener), but accept() still hands out queued children oldest first: the oldest one of this
        // actor on that address that was never accepted.
        for (int i = 0; i < count() && child < 0; ++i)
            if (m_socks[i].role == SocketRole::Accepted && m_socks[i].actor == actor && m_socks[i].cookie == 0 &&
                m_socks[i].fd < 0 && m_socks[i].local == after.local)
                child = i;
    }
    return child >= 0 && m_socks[child].fd < 0 ? child : -1;
}

void SocketIdentity::setCookie(int sock, std::uint64_t cookie)
{
    m_socks[sock].cookie = cookie;
    if (!cookie)
        return;
    auto [it, added] = m_byCookie.try_emplace(cookie, sock);
    if (!added && (it->second < sock || m_socks[it->second].cookie != cookie))
        it->second = sock;
}

int SocketIdentity::forDiag(const DiagSocket &entry) const
{
    if (entry.cookie) {
        auto it = m_byCookie.find(entry.cookie);
        if (it != m_byCookie.end() && m_socks[it->second].cookie == entry.cookie)
            return it->second;
        // The newest socket given this cookie has another one now: an older one may still have it.
        if (it != m_byCookie.end())
            for (int i = it->second - 1; i >= 0; --i)
                if (m_socks[i].cookie == entry.cookie)
                    return i;
    }
    if (entry.state != TcpState::Listen) {
        // Cookies are unique and a TIME_WAIT minisocket keeps its socket's: an entry with another cookie than
        // the tuple's owner is some other socket (a new connection the model has not met yet), not that one.
        const int sock = byTuple(entry.local, entry.remote);
        return sock >= 0 && entry.cookie && m_socks[sock].cookie && m_socks[sock].cookie != entry.cookie ? -1 : sock;
    }
    for (int i = count() - 1; i >= 0; --i)
        if (m_socks[i].role == SocketRole::Listen && m_socks[i].local == entry.local)
            return i;
    return -1;
}

int SocketIdentity::matchSnapshot(const std::string &local, const std::string &remote, int fd,
                                  const FdSnapshot &snap) const
{
    // After a refused connect() the kernel clears the source address but keeps the port ("0.0.0.0:PORT").
    auto sameLocal = [&](const std::string &addr) {
        if (addr == local)
            return true;
        return wildcardHost(hostOf(addr)) && portOf(addr) == portOf(local) && portOf(addr) != "0";
    };
    if (fd < 0 || !sameLocal(snap.local) || !(snap.remote == remote || unbound(snap.remote)))
        return -1;
    int sock = byFd(fd);
    if (sock < 0)
        return -1;
    const SocketId &s = m_socks[sock];
    // The peer must be known, from the snapshot or from the socket's own connect(): a socket that is only
    // bound to the port, or listens on it, did not send this (the kernel answers for a port nobody listens
    // on). A listener sends only once it connect()ed there itself, after a shutdown() ended its listening.
    if ((s.role == SocketRole::Listen && s.remote != remote) || !(snap.remote == remote || s.remote == remote))
        return -1;
    return sock;
}

} // namespace sockscope::core
