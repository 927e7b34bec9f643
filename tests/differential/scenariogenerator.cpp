// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenariogenerator.h"

#include <array>
#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

namespace sockscope::differential {

namespace {

// Bytes a connection may have sent one way before a send must not wait any more (loopback's default
// buffers take far more, so a waiting send always finds room).
constexpr std::int64_t kBlockingSendBudget = 32 * 1024;
constexpr int kBasePort = 5000;

enum class Kind
{
    Listener,
    Client,
    Accepted
};

enum class ListenerState
{
    Listening,
    Shut, // shutdown() took it out of LISTEN; listen() may bring it back
    Closed
};

struct Var
{
    std::string name;
    std::string actor;
    Kind kind = Kind::Client;
    bool open = true;
    bool nonblock = false;
    bool connected = false; // client: a connect() that certainly succeeded; accepted: always
    std::int64_t sent = 0;  // bytes this end sent
    bool lingers = false;   // SO_LINGER on with a timeout: close() may wait up to a second
    ListenerState listener = ListenerState::Listening;
    std::deque<int> queue; // listener: client vars whose connections wait for accept(), oldest first
    int backlog = 0;
    bool certain = true; // listener: its bind() and listen() certainly succeeded
};

class Generator
{
public:
    explicit Generator(std::uint64_t seed) : m_rng(seed), m_seed(seed) {}
    std::string run();

private:
    // Deterministic on every standard library (the distributions are not).
    std::uint64_t pick(std::uint64_t n) { return n ? m_rng() % n : 0; }
    bool chance(int percent) { return static_cast<int>(pick(100)) < percent; }
    template <typename T, size_t N> const T &oneOf(const std::array<T, N> &a) { return a[pick(N)]; }

    void step(const std::string &actor, const std::string &text, bool together = false);
    std::string addr(int port) const { return (m_v6 ? "[::1]:" : m_ip + ":") + std::to_string(port); }
    std::string family() const { return m_v6 ? "v6" : "v4"; }
    int newVar(const std::string &prefix, const std::string &actor, Kind kind);

    void openListener(int round);
    void connectClient(const std::string &actor);
    void selfConnect(const std::string &actor);
    void accept(int listener);
    void randomOp();
    void send(int v);
    void recv(int v);
    void closeVar(int v);
    void dupVar(int v);
    std::string exitActor(); // an actor's exit() closes its descriptors; returns an actor still alive
    int randomConnected();
    int peerOf(int v) const;

    std::mt19937_64 m_rng;
    std::uint64_t m_seed;
    bool m_v6 = false;
    std::string m_ip = "127.0.0.1";
    int m_port = kBasePort;
    std::vector<std::string> m_clients;
    std::vector<Var> m_vars;
    std::vector<std::pair<int, int>> m_pairs; // (client var, accepted var)
    int m_listener = -1;
    int m_fixedPort = 0; // a client port reused across connections (TIME_WAIT 4-tuple reuse), 0 = none
    std::vector<std::string> m_lines;
    std::vector<std::string> m_pendingTogether; // actors of the current '&' group
};

void Generator::step(const std::string &actor, const std::string &text, bool together)
{
    m_lines.push_back(actor + "  " + text + (together ? "  &" : ""));
}

int Generator::newVar(const std::string &prefix, const std::string &actor, Kind kind)
{
    Var v;
    v.name = prefix + std::to_string(m_vars.size() + 1);
    v.actor = actor;
    v.kind = kind;
    m_vars.push_back(v);
    return static_cast<int>(m_vars.size()) - 1;
}

int Generator::peerOf(int v) const
{
    for (const auto &[c, a] : m_pairs) {
        if (c == v)
            return a;
        if (a == v)
            return c;
    }
    return -1;
}

void Generator::openListener(int round)
{
    const int l = newVar("L", "server", Kind::Listener);
    Var &L = m_vars[l];
    // Later rounds rebind the same port while the old connections may linger: not sure it works, so accept()
    // must not wait there.
    L.certain = round == 0;
    L.nonblock = !L.certain || chance(20);
    step("server", L.name + " = socket(" + family() + (L.nonblock ? ", nonblock" : "") + ")");
    if (round > 0 || chance(80))
        step("server", "setsockopt(" + L.name + ", SO_REUSEADDR, 1)");
    step("server", "bind(" + L.name + ", " + addr(m_port) + ")");
    L.backlog = 2 + static_cast<int>(pick(6));
    step("server", "listen(" + L.name + ", " + std::to_string(L.backlog) + ")");
    m_listener = l;
}

void Generator::connectClient(const std::string &actor)
{
    Var *L = m_listener >= 0 ? &m_vars[m_listener] : nullptr;
    const bool listening = L && L->open && L->listener == ListenerState::Listening;
    // A full accept queue drops the SYN and connect() would wait for seconds.
    if (listening && static_cast<int>(L->queue.size()) >= L->backlog)
        return;
    const int c = newVar("C", actor, Kind::Client);
    Var &C = m_vars[c];
    C.nonblock = chance(20);
    step(actor, C.name + " = socket(" + family() + (C.nonblock ? ", nonblock" : "") + ")");
    if (chance(15)) {
        C.lingers = chance(50);
        step(actor, "setsockopt(" + C.name + ", SO_LINGER, 1, " + (C.lingers ? "1" : "0") + ")");
    }
    bool sure = true; // the connection certainly ends up in the listener's queue
    if (chance(12)) {
        sure = false; // the 4-tuple may still be taken (EADDRNOTAVAIL)
        if (!m_fixedPort)
            m_fixedPort = 6000 + static_cast<int>(pick(100));
        step(actor, "setsockopt(" + C.name + ", SO_REUSEADDR, 1)");
        step(actor, "bind(" + C.name + ", " + addr(m_fixedPort) + ")");
    }
    if (chance(10)) { // refused first, then tried again on the same socket
        sure = false;
        step(actor, "connect(" + C.name + ", " + addr(m_port + 100) + ")");
    }
    step(actor, "connect(" + C.name + ", " + addr(m_port) + ")");
    if (C.nonblock)
        step(actor, "poll(" + C.name + ", POLLOUT, 50)");
    if (listening) {
        m_vars[c].connected = true;
        Var &L2 = m_vars[m_listener];
        L2.queue.push_back(c); // counted even when unsure: the backlog check errs on the safe side
        if (!sure && !L2.nonblock) {
            step("server", "fcntl(" + L2.name + ", O_NONBLOCK)");
            L2.nonblock = true;
        }
    }
    if (chance(8)) // a second connect() on a connected socket: EISCONN, nothing changes
        step(actor, "connect(" + m_vars[c].name + ", " + addr(m_port) + ")");
}

void Generator::selfConnect(const std::string &actor)
{
    const int s = newVar("S", actor, Kind::Client);
    const std::string &n = m_vars[s].name;
    const int port = 7000 + static_cast<int>(pick(50));
    step(actor, n + " = socket(" + family() + ")");
    step(actor, "setsockopt(" + n + ", SO_REUSEADDR, 1)");
    step(actor, "bind(" + n + ", " + addr(port) + ")");
    step(actor, "connect(" + n + ", " + addr(port) + ")");
    m_vars[s].connected = true;
    m_pairs.emplace_back(s, s);
}

void Generator::accept(int l)
{
    Var &L = m_vars[l];
    if (!L.open || L.queue.empty())
        return;
    // A blocking accept() is only written when a connection is certainly queued.
    if (!L.nonblock && !L.certain)
        return;
    const int client = L.queue.front();
    L.queue.pop_front();
    const int a = newVar("A", "server", Kind::Accepted);
    m_vars[a].connected = true;
    step("server", m_vars[a].name + " = accept(" + m_vars[l].name + ")");
    m_pairs.emplace_back(client, a);
}

int Generator::randomConnected()
{
    std::vector<int> live;
    for (size_t i = 0; i < m_vars.size(); ++i)
        if (m_vars[i].open && m_vars[i].connected)
            live.push_back(static_cast<int>(i));
    return live.empty() ? -1 : live[pick(live.size())];
}

void Generator::send(int v)
{
    static const std::array<int, 10> kSizes = {1, 7, 100, 536, 1000, 1460, 4000, 20000, 70000, 300000};
    Var &V = m_vars[v];
    const int n = oneOf(kSizes);
    std::string flags;
    if (chance(40))
        flags += ", MSG_NOSIGNAL";
    // A send that might wait for the peer to read is made non-waiting.
    if (!V.nonblock && (n > 4000 || V.sent + n > kBlockingSendBudget))
        flags += ", MSG_DONTWAIT";
    V.sent += n;
    if (chance(15))
        step(V.actor, "send(" + V.name + ", \"hello\"" + flags + ")");
    else if (chance(10) && flags.empty())
        step(V.actor, "write(" + V.name + ", " + std::to_string(std::min(n, 1000)) + ")");
    else
        step(V.actor, "send(" + V.name + ", " + std::to_string(n) + flags + ")");
}

void Generator::recv(int v)
{
    static const std::array<int, 5> kSizes = {1, 100, 4096, 65536, 1000000};
    const Var &V = m_vars[v];
    const int n = oneOf(kSizes);
    if (V.nonblock && chance(30))
        step(V.actor, "read(" + V.name + ", " + std::to_string(n) + ")");
    else
        step(V.actor, "recv(" + V.name + ", " + std::to_string(n) + ", MSG_DONTWAIT" +
                          (chance(10)  ? ", MSG_PEEK"
                           : chance(5) ? ", MSG_TRUNC"
                                       : "") +
                          ")");
}

void Generator::closeVar(int v)
{
    Var &V = m_vars[v];
    step(V.actor, "close(" + V.name + ")");
    V.open = false;
    if (V.kind == Kind::Listener) // the queued connections are reset
        V.queue.clear();
}

void Generator::randomOp()
{
    const int r = static_cast<int>(pick(100));
    const int v = randomConnected();
    if (r < 22 && v >= 0) {
        send(v);
    } else if (r < 38 && v >= 0) {
        recv(v);
    } else if (r < 44 && v >= 0) {
        const Var &V = m_vars[v];
        if (chance(50))
            step(V.actor, "poll(" + V.name + ", POLLIN|POLLRDHUP, " + std::to_string(pick(10)) + ")");
        else
            step(V.actor, "epoll_wait(" + V.name + ", EPOLLIN|EPOLLRDHUP, " + std::to_string(pick(10)) + ")");
    } else if (r < 52 && v >= 0) {
        static const std::array<const char *, 3> kHow = {"SHUT_RD", "SHUT_WR", "SHUT_RDWR"};
        step(m_vars[v].actor, "shutdown(" + m_vars[v].name + ", " + oneOf(kHow) + ")");
    } else if (r < 56 && v >= 0) {
        m_vars[v].lingers = chance(50);
        step(m_vars[v].actor,
             "setsockopt(" + m_vars[v].name + ", SO_LINGER, 1, " + (m_vars[v].lingers ? "1" : "0") + ")");
    } else if (r < 64 && v >= 0) {
        // Both ends at once (simultaneous close) when the peer is another actor's open socket.
        const int p = peerOf(v);
        if (p >= 0 && p != v && m_vars[p].open && m_vars[p].actor != m_vars[v].actor && chance(30)) {
            step(m_vars[v].actor, "close(" + m_vars[v].name + ")", true);
            closeVar(p);
            m_vars[v].open = false;
        } else {
            closeVar(v);
        }
    } else if (r < 72 && m_listener >= 0) {
        accept(m_listener);
    } else if (r < 80) {
        connectClient(m_clients[pick(m_clients.size())]);
    } else if (r < 87) {
        step(chance(50) ? "server" : m_clients[0], "wait(" + std::to_string(1 + pick(30)) + ")");
    } else if (r < 89 && m_listener >= 0 && m_vars[m_listener].open) {
        closeVar(m_listener);
    } else if (r < 91 && m_listener >= 0 && m_vars[m_listener].open) {
        Var &L = m_vars[m_listener];
        static const std::array<const char *, 3> kHow = {"SHUT_RD", "SHUT_WR", "SHUT_RDWR"};
        step("server", "shutdown(" + L.name + ", " + oneOf(kHow) + ")");
        L.listener = ListenerState::Shut;
        L.certain = false; // what shutdown() does to the queue is the kernel's business
        if (!L.nonblock) {
            step("server", "fcntl(" + L.name + ", O_NONBLOCK)");
            L.nonblock = true;
        }
        if (chance(60)) {
            step("server", "listen(" + L.name + ", " + std::to_string(L.backlog) + ")");
            L.listener = ListenerState::Listening;
        }
    } else if (r < 94 && v >= 0) {
        // Calls that fail on the wrong kind of socket: they must change nothing.
        const Var &V = m_vars[v];
        if (chance(50))
            step(V.actor, "listen(" + V.name + ", 4)");
        else
            step(V.actor, "bind(" + V.name + ", " + addr(m_port) + ")");
    } else if (r < 96 && m_listener >= 0 && m_vars[m_listener].open) {
        step("server", "connect(" + m_vars[m_listener].name + ", " + addr(m_port) + ")");
    } else if (r < 97 && v >= 0) {
        // Calls that only look: names, readiness through select(), a zero-length send.
        const Var &V = m_vars[v];
        static const std::array<const char *, 4> kLook = {"getsockname", "getpeername", "select", "send0"};
        const std::string look = oneOf(kLook);
        if (look == "select")
            step(V.actor, "select(" + V.name + ", READ|WRITE|EXCEPT, " + std::to_string(pick(10)) + ")");
        else if (look == "send0")
            step(V.actor, "send(" + V.name + ", 0, MSG_NOSIGNAL, MSG_DONTWAIT)");
        else
            step(V.actor, look + "(" + V.name + ")");
    } else if (r < 98 && v >= 0 && m_vars[v].kind != Kind::Listener) {
        // connect(AF_UNSPEC) dissolves the connection (a RST to a synchronised peer); the generator uses the
        // socket no further, as after an abortive close, but leaves it to the end of the run to close.
        step(m_vars[v].actor, "connect(" + m_vars[v].name + ", AF_UNSPEC)");
        m_vars[v].open = false;
    } else if (v >= 0 && chance(40)) {
        dupVar(v);
    } else if (v >= 0) {
        step(m_vars[v].actor, "getsockopt(" + m_vars[v].name + ", SO_ERROR)");
    }
}

// B = dup(A): the same socket under a second name; either may be used and closed (the last close is the socket's).
void Generator::dupVar(int v)
{
    const int d = newVar("D", m_vars[v].actor, m_vars[v].kind);
    Var &D = m_vars[d];
    const Var &V = m_vars[v];
    D.connected = V.connected;
    D.nonblock = V.nonblock; // O_NONBLOCK belongs to the open file, which both share
    D.lingers = V.lingers;
    D.sent = V.sent;
    step(D.actor, D.name + " = dup(" + V.name + ")");
    if (const int p = peerOf(v); p >= 0)
        m_pairs.emplace_back(p, d);
}

std::string Generator::exitActor()
{
    std::vector<std::string> actors = {"server"};
    actors.insert(actors.end(), m_clients.begin(), m_clients.end());
    const std::string dying = actors[pick(actors.size())];
    step(dying, "exit()");
    for (auto &var : m_vars)
        if (var.actor == dying)
            var.open = false;
    return dying == "server" ? m_clients[0] : "server";
}

std::string Generator::run()
{
    m_v6 = chance(30);
    if (!m_v6 && chance(15))
        m_ip = "127.0.0." + std::to_string(2 + pick(5));
    m_port = kBasePort + static_cast<int>(pick(3));
    m_clients = {"client"};
    if (chance(35))
        m_clients.push_back("peer");
    const int rounds = chance(25) ? 2 : 1;
    for (int round = 0; round < rounds; ++round) {
        // An old listener still open on the port would take the new connections (and could fill up).
        if (round > 0 && m_listener >= 0 && m_vars[m_listener].open)
            closeVar(m_listener);
        openListener(round);
        for (const auto &c : m_clients)
            if (chance(85))
                connectClient(c);
        if (round == 0 && chance(6))
            selfConnect(m_clients[pick(m_clients.size())]);
        if (chance(70))
            accept(m_listener);
        const int ops = 4 + static_cast<int>(pick(12));
        for (int i = 0; i < ops; ++i)
            randomOp();
        if (round + 1 < rounds) { // the next round reuses the port: close this round's sockets first
            for (size_t i = 0; i < m_vars.size(); ++i)
                if (m_vars[i].open && m_vars[i].kind != Kind::Listener && chance(70))
                    closeVar(static_cast<int>(i));
            step("server", "wait(" + std::to_string(1 + pick(20)) + ")");
        }
    }
    if (chance(70))
        for (size_t i = 0; i < m_vars.size(); ++i)
            if (m_vars[i].open && chance(85))
                closeVar(static_cast<int>(i));
    const std::string last = chance(20) ? exitActor() : "server";
    step(last, "wait(" + std::to_string(5 + pick(40)) + ")");

    std::string actors = "server";
    for (const auto &c : m_clients)
        actors += " " + c;
    std::string text = "# Generated by tests/differential (seed " + std::to_string(m_seed) + ").\n";
    text += "title: Differential seed " + std::to_string(m_seed) + "\n";
    text += "topic: differential\n";
    text += "summary: A random scenario: the model must agree with the kernel on every state.\n";
    text += "actors: " + actors + "\n\n";
    for (const auto &l : m_lines)
        text += l + "\n";
    return text;
}

} // namespace

std::string generateScenario(std::uint64_t seed)
{
    return Generator(seed).run();
}

} // namespace sockscope::differential
