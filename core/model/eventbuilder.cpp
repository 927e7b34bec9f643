// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/eventbuilder.h"

#include "core/model/callargs.h"
#include "core/scenario/stepgroups.h"

#include <algorithm>
#include <cassert>

namespace sockscope::core {

namespace {
constexpr size_t kLookahead = 400;

std::string hexText(const std::vector<std::uint8_t> &bytes)
{
    static const char *hex = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (std::uint8_t b : bytes) {
        out += hex[b >> 4];
        out += hex[b & 15];
    }
    return out;
}
} // namespace

EventBuilder::EventBuilder(const Scenario &scenario, RunInfo run, Sink sink,
                           const std::map<std::uint16_t, std::uint16_t> *portMap)
    : m_scenario(scenario), m_netns(run.isolation == "netns"), m_portMap(portMap), m_out(run.startNs, std::move(sink)),
      m_ids(scenario),
      m_states(run.capture, [this](int sock, TcpState from, TcpState to, std::int64_t absNs, long cause) {
          m_out.add(absNs, StateInfo{m_ids.name(sock), from, to, StateSource::Derived, cause, false, TcpState::Closed});
          m_batchLastNs = std::max(m_batchLastNs, absNs);
      })
{
    m_out.sendNow(0, std::move(run));
}

void EventBuilder::track([[maybe_unused]] int sock, std::int64_t absNs, TcpState initial)
{
    [[maybe_unused]] int tracked = m_states.add(initial, absNs);
    assert(tracked == sock);
    m_queues.emplace_back(-1, -1);
}

int EventBuilder::newSock(const std::string &actor, SocketRole role, std::int64_t absNs, TcpState initial)
{
    int sock = m_ids.add(actor, role);
    track(sock, absNs, initial);
    return sock;
}

void EventBuilder::emitSocket(int sock, std::int64_t absNs)
{
    const SocketId &s = m_ids.at(sock);
    m_out.add(absNs, SocketInfo{s.name, s.actor, std::string(socketRoleName(s.role)), s.fd, s.local, s.remote});
}

void EventBuilder::emitCheck(const Step &step, const CheckOutcome &outcome, std::int64_t absNs)
{
    if (auto info = m_checks.check(step, outcome))
        m_out.add(absNs, std::move(*info));
}

void EventBuilder::learnAddresses(int sock, const FdSnapshot &snap, std::int64_t absNs)
{
    if (m_ids.learn(sock, snap))
        emitSocket(sock, absNs);
}

int EventBuilder::resolveEndpoint(const std::string &local, const std::string &remote,
                                  const std::vector<BatchItem> &items, size_t pos)
{
    if (int s = m_ids.byTuple(local, remote); s >= 0)
        return s;
    // The socket's own address may only be read after the call that sent this segment returned (a connect's
    // SYN leaves inside connect()): look for that snapshot further on in the batch, among the snapshots that
    // show the segment's source port (however many other fds were read between: a step snapshots every fd).
    const auto candidates = m_fdItemsByPort.find(endpointPort(local));
    if (candidates == m_fdItemsByPort.end())
        return -1;
    const std::vector<size_t> &at = candidates->second;
    for (auto j = std::upper_bound(at.begin(), at.end(), pos); j != at.end(); ++j) {
        const FdRecord &r = m_batchFds->at(items[*j].index);
        if (int s = m_ids.matchSnapshot(local, remote, r.fd, r.snap); s >= 0) {
            learnAddresses(s, FdSnapshot{-1, 0, local, remote, 0, 0}, items[pos].tNs);
            return s;
        }
    }
    return -1;
}

bool EventBuilder::answeredLater(const std::string &src, const std::string &dst, const std::vector<BatchItem> &items,
                                 size_t pos) const
{
    for (size_t j = pos + 1; j < items.size() && j < pos + kLookahead; ++j) {
        if (items[j].kind != BatchItem::Kind::Packet)
            continue;
        const RawPacket &q = m_batchPackets->at(items[j].index);
        if ((q.flags & (kTcpSyn | kTcpAck)) == (kTcpSyn | kTcpAck) && endpointText(q.srcIp, q.srcPort, q.v6) == dst &&
            endpointText(q.dstIp, q.dstPort, q.v6) == src)
            return true;
    }
    return false;
}

void EventBuilder::addBatch(RawBatch &&batch, std::vector<RawPacket> &&packets)
{
    const std::vector<BatchItem> items = mergeBatch(batch, packets);
    m_batchFds = &batch.fds;
    m_batchPackets = &packets;
    m_fdItemsByPort.clear();
    for (size_t i = 0; i < items.size(); ++i)
        if (items[i].kind == BatchItem::Kind::Fd)
            m_fdItemsByPort[endpointPort(batch.fds[items[i].index].snap.local)].push_back(i);
    for (size_t i = 0; i < items.size(); ++i) {
        const BatchItem &it = items[i];
        switch (it.kind) {
        case BatchItem::Kind::Step:
            onStep(batch.steps[it.index]);
            break;
        case BatchItem::Kind::Enter:
            onEnter(batch.enters[it.index]);
            break;
        case BatchItem::Kind::Packet:
            onPacket(packets[it.index], items, i);
            break;
        case BatchItem::Kind::Exit:
            onExit(batch.exits[it.index]);
            break;
        case BatchItem::Kind::Fd: {
            const FdRecord &r = batch.fds[it.index];
            onFdSnapshot(r.fd, r.snap, r.tNs, std::max(r.tNs, r.t1Ns));
            break;
        }
        case BatchItem::Kind::Diag:
            onDiag(batch.diags[it.index]);
            break;
        }
    }
    m_batchFds = nullptr;
    m_batchPackets = nullptr;
    m_fdItemsByPort.clear();
    m_states.applyDeferred();
    // A timer's work (a timeout, an expired TIME_WAIT) is learnt from the snapshots: judged before the '~' lines.
    const std::vector<KernelVerdict> verdicts = m_states.judgeObservations();
    checkWireExpectations(m_batchLastNs);
    for (const KernelVerdict &v : verdicts)
        m_out.add(v.tNs, StateInfo{m_ids.name(v.sock), v.from, v.to, StateSource::Kernel, -1, v.conflict, v.derived});
    m_out.flush();
}

void EventBuilder::checkWireExpectations(std::int64_t absNs)
{
    auto stateOf = [this](const std::string &name) -> std::optional<TcpState> {
        for (int i = 0; i < m_ids.count(); ++i)
            if (m_ids.name(i) == name)
                return m_states.state(i);
        return std::nullopt;
    };
    for (int step : m_batchSteps)
        for (const auto &x : m_scenario.steps[step].wireExpects) {
            const CheckOutcome outcome = judgeWireExpectation(x, m_batchSegments, m_batchTimers, stateOf);
            m_wireOk = m_wireOk && outcome.ok;
            m_out.add(absNs, CheckInfo{step, "~ " + x.text, outcome.got, outcome.ok});
        }
    m_batchSteps.clear();
    m_batchSegments.clear();
    m_batchTimers.clear();
}

void EventBuilder::onStep(const StepMark &mark)
{
    const Step &s = m_scenario.steps[mark.step];
    m_out.add(mark.tNs, StepInfo{s.index, s.actor, s.text, s.line, s.note});
    if (mark.skipped && s.expect)
        emitCheck(s, CheckOutcome{"not run: " + s.actor + " had died (SIGPIPE)", false}, mark.tNs);
    m_batchSteps.push_back(mark.step);
    m_batchLastNs = std::max(m_batchLastNs, mark.tNs);
    // A call of an earlier group still in the kernel as this step starts meets its `= blocked`.
    for (const auto &[id, pc] : m_calls) {
        const Step &waiting = m_scenario.steps[pc.step];
        if (waiting.expect && waiting.expect->kind == Expectation::Kind::Blocked &&
            stepGroupLast(m_scenario.steps, static_cast<size_t>(pc.step)) < static_cast<size_t>(mark.step))
            emitCheck(waiting, judgeNeverReturned(*waiting.expect), mark.tNs);
    }
}

void EventBuilder::onEnter(const CallEnter &enter)
{
    const Step &step = *enter.step;
    int sock = m_ids.byFd(enter.fd);
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
    if (step.call == Call::Exit) {
        // The process's other calls end with it (SIGKILL in a blocked call): they never return.
        for (auto it = m_calls.begin(); it != m_calls.end();)
            if (it->second.call && it->second.call->actor == step.actor && it->first != enter.id) {
                m_states.callReturned(it->first, it->second.sock, false, enter.tNs);
                if (const Step &killed = *it->second.call; killed.expect) // `= blocked` is met, any other not
                    emitCheck(killed, judgeNeverReturned(*killed.expect), enter.tNs);
                it = m_calls.erase(it);
            } else {
                ++it;
            }
        std::string fds;
        for (int fd : enter.fds)
            fds += (fds.empty() ? "" : " ") + std::to_string(fd);
        args.push_back({"fds", fds, false});
    }
    // A close() of one of several descriptors, or of one another thread's call still holds, releases nothing.
    const bool releases = step.call != Call::Close || lastReference(sock, 1, enter.id);
    PendingCall &pending = m_calls[enter.id] = PendingCall{enter.tNs, step.index, sock, &step};
    m_states.callEntered(enter.id, releases ? sock : -1, step.call, enter.tNs);
    if (step.call == Call::Connect && !step.addr.unspec && sock >= 0 && m_states.state(sock) == TcpState::Closed) {
        // getpeername() fails in SYN_SENT, so the peer comes from the call itself. Only a closed socket starts
        // a new attempt (a refused one may be tried again, elsewhere, and a listener shut down may connect); on
        // any other the call fails and changes nothing.
        for (const auto &a : args)
            if (a.key == "addr" && a.value != m_ids.at(sock).remote) {
                pending.retargeted = true;
                pending.oldLocal = m_ids.at(sock).local;
                pending.oldRemote = m_ids.at(sock).remote;
                pending.tookFrom = m_ids.byTuple(m_ids.at(sock).local, a.value);
                m_ids.setTuple(sock, m_ids.at(sock).local, a.value);
                // A bound client's snapshot after connect() shows nothing new: name its peer now.
                if (!m_ids.at(sock).local.empty())
                    emitSocket(sock, enter.tNs);
            }
    }
    long idx = static_cast<long>(
        m_out.add(enter.tNs, SyscallInfo{enter.id, step.index, step.actor, std::string(callName(step.call)), enter.fd,
                                         m_ids.name(sock), std::move(args)}));
    const bool sendsFin = step.call == Call::Close ||
                          (step.call == Call::Shutdown && (step.option == "SHUT_WR" || step.option == "SHUT_RDWR"));
    if (sendsFin && sock >= 0 && releases)
        m_states.finCallEntered(enter.id, sock, enter.tNs, idx);
    if (step.call == Call::Exit) {
        // The kernel closes the fds one by one, in the list's order: a socket is released with the last of its
        // fds in the list, after the sockets released before it (one of which may linger).
        std::map<int, int> closing; // sock -> its fds in the list
        for (int fd : enter.fds)
            if (int s = m_ids.byFd(fd); s >= 0)
                ++closing[s];
        std::map<int, int> seen;
        bool behindOthers = false;
        for (int fd : enter.fds)
            if (int s = m_ids.byFd(fd); s >= 0 && ++seen[s] == closing[s] && lastReference(s, closing[s], enter.id)) {
                m_states.callEntered(enter.id, s, step.call, enter.tNs);
                m_states.finCallEntered(enter.id, s, enter.tNs, idx, behindOthers);
                behindOthers = true;
            }
    }
}

bool EventBuilder::callInProgress(int sock, std::int64_t exceptId) const
{
    for (const auto &[id, pc] : m_calls)
        if (id != exceptId && pc.sock == sock && pc.call && pc.call->call != Call::Exit)
            return true;
    return false;
}

bool EventBuilder::lastReference(int sock, int closing, std::int64_t callId) const
{
    // A blocked recv(), accept(), poll()... holds a reference to the file: close() from another thread only
    // frees the descriptor number, and the socket lives until that call returns.
    return sock >= 0 && m_ids.fdCount(sock) <= closing && !callInProgress(sock, callId);
}

void EventBuilder::descriptorClosed(int sock, int fd, std::int64_t absNs, long cause)
{
    m_ids.detachFd(sock, fd);
    if (m_ids.fdCount(sock) == 0) {
        if (callInProgress(sock, -1))
            m_releaseWhenIdle.insert(sock);
        else
            m_states.call(sock, MachineCall::Close, absNs, cause);
    }
    emitSocket(sock, absNs);
}

void EventBuilder::releaseIfIdle(int sock, std::int64_t absNs, long cause)
{
    if (sock < 0 || !m_releaseWhenIdle.contains(sock) || callInProgress(sock, -1) || m_ids.fdCount(sock) > 0)
        return;
    // The last call holding the file returned: the kernel released the socket on the way out (__fput), as close()
    // would have: a FIN, or a RST when data was left unread.
    m_releaseWhenIdle.erase(sock);
    m_states.call(sock, MachineCall::FinQueued, absNs, cause);
    m_states.call(sock, MachineCall::Close, absNs, cause);
}

void EventBuilder::onExitCall(const CallExit &exit, long retIdx)
{
    std::set<int> socks;
    for (int fd : exit.closedFds)
        if (int s = m_ids.byFd(fd); s >= 0)
            socks.insert(s);
    for (int s : socks)
        m_states.callReturned(exit.id, s, true, exit.tNs);
    if (socks.empty())
        m_states.callReturned(exit.id, -1, true, exit.tNs);
    for (int fd : exit.closedFds)
        if (int s = m_ids.byFd(fd); s >= 0)
            descriptorClosed(s, fd, exit.tNs, retIdx);
}

void EventBuilder::onExit(const CallExit &exit)
{
    auto it = m_calls.find(exit.id);
    if (it == m_calls.end())
        return;
    PendingCall pc = it->second;
    m_calls.erase(it);
    const Step &step = *pc.call;
    std::string err = exit.ret < 0 ? errnoName(exit.err) : std::string();
    long retIdx =
        static_cast<long>(m_out.add(exit.tNs, ReturnInfo{exit.id, exit.ret, err, exit.tNs - pc.tNs, exit.data}));
    if (exit.sigpipe)
        m_out.add(exit.tNs, SignalInfo{step.actor, "SIGPIPE", exit.id});
    if (exit.sent)
        m_out.add(exit.sent->tNs, SignalInfo{exit.sent->actor, exit.sent->signal, exit.sent->during});

    int sock = pc.sock;
    if (step.call == Call::Exit) {
        onExitCall(exit, retIdx);
        if (step.expect)
            emitCheck(step, judgeReturn(*step.expect, ObservedResult{exit.ret, err, exit.data, false}), exit.tNs);
        return;
    }
    m_states.callReturned(exit.id, sock, exit.ret == 0, exit.tNs);
    if (err == "ETIMEDOUT" && sock >= 0)
        m_states.timedOut(sock, pc.tNs, exit.tNs, retIdx);
    releaseIfIdle(sock, exit.tNs, retIdx);
    if (pc.retargeted && exit.ret < 0 && sock >= 0 && m_states.history(sock).back().first < pc.tNs) {
        // The connect() failed before a SYN left: it changed nothing, so neither its addresses.
        m_ids.setTuple(sock, pc.oldLocal, pc.oldRemote);
        if (pc.tookFrom >= 0 && pc.tookFrom != sock)
            m_ids.setTuple(pc.tookFrom, m_ids.at(pc.tookFrom).local, m_ids.at(pc.tookFrom).remote);
        if (!pc.oldLocal.empty())
            emitSocket(sock, exit.tNs);
    }
    if (step.call == Call::Socket && exit.newFd >= 0) {
        sock = m_ids.addCreated(step, exit.newFd);
        track(sock, exit.tNs, TcpState::Closed);
        emitSocket(sock, exit.tNs);
    } else if (isAccept(step.call) && exit.newFd >= 0) {
        int child = m_ids.acceptedChild(step.actor, exit.newFdAfter);
        if (child < 0) {
            // Without capture the child was never seen arriving: it starts here, in the state the kernel reports.
            TcpState initial = stateFromKernel(exit.newFdAfter.kernelState).value_or(TcpState::Established);
            child = newSock(step.actor, SocketRole::Accepted, exit.tNs, initial);
            m_ids.setTuple(child, exit.newFdAfter.local, exit.newFdAfter.remote);
        }
        m_ids.attachFd(child, exit.newFd);
        m_ids.setCookie(child, exit.newFdAfter.cookie);
        emitSocket(child, exit.tNs);
        onFdSnapshot(exit.newFd, exit.newFdAfter, exit.tNs, exit.snapNs);
    } else if (step.call == Call::Listen && exit.ret == 0 && sock >= 0) {
        // The sampler's dumps run while the call does: one may see LISTEN before the return is stamped.
        m_states.callChangedDuring(sock, MachineCall::Listen, pc.tNs, exit.tNs, retIdx);
    } else if (step.call == Call::Shutdown && exit.ret == 0 && sock >= 0) {
        m_states.call(sock, step.option == "SHUT_WR" ? MachineCall::ShutdownWrite : MachineCall::ShutdownRead, exit.tNs,
                      retIdx);
    } else if (step.call == Call::Setsockopt && step.option == "SO_KEEPALIVE" && exit.ret == 0 && sock >= 0) {
        m_states.keepalive(sock, step.number != 0);
    } else if (step.call == Call::Setsockopt && step.option == "TCP_DEFER_ACCEPT" && exit.ret == 0 && sock >= 0) {
        if (step.number > 0)
            m_deferAccept.insert(sock);
        else
            m_deferAccept.erase(sock);
    } else if (step.call == Call::Connect && step.addr.unspec && exit.ret == 0 && sock >= 0) {
        m_states.call(sock, MachineCall::Disconnect, exit.tNs, retIdx);
    } else if (step.call == Call::Close && exit.ret == 0 && sock >= 0) {
        descriptorClosed(sock, exit.fd, exit.tNs, retIdx);
    } else if (step.call == Call::Dup && exit.newFd >= 0 && sock >= 0) {
        m_ids.attachFd(sock, exit.newFd); // one socket, one more descriptor: identity stays with the socket
        emitSocket(sock, exit.tNs);
    }

    if (step.expect)
        emitCheck(step, judgeReturn(*step.expect, ObservedResult{exit.ret, err, exit.data, exit.sigpipe}), exit.tNs);
}

void EventBuilder::onPacket(const RawPacket &p, const std::vector<BatchItem> &items, size_t pos)
{
    const std::string src = endpointText(p.srcIp, p.srcPort, p.v6);
    const std::string dst = endpointText(p.dstIp, p.dstPort, p.v6);
    const bool syn = p.flags & kTcpSyn;
    const bool ack = p.flags & kTcpAck;
    if (syn)
        m_seq.sawSyn(src, dst, p.seq);

    int from = resolveEndpoint(src, dst, items, pos);
    int to = resolveEndpoint(dst, src, items, pos);
    auto listening = [this](int sock) { return m_states.state(sock) == TcpState::Listen; };
    // On the host's loopback the ring sees every program's traffic: keep only the scenario's own.
    if (!m_netns && from < 0 && to < 0 && m_ids.listenerFor(dst, listening) < 0)
        return;
    bool spawned = false;
    int spawnedBy = -1; // the listener
    // A SYN on the 4-tuple of a connection that ended (or waits in TIME_WAIT) is a new connection for the
    // listener: a new socket, never the old one revived.
    const bool ended = to >= 0 &&
                       (m_states.state(to) == TcpState::Closed || m_states.state(to) == TcpState::TimeWait) &&
                       m_ids.at(to).role != SocketRole::Listen;
    if ((to < 0 || ended) && syn && !ack) {
        if (int l = m_ids.listenerFor(dst, listening); l >= 0) {
            // A listener spawns a connection only when it answers; a SYN dropped on a full backlog spawns none.
            // A dropped SYN never reached the listener: the retransmission that gets through spawns the socket.
            if (!p.dropped && answeredLater(src, dst, items, pos)) {
                to = newSock(m_ids.at(l).actor, SocketRole::Accepted, p.tNs, TcpState::Listen);
                spawnedBy = l;
                m_ids.setTuple(to, dst, src);
                emitSocket(to, p.tNs);
                spawned = true;
            } else if (to < 0) {
                to = l;
            }
        }
    }

    PacketInfo info;
    info.from = m_ids.name(from);
    info.to = m_ids.name(to);
    info.src = src;
    info.dst = dst;
    info.flags = p.flags;
    info.seq = m_seq.seq(src, dst, p.seq);
    info.ack = ack ? m_seq.ack(src, dst, p.ack) : 0;
    info.len = p.payloadLen;
    info.win = p.window;
    info.hdr = hexText(p.headers);
    info.payload = hexText(p.payload);
    info.dropped = p.dropped;
    const auto retx = m_retransmits.see(src, dst, p.seq, syn || (p.flags & kTcpFin) || p.payloadLen > 0, p.tNs);
    info.retx = retx.count;
    info.retxNs = retx.sinceNs;
    m_batchSegments.push_back(
        {from >= 0 ? m_ids.at(from).actor : "", to >= 0 ? m_ids.at(to).actor : "", p.flags, p.dropped});
    m_batchLastNs = std::max(m_batchLastNs, p.tNs);
    long idx = static_cast<long>(m_out.add(p.tNs, std::move(info)));

    if (syn && !ack && from >= 0 && m_states.state(from) == TcpState::Closed)
        endTakenTuple(from, p.tNs, idx);
    const Segment seg{p.flags, p.seq, p.ack, p.payloadLen};
    // A socket connected to itself sends and receives each of its segments.
    if (from >= 0)
        m_states.sent(from, seg, p.tNs, idx);
    if (p.dropped) // it never arrived: the receiver's state does not move
        return;
    if (to >= 0 && m_states.state(to) != TcpState::Listen)
        m_states.received(to, seg, p.tNs, idx);
    else if (spawned)
        m_states.startPassive(to, p.tNs, idx, m_deferAccept.contains(spawnedBy));
}

void EventBuilder::endTakenTuple(int sock, std::int64_t absNs, long cause)
{
    for (const auto &[id, pc] : m_calls)
        if (pc.sock == sock && pc.tookFrom >= 0 && pc.tookFrom != sock && m_ids.at(pc.tookFrom).fd < 0)
            m_states.call(pc.tookFrom, MachineCall::TupleTaken, absNs, cause);
}

void EventBuilder::updateQueues(int sock, std::int64_t recvQ, std::int64_t sendQ, std::int64_t absNs)
{
    auto &shown = m_queues[sock];
    if (m_ids.at(sock).role == SocketRole::Listen || shown == std::make_pair(recvQ, sendQ))
        return;
    shown = {recvQ, sendQ};
    m_out.add(absNs, QueueInfo{m_ids.name(sock), recvQ, sendQ});
}

void EventBuilder::onFdSnapshot(int fd, const FdSnapshot &snap, std::int64_t t0, std::int64_t t1)
{
    int sock = m_ids.byFd(fd);
    if (sock < 0)
        return;
    learnAddresses(sock, snap, t0);
    if (snap.kernelState < 0)
        return;
    if (auto st = stateFromKernel(snap.kernelState))
        m_states.observe({sock, t0, t1, *st, true});
    updateQueues(sock, snap.recvQ, snap.sendQ, t0);
}

void EventBuilder::onDiag(const DiagRecord &rec)
{
    std::set<int> listed;
    for (const auto &d : rec.sockets) {
        int sock = m_ids.forDiag(d);
        if (sock < 0)
            continue; // not one of the scenario's sockets (host mode sees the whole machine)
        listed.insert(sock);
        m_states.observe({sock, rec.t0Ns, rec.t1Ns, d.state, false});
        if (d.state != TcpState::Listen && d.state != TcpState::SynReceived)
            updateQueues(sock, d.recvQ, d.sendQ, rec.t0Ns);
        // Stamped at the dump's end, never before what caused it (a FIN the dump saw processed).
        if (std::optional<TimerInfo> timer = m_timers.see(static_cast<std::uint64_t>(sock), timerSample(rec, d))) {
            timer->sock = m_ids.name(sock);
            m_batchTimers.push_back({timer->sock, timer->change});
            m_out.add(rec.t1Ns, std::move(*timer));
        }
    }
    if (!rec.complete)
        return;
    // Gone from the kernel's tables since the last dump: the tracker tells a timer's work from the rest.
    for (int sock : m_listed)
        if (!listed.contains(sock))
            m_states.observe({sock, rec.t0Ns, rec.t1Ns, TcpState::Closed, false, true});
    m_listed = std::move(listed);
}

void EventBuilder::finish(EndInfo end)
{
    std::int64_t t = m_out.startNs() + m_out.lastRelNs();
    for (const auto &[id, pc] : m_calls) {
        const Step &step = m_scenario.steps[pc.step];
        if (step.expect)
            emitCheck(step, judgeNeverReturned(*step.expect), t);
    }
    m_out.flush();
    end.ok = end.ok && m_checks.allOk() && m_wireOk && end.error.empty();
    m_out.sendNow(std::max(m_out.lastRelNs(), end.durationNs), std::move(end));
}

} // namespace sockscope::core
