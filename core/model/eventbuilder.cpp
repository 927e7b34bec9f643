// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/eventbuilder.h"

#include "core/model/callargs.h"

#include <algorithm>
#include <numeric>
#include <sstream>

namespace sockscope::core {

namespace {
constexpr std::uint8_t kSyn = static_cast<std::uint8_t>(SegmentFlag::Syn);
constexpr std::uint8_t kAck = static_cast<std::uint8_t>(SegmentFlag::Ack);
// A kernel snapshot agrees with the derived model if the model was in that state within this much of the
// snapshot: a segment's stamp and the state change it causes are microseconds apart.
constexpr std::int64_t kKernelToleranceNs = 1000000;
constexpr size_t kLookahead = 400;

bool unbound(const std::string &addr)
{
    return addr.empty() || addr == "0.0.0.0:0" || addr == "[::]:0";
}

std::string portOf(const std::string &endpoint)
{
    return endpoint.substr(endpoint.rfind(':') + 1);
}
std::string hostOf(const std::string &endpoint)
{
    return endpoint.substr(0, endpoint.rfind(':'));
}

std::vector<std::string> tokens(const std::string &text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string t; in >> t;)
        out.push_back(t);
    std::sort(out.begin(), out.end());
    return out;
}

bool sameErrno(const std::string &a, const std::string &b)
{
    auto canon = [](const std::string &e) { return e == "EWOULDBLOCK" ? std::string("EAGAIN") : e; };
    return canon(a) == canon(b);
}
} // namespace

struct EventBuilder::Item
{
    enum Kind
    {
        Step,
        Enter,
        Packet,
        Exit,
        Fd,
        Diag
    } kind; // declaration order breaks ties in time
    std::int64_t t;
    size_t index;
};

EventBuilder::EventBuilder(const Scenario &scenario, RunInfo run, Sink sink,
                           const std::map<std::uint16_t, std::uint16_t> *portMap)
    : m_scenario(scenario), m_sink(std::move(sink)), m_startNs(run.startNs), m_capture(run.capture),
      m_netns(run.isolation == "netns"), m_portMap(portMap)
{
    // Listening sockets are named after their role up front: the scenario says which variable listens.
    std::map<std::string, int> listeners;
    for (const auto &step : scenario.steps) {
        if (step.call != Call::Listen)
            continue;
        int &count = listeners[step.actor];
        if (!m_listenNames.count(step.sock))
            m_listenNames[step.sock] = step.actor + ".listen" + (count++ ? std::to_string(count) : "");
    }
    m_sink(Event{m_nextN++, 0, std::move(run)});
}

size_t EventBuilder::emit(std::int64_t absNs, EventPayload payload)
{
    m_out.push_back(Event{static_cast<std::int64_t>(m_out.size()), absNs - m_startNs, std::move(payload)});
    return m_out.size() - 1;
}

void EventBuilder::emitState(int sock, TcpState from, TcpState to, std::int64_t absNs, long cause)
{
    auto &h = m_socks[sock].history;
    auto at =
        std::upper_bound(h.begin(), h.end(), absNs, [](std::int64_t t, const auto &entry) { return t < entry.first; });
    h.insert(at, {absNs, to});
    emit(absNs, StateInfo{m_socks[sock].name, from, to, StateSource::Derived, cause, false, TcpState::Closed});
}

void EventBuilder::emitSocket(int sock, std::int64_t absNs)
{
    const Sock &s = m_socks[sock];
    emit(absNs, SocketInfo{s.name, s.actor, s.role, s.fd, s.local, s.remote});
}

int EventBuilder::newSock(const std::string &actor, const std::string &role, const std::string &name,
                          std::int64_t absNs, TcpState initial)
{
    Sock s;
    s.actor = actor;
    s.role = role;
    s.name = name.empty() ? actor + "." + std::to_string(++m_actorCount[actor]) : name;
    s.machine = TcpMachine(initial);
    s.history.emplace_back(absNs, initial);
    m_socks.push_back(std::move(s));
    return static_cast<int>(m_socks.size()) - 1;
}

int EventBuilder::sockByTuple(const std::string &local, const std::string &remote) const
{
    auto it = m_byTuple.find(local + "|" + remote);
    return it == m_byTuple.end() ? -1 : it->second;
}

void EventBuilder::setTuple(int sock, const std::string &local, const std::string &remote)
{
    Sock &s = m_socks[sock];
    if (auto it = m_byTuple.find(s.local + "|" + s.remote); it != m_byTuple.end() && it->second == sock)
        m_byTuple.erase(it);
    s.local = local;
    s.remote = remote;
    m_byTuple[local + "|" + remote] = sock; // the newest socket with a 4-tuple owns it
}

int EventBuilder::listenerFor(const std::string &dst) const
{
    for (int i = static_cast<int>(m_socks.size()) - 1; i >= 0; --i) {
        const Sock &s = m_socks[i];
        if (s.machine.state() != TcpState::Listen || portOf(s.local) != portOf(dst))
            continue;
        std::string host = hostOf(s.local);
        if (host == hostOf(dst) || host == "0.0.0.0" || host == "[::]")
            return i;
    }
    return -1;
}

void EventBuilder::learnAddresses(int sock, const FdSnapshot &snap, std::int64_t absNs)
{
    Sock &s = m_socks[sock];
    bool changed = false;
    // A refused connect() leaves "0.0.0.0:PORT": keep the address the socket really used.
    const bool wildcardOfKnown = !s.local.empty() && portOf(snap.local) == portOf(s.local) &&
                                 (hostOf(snap.local) == "0.0.0.0" || hostOf(snap.local) == "[::]");
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
        s.cookie = snap.cookie;
    if (changed)
        emitSocket(sock, absNs);
}

int EventBuilder::resolveEndpoint(const std::string &local, const std::string &remote, const std::vector<Item> &items,
                                  size_t pos)
{
    if (int s = sockByTuple(local, remote); s >= 0)
        return s;
    // The socket's own address may only be read after the call that sent this segment returned (a connect's
    // SYN leaves inside connect()): look for that snapshot further on in the batch.
    // After a refused connect() the kernel clears the source address but keeps the port ("0.0.0.0:PORT").
    auto sameLocal = [&](const std::string &addr) {
        if (addr == local)
            return true;
        std::string host = hostOf(addr);
        return (host == "0.0.0.0" || host == "[::]") && portOf(addr) == portOf(local) && portOf(addr) != "0";
    };
    auto match = [&](int fd, const FdSnapshot &snap) -> int {
        if (fd < 0 || !sameLocal(snap.local) || !(snap.remote == remote || unbound(snap.remote)))
            return -1;
        auto it = m_fdSock.find(fd);
        if (it == m_fdSock.end())
            return -1;
        const Sock &s = m_socks[it->second];
        // The peer must be known, from the snapshot or from the socket's own connect(): a socket that is only
        // bound to the port did not send this (the kernel answers for a port nobody listens on).
        if (s.role == "listen" || !(snap.remote == remote || s.remote == remote))
            return -1;
        return it->second;
    };
    for (size_t j = pos + 1; j < items.size() && j < pos + kLookahead; ++j) {
        int s = -1;
        if (items[j].kind == Item::Fd) {
            const FdRecord &r = m_batchFds->at(items[j].index);
            s = match(r.fd, r.snap);
        }
        if (s >= 0) {
            learnAddresses(s, FdSnapshot{-1, 0, local, remote, 0, 0}, items[pos].t);
            return s;
        }
    }
    return -1;
}

void EventBuilder::addBatch(RawBatch &&batch, std::vector<RawPacket> &&packets,
                            const std::vector<std::int64_t> &blockedCalls)
{
    std::vector<Item> items;
    items.reserve(batch.steps.size() + batch.enters.size() + batch.exits.size() + packets.size() + batch.fds.size() +
                  batch.diags.size());
    for (size_t i = 0; i < batch.steps.size(); ++i)
        items.push_back({Item::Step, batch.steps[i].tNs, i});
    for (size_t i = 0; i < batch.enters.size(); ++i)
        items.push_back({Item::Enter, batch.enters[i].tNs, i});
    for (size_t i = 0; i < packets.size(); ++i)
        items.push_back({Item::Packet, packets[i].tNs, i});
    for (size_t i = 0; i < batch.exits.size(); ++i)
        items.push_back({Item::Exit, batch.exits[i].tNs, i});
    for (size_t i = 0; i < batch.fds.size(); ++i)
        items.push_back({Item::Fd, batch.fds[i].tNs, i});
    for (size_t i = 0; i < batch.diags.size(); ++i)
        items.push_back({Item::Diag, batch.diags[i].t0Ns, i});
    std::stable_sort(items.begin(), items.end(),
                     [](const Item &a, const Item &b) { return a.t != b.t ? a.t < b.t : a.kind < b.kind; });

    m_batchFds = &batch.fds;
    m_batchPackets = &packets;
    for (size_t i = 0; i < items.size(); ++i) {
        const Item &it = items[i];
        switch (it.kind) {
        case Item::Step:
            onStep(batch.steps[it.index]);
            break;
        case Item::Enter:
            onEnter(batch.enters[it.index]);
            break;
        case Item::Packet:
            onPacket(packets[it.index], items, i);
            break;
        case Item::Exit:
            onExit(batch.exits[it.index], blockedCalls);
            break;
        case Item::Fd: {
            const FdRecord &r = batch.fds[it.index];
            onFdSnapshot(r.fd, r.snap, r.tNs, r.tNs);
            break;
        }
        case Item::Diag:
            onDiag(batch.diags[it.index]);
            break;
        }
    }
    m_batchFds = nullptr;
    m_batchPackets = nullptr;

    // A call the scheduler saw blocked, and that is still in the kernel, meets a "= blocked" expectation now.
    std::int64_t lastT = items.empty() ? m_startNs + m_lastRelNs : items.back().t;
    for (std::int64_t id : blockedCalls) {
        auto it = m_calls.find(id);
        if (it != m_calls.end())
            check(m_scenario.steps[it->second.step], "blocked", true, lastT);
    }
    while (!m_deferred.empty())
        resolveDeferred(m_deferred.begin()->first, nullptr, false);
    for (const auto &obs : m_kernelObs)
        evaluateKernel(obs);
    m_kernelObs.clear();
    flushOutput();
}

void EventBuilder::onStep(const StepMark &mark)
{
    const Step &s = m_scenario.steps[mark.step];
    emit(mark.tNs, StepInfo{s.index, s.actor, s.text, s.line, s.note});
}

void EventBuilder::onEnter(const CallEnter &enter)
{
    const Step &step = *enter.step;
    auto fdIt = m_fdSock.find(enter.fd);
    int sock = (enter.fd >= 0 && fdIt != m_fdSock.end()) ? fdIt->second : -1;
    std::string call(callName(step.call));
    std::vector<SyscallArg> args = describeArgs(step);
    if (m_portMap && (step.call == Call::Bind || step.call == Call::Connect)) {
        // The stream shows the address really used: in the host's namespace ports are remapped.
        SockAddr real = step.addr;
        if (auto it = m_portMap->find(real.port); it != m_portMap->end())
            real.port = it->second;
        for (auto &a : args)
            if (a.key == "addr")
                a.value = real.text();
    }
    m_calls[enter.id] = PendingCall{enter.tNs, step.index, sock, call};
    if (step.call == Call::Connect && sock >= 0 && m_socks[sock].remote.empty()) {
        // getpeername() fails in SYN_SENT, so the peer comes from the call itself.
        for (const auto &a : args)
            if (a.key == "addr")
                setTuple(sock, m_socks[sock].local, a.value);
    }
    emit(enter.tNs, SyscallInfo{enter.id, step.index, step.actor, call, enter.fd, sockName(sock), std::move(args)});
}

void EventBuilder::onExit(const CallExit &exit, const std::vector<std::int64_t> &blockedCalls)
{
    auto it = m_calls.find(exit.id);
    if (it == m_calls.end())
        return;
    PendingCall pc = it->second;
    m_calls.erase(it);
    const Step &step = m_scenario.steps[pc.step];
    std::string err = exit.ret < 0 ? errnoName(exit.err) : std::string();
    long retIdx = static_cast<long>(emit(exit.tNs, ReturnInfo{exit.id, exit.ret, err, exit.tNs - pc.tNs, exit.data}));
    if (exit.sigpipe)
        emit(exit.tNs, SignalInfo{step.actor, "SIGPIPE", exit.id});

    int sock = pc.sock;
    if (sock >= 0)
        resolveDeferred(sock, nullptr, false);
    if (step.call == Call::Socket && exit.newFd >= 0) {
        auto named = m_listenNames.find(step.assign);
        bool listens = named != m_listenNames.end();
        sock = newSock(step.actor, listens ? "listen" : "connect", listens ? named->second : "", exit.tNs,
                       TcpState::Closed);
        m_socks[sock].fd = exit.newFd;
        m_fdSock[exit.newFd] = sock;
        emitSocket(sock, exit.tNs);
    } else if (step.call == Call::Accept && exit.newFd >= 0) {
        int child = -1;
        if (!unbound(exit.newFdAfter.remote)) {
            child = sockByTuple(exit.newFdAfter.local, exit.newFdAfter.remote);
        } else {
            // A connection reset in the accept queue has no peer name any more (the tuple would find the
            // listener), but accept() still hands out queued children oldest first: the oldest one of this
            // actor on that address that was never accepted.
            for (int i = 0; i < static_cast<int>(m_socks.size()) && child < 0; ++i)
                if (m_socks[i].role == "accepted" && m_socks[i].actor == step.actor && m_socks[i].cookie == 0 &&
                    m_socks[i].fd < 0 && m_socks[i].local == exit.newFdAfter.local)
                    child = i;
        }
        if (child < 0 || m_socks[child].fd >= 0) {
            // Without capture the child was never seen arriving: it starts here, in the state the kernel reports.
            TcpState initial = stateFromKernel(exit.newFdAfter.kernelState).value_or(TcpState::Established);
            child = newSock(step.actor, "accepted", "", exit.tNs, initial);
            setTuple(child, exit.newFdAfter.local, exit.newFdAfter.remote);
        }
        m_socks[child].fd = exit.newFd;
        m_socks[child].cookie = exit.newFdAfter.cookie;
        m_fdSock[exit.newFd] = child;
        emitSocket(child, exit.tNs);
        onFdSnapshot(exit.newFd, exit.newFdAfter, exit.tNs, exit.snapNs);
    } else if (step.call == Call::Listen && exit.ret == 0 && sock >= 0) {
        TcpState before = m_socks[sock].machine.state();
        if (auto to = m_socks[sock].machine.onCall(MachineCall::Listen))
            emitState(sock, before, *to, exit.tNs, retIdx);
    } else if (step.call == Call::Close && exit.ret == 0 && sock >= 0) {
        TcpState before = m_socks[sock].machine.state();
        if (auto to = m_socks[sock].machine.onCall(MachineCall::Close))
            emitState(sock, before, *to, exit.tNs, retIdx);
        m_fdSock.erase(exit.fd);
        m_socks[sock].fd = -1;
        emitSocket(sock, exit.tNs);
    }

    if (!step.expect)
        return;
    const Expectation &exp = *step.expect;
    if (exp.kind == Expectation::Kind::Blocked) {
        bool wasBlocked = std::find(blockedCalls.begin(), blockedCalls.end(), exit.id) != blockedCalls.end();
        check(step, wasBlocked ? "blocked" : "returned " + std::to_string(exit.ret), wasBlocked, exit.tNs);
        return;
    }
    std::string got = exit.ret < 0 ? "-1 " + err : std::to_string(exit.ret);
    bool ok = false;
    switch (exp.kind) {
    case Expectation::Kind::Value:
        ok = exit.ret == exp.value;
        break;
    case Expectation::Kind::Error:
        ok = exit.ret == -1 && sameErrno(err, exp.err);
        break;
    case Expectation::Kind::AnyFd:
        ok = exit.ret >= 0;
        break;
    case Expectation::Kind::Blocked:
        break;
    }
    if (exp.hasData) {
        got += " [" + exit.data.value_or("") + "]";
        std::vector<std::string> want = exp.data;
        std::sort(want.begin(), want.end());
        ok = ok && tokens(exit.data.value_or("")) == want;
    }
    if (exit.sigpipe)
        got += ", SIGPIPE";
    ok = ok && exit.sigpipe == exp.sigpipe;
    check(step, got, ok, exit.tNs);
}

void EventBuilder::onPacket(const RawPacket &p, const std::vector<Item> &items, size_t pos)
{
    const std::string src = endpointText(p.srcIp, p.srcPort, p.v6);
    const std::string dst = endpointText(p.dstIp, p.dstPort, p.v6);
    const bool syn = p.flags & kSyn;
    const bool ack = p.flags & kAck;
    if (syn)
        m_isn[src + ">" + dst] = p.seq;

    int from = resolveEndpoint(src, dst, items, pos);
    int to = resolveEndpoint(dst, src, items, pos);
    // On the host's loopback the ring sees every program's traffic: keep only the scenario's own.
    if (!m_netns && from < 0 && to < 0 && listenerFor(dst) < 0)
        return;
    bool spawned = false;
    if (to < 0 && syn && !ack) {
        if (int l = listenerFor(dst); l >= 0) {
            // A listener spawns a connection only when it answers; a SYN dropped on a full backlog spawns none.
            bool answered = false;
            for (size_t j = pos + 1; j < items.size() && j < pos + kLookahead && !answered; ++j) {
                if (items[j].kind != Item::Packet)
                    continue;
                const RawPacket &q = m_batchPackets->at(items[j].index);
                answered = (q.flags & (kSyn | kAck)) == (kSyn | kAck) &&
                           endpointText(q.srcIp, q.srcPort, q.v6) == dst &&
                           endpointText(q.dstIp, q.dstPort, q.v6) == src;
            }
            if (answered) {
                to = newSock(m_socks[l].actor, "accepted", "", p.tNs, TcpState::Listen);
                setTuple(to, dst, src);
                emitSocket(to, p.tNs);
                spawned = true;
            } else {
                to = l;
            }
        }
    }

    PacketInfo info;
    info.from = sockName(from);
    info.to = sockName(to);
    info.src = src;
    info.dst = dst;
    info.flags = p.flags;
    auto own = m_isn.find(src + ">" + dst);
    info.seq = own == m_isn.end() ? p.seq : p.seq - own->second;
    auto peer = m_isn.find(dst + ">" + src);
    info.ack = !ack ? 0 : (peer == m_isn.end() ? p.ack : p.ack - peer->second);
    info.len = p.payloadLen;
    info.win = p.window;
    static const char *hex = "0123456789abcdef";
    info.hdr.reserve(p.headers.size() * 2);
    for (std::uint8_t b : p.headers) {
        info.hdr += hex[b >> 4];
        info.hdr += hex[b & 15];
    }
    long idx = static_cast<long>(emit(p.tNs, std::move(info)));

    if (from >= 0 && from != to) {
        resolveDeferred(from, &p, true);
        TcpState before = m_socks[from].machine.state();
        if (auto s = m_socks[from].machine.onSend(p.flags, p.seq, p.ack, p.payloadLen))
            emitState(from, before, *s, p.tNs, idx);
        resolveDeferred(from, &p, false);
    }
    if (to >= 0 && m_socks[to].machine.state() != TcpState::Listen) {
        DeferredReceive d{p.flags, p.seq, p.ack, p.payloadLen, p.tNs, idx};
        // The backlog is FIFO: once one segment waits for the lock, every later one waits behind it.
        if (m_deferred.count(to) ||
            ((p.flags & (kSyn | static_cast<std::uint8_t>(SegmentFlag::Fin))) && lockHeld(to, p.tNs)))
            m_deferred[to].push_back(d);
        else
            applyReceive(to, d, p.tNs);
    } else if (spawned) {
        m_socks[to].machine.startPassive();
        emitState(to, TcpState::Listen, TcpState::SynReceived, p.tNs, idx);
    }
}

bool EventBuilder::lockHeld(int sock, std::int64_t absNs) const
{
    for (const auto &[id, pc] : m_calls)
        if (pc.sock == sock && pc.tNs <= absNs && (pc.call == "close" || pc.call == "shutdown" || pc.call == "connect"))
            return true;
    return false;
}

void EventBuilder::applyReceive(int sock, const DeferredReceive &d, std::int64_t absNs)
{
    TcpState before = m_socks[sock].machine.state();
    if (auto s = m_socks[sock].machine.onReceive(d.flags, d.seq, d.ack, d.len))
        emitState(sock, before, *s, absNs, d.index);
}

void EventBuilder::resolveDeferred(int sock, const RawPacket *sent, bool before)
{
    auto it = m_deferred.find(sock);
    if (it == m_deferred.end())
        return;
    std::vector<DeferredReceive> keep;
    bool stopped = false; // FIFO: after the first segment our own send does not acknowledge, the rest wait too
    for (const auto &d : it->second) {
        // Sequence space the deferred segment occupies: its data, plus one for SYN and one for FIN.
        std::uint32_t end = d.seq + d.len + ((d.flags & kSyn) ? 1 : 0) +
                            ((d.flags & static_cast<std::uint8_t>(SegmentFlag::Fin)) ? 1 : 0);
        bool acked = sent && (sent->flags & kAck) && static_cast<std::int32_t>(sent->ack - end) >= 0;
        if (!sent)
            applyReceive(sock, d, d.tNs); // the call returned first: it was processed at its own time
        else if (before && acked && !stopped)
            applyReceive(sock, d, d.tNs); // the socket acknowledged it, so it had processed it
        else if (!before)
            applyReceive(sock, d, sent->tNs); // processed after our own segment, when the lock was released
        else {
            stopped = true;
            keep.push_back(d);
        }
    }
    if (keep.empty())
        m_deferred.erase(it);
    else
        it->second = std::move(keep);
}

void EventBuilder::updateQueues(int sock, std::int64_t recvQ, std::int64_t sendQ, std::int64_t absNs)
{
    Sock &s = m_socks[sock];
    if (s.role == "listen" || (s.recvQ == recvQ && s.sendQ == sendQ))
        return;
    s.recvQ = recvQ;
    s.sendQ = sendQ;
    emit(absNs, QueueInfo{s.name, recvQ, sendQ});
}

void EventBuilder::onFdSnapshot(int fd, const FdSnapshot &snap, std::int64_t t0, std::int64_t t1)
{
    auto it = m_fdSock.find(fd);
    if (it == m_fdSock.end())
        return;
    int sock = it->second;
    learnAddresses(sock, snap, t0);
    if (snap.kernelState < 0)
        return;
    if (auto st = stateFromKernel(snap.kernelState))
        m_kernelObs.push_back({sock, t0, t1, *st, true});
    updateQueues(sock, snap.recvQ, snap.sendQ, t0);
}

void EventBuilder::onDiag(const DiagRecord &rec)
{
    for (const auto &d : rec.sockets) {
        int sock = -1;
        if (d.cookie) {
            for (int i = static_cast<int>(m_socks.size()) - 1; i >= 0 && sock < 0; --i)
                if (m_socks[i].cookie == d.cookie)
                    sock = i;
        }
        if (sock < 0 && d.state != TcpState::Listen)
            sock = sockByTuple(d.local, d.remote);
        if (sock < 0 && d.state == TcpState::Listen)
            for (int i = static_cast<int>(m_socks.size()) - 1; i >= 0 && sock < 0; --i)
                if (m_socks[i].role == "listen" && m_socks[i].local == d.local)
                    sock = i;
        if (sock < 0)
            continue; // not one of the scenario's sockets (host mode sees the whole machine)
        m_kernelObs.push_back({sock, rec.t0Ns, rec.t1Ns, d.state, false});
        if (d.state != TcpState::Listen && d.state != TcpState::SynReceived)
            updateQueues(sock, d.recvQ, d.sendQ, rec.t0Ns);
    }
}

void EventBuilder::evaluateKernel(const KernelObservation &obs)
{
    Sock &s = m_socks[obs.sock];
    // Every derived state the socket was in during the snapshot's window, widened by the tolerance.
    std::vector<TcpState> allowed;
    TcpState atStart = s.history.front().second;
    for (const auto &[t, st] : s.history) {
        if (t <= obs.t0 - kKernelToleranceNs)
            atStart = st;
        else if (t <= obs.t1 + kKernelToleranceNs)
            allowed.push_back(st);
    }
    allowed.push_back(atStart);
    auto has = [&](TcpState st) { return std::find(allowed.begin(), allowed.end(), st) != allowed.end(); };
    bool consistent = !m_capture || has(obs.state);
    // The fd of a connection in TIME_WAIT reads CLOSE: the full socket is gone, a minisocket took over.
    if (obs.state == TcpState::Closed && obs.fromFd && has(TcpState::TimeWait))
        consistent = true;
    // Linux passes FIN_WAIT_2 for an instant on the way from FIN_WAIT_1 to TIME_WAIT.
    if (obs.state == TcpState::FinWait2 && has(TcpState::FinWait1) && has(TcpState::TimeWait))
        consistent = true;
    // Before accept() the kernel's view is of a socket we only know through its segments: nothing to add.
    if (s.kernelSeen && s.kernelState == obs.state && s.kernelConflict == !consistent)
        return;
    TcpState derivedNow = atStart;
    for (const auto &[t, st] : s.history)
        if (t <= obs.t0)
            derivedNow = st;
    StateInfo info{
        s.name,    s.kernelSeen ? s.kernelState : TcpState::Closed, obs.state, StateSource::Kernel, -1, !consistent,
        derivedNow};
    const bool news = info.from != info.to || !consistent || (s.kernelSeen && s.kernelConflict);
    s.kernelSeen = true;
    s.kernelState = obs.state;
    s.kernelConflict = !consistent;
    if (!consistent)
        ++m_conflicts;
    if (news)                          // a socket first seen CLOSED (just created) says nothing new
        emit(obs.t1, std::move(info)); // seen by the end of the snapshot: never before its cause
}

void EventBuilder::check(const Step &step, const std::string &got, bool ok, std::int64_t absNs)
{
    if (!step.expect || m_checkedSteps.count(step.index))
        return;
    m_checkedSteps.insert(step.index);
    if (!ok)
        m_checksOk = false;
    emit(absNs, CheckInfo{step.index, step.expect->text, got, ok});
}

void EventBuilder::flushOutput()
{
    std::vector<size_t> order(m_out.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return m_out[a].tNs < m_out[b].tNs; });
    std::vector<std::int64_t> finalN(m_out.size());
    for (size_t pos = 0; pos < order.size(); ++pos)
        finalN[order[pos]] = m_nextN + static_cast<std::int64_t>(pos);
    for (size_t local : order) {
        Event e = std::move(m_out[local]);
        e.n = finalN[local];
        e.tNs = std::max(e.tNs, m_lastRelNs);
        m_lastRelNs = e.tNs;
        if (auto *st = e.as<StateInfo>(); st && st->cause >= 0)
            st->cause = finalN[static_cast<size_t>(st->cause)];
        m_sink(std::move(e));
    }
    m_nextN += static_cast<std::int64_t>(order.size());
    m_out.clear();
}

void EventBuilder::finish(EndInfo end)
{
    std::int64_t t = m_startNs + m_lastRelNs;
    for (const auto &[id, pc] : m_calls) {
        const Step &step = m_scenario.steps[pc.step];
        bool expectBlocked = step.expect && step.expect->kind == Expectation::Kind::Blocked;
        check(step, expectBlocked ? "blocked" : "blocked (never returned)", expectBlocked, t);
    }
    flushOutput();
    end.ok = end.ok && m_checksOk && end.error.empty();
    m_sink(Event{m_nextN++, std::max(m_lastRelNs, end.durationNs), std::move(end)});
}

} // namespace sockscope::core
