// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/statetracker.h"

#include <algorithm>
#include <limits>

namespace sockscope::core {

namespace {
// A kernel snapshot agrees with the derived model if the model was in that state within this much of the
// snapshot: a segment's stamp and the state change it causes are microseconds apart.
constexpr std::int64_t kKernelToleranceNs = 1000000;
// A received segment is stamped when loopback queues it for the receive softirq (netdev_tstamp_prequeue, a
// host-wide setting), not when TCP processes it. On a loaded machine the softirq can run milliseconds later
// (6 ms seen under `ctest -j2`), so until the socket shows it processed the segment (its acknowledgement of it,
// or a snapshot of the state it led to), the state before it stays possible for at most this long.
constexpr std::int64_t kProcessingDelayNs = 50000000;

// Sequence space a segment occupies: its data, plus one for SYN and one for FIN.
std::uint32_t sequenceEnd(const Segment &seg)
{
    return seg.seq + seg.len + ((seg.flags & kTcpSyn) ? 1 : 0) + ((seg.flags & kTcpFin) ? 1 : 0);
}

// Entering TIME_WAIT, or FIN_WAIT_2 with no descriptor left, the kernel hands the connection to a minisocket
// (tcp_time_wait()) and closes the full socket. A RST processed on another CPU at the same time may have looked
// up the full socket before the handover: it then finds it closed and is discarded (tcp_rcv_state_process()'s
// TCP_CLOSE case), and the minisocket lives on.
bool handedToMinisocket(TcpState st, bool orphan)
{
    return st == TcpState::TimeWait || (st == TcpState::FinWait2 && orphan);
}

bool acknowledges(const Segment &sent, std::uint32_t end)
{
    return (sent.flags & kTcpAck) && static_cast<std::int32_t>(sent.ack - end) >= 0;
}
} // namespace

StateTracker::StateTracker(bool capture, Changed changed) : m_capture(capture), m_changed(std::move(changed)) {}

int StateTracker::add(TcpState initial, std::int64_t absNs)
{
    Tracked t;
    t.machine = TcpMachine(initial);
    t.history.emplace_back(absNs, initial);
    m_socks.push_back(std::move(t));
    return static_cast<int>(m_socks.size()) - 1;
}

void StateTracker::record(int sock, TcpState before, std::optional<TcpState> to, std::int64_t absNs, long cause)
{
    if (!to)
        return;
    auto &h = m_socks[sock].history;
    auto at =
        std::upper_bound(h.begin(), h.end(), absNs, [](std::int64_t t, const auto &entry) { return t < entry.first; });
    h.insert(at, {absNs, *to});
    m_changed(sock, before, *to, absNs, cause);
}

void StateTracker::call(int sock, MachineCall call, std::int64_t absNs, long cause)
{
    TcpState before = state(sock);
    if (call == MachineCall::Close)
        m_socks[sock].orphan = true;
    record(sock, before, m_socks[sock].machine.onCall(call), absNs, cause);
}

void StateTracker::callChangedDuring(int sock, MachineCall call, std::int64_t enteredNs, std::int64_t absNs, long cause)
{
    TcpState before = state(sock);
    std::optional<TcpState> to = m_socks[sock].machine.onCall(call);
    if (to && enteredNs < absNs)
        m_socks[sock].stillPossible.push_back({enteredNs, absNs, *to});
    record(sock, before, to, absNs, cause);
}

void StateTracker::startPassive(int sock, std::int64_t absNs, long cause, bool deferAccept)
{
    TcpState before = state(sock);
    m_socks[sock].machine.startPassive(deferAccept);
    record(sock, before, TcpState::SynReceived, absNs, cause);
}

void StateTracker::sent(int sock, const Segment &seg, std::int64_t absNs, long cause)
{
    std::optional<std::int64_t> finCallNs; // the close() or shutdown() that sent this FIN began then
    if (seg.flags & (kTcpFin | kTcpRst))
        std::erase_if(m_finCalls, [&](auto &entry) {
            if (entry.second.sock != sock)
                return false;
            finCallNs = entry.second.tNs;
            if (entry.second.behindOthers && entry.second.possible)
                m_socks[sock].stillPossible[*entry.second.possible].untilNs = absNs;
            return true;
        });
    for (StillPossible &l : m_socks[sock].stillPossible)
        if (l.ackedAt && l.fromNs <= absNs && acknowledges(seg, *l.ackedAt))
            l.untilNs = std::min(l.untilNs, absNs); // our acknowledgement: it was processed by now
    resolve(sock, &seg, absNs, true);
    TcpState before = state(sock);
    std::optional<TcpState> to = m_socks[sock].machine.onSend(seg.flags, seg.seq, seg.ack, seg.len);
    // The call set the new state before it built the FIN; preempted in between (3 ms seen under load), the
    // kernel showed the state the FIN is dated with before the FIN left.
    if (to && finCallNs && (seg.flags & kTcpFin))
        m_socks[sock].stillPossible.push_back({*finCallNs, absNs, *to});
    // connect() likewise sets SYN_SENT before it builds the SYN.
    if (to == TcpState::SynSent)
        for (const auto &[id, lock] : m_locks)
            if (lock.sock == sock && lock.call == Call::Connect && lock.tNs < absNs)
                m_socks[sock].stillPossible.push_back({lock.tNs, absNs, *to});
    record(sock, before, to, absNs, cause);
    m_socks[sock].lastSent = cause;
    resolve(sock, &seg, absNs, false);
}

void StateTracker::received(int sock, const Segment &seg, std::int64_t absNs, long cause)
{
    Deferred d{seg, absNs, cause};
    // The backlog is FIFO: once one segment waits for the lock, every later one waits behind it.
    if (m_deferred.count(sock) || ((seg.flags & (kTcpSyn | kTcpFin)) && lockHeld(sock, absNs)))
        m_deferred[sock].push_back(d);
    else
        apply(sock, d, absNs);
}

void StateTracker::callEntered(std::int64_t callId, int sock, Call call, std::int64_t absNs)
{
    if (sock >= 0 && (call == Call::Close || call == Call::Shutdown || call == Call::Connect || call == Call::Exit))
        m_locks.emplace(callId, LockHolder{sock, absNs, call});
}

void StateTracker::finCallEntered(std::int64_t callId, int sock, std::int64_t absNs, long cause, bool behindOthers)
{
    m_finCalls.emplace(callId, FinCall{sock, absNs, cause, behindOthers});
}

void StateTracker::settleBehindOthers(FinCall &c, std::int64_t absNs)
{
    auto &possible = m_socks[c.sock].stillPossible;
    if (c.possible)
        possible[*c.possible].untilNs = absNs;
    if (c.tNs < absNs)
        possible.push_back({c.tNs, absNs, state(c.sock)});
}

void StateTracker::applyFinQueued(const FinCall &c)
{
    TcpState before = state(c.sock);
    record(c.sock, before, m_socks[c.sock].machine.onCall(MachineCall::FinQueued), c.tNs, c.cause);
}

void StateTracker::callReturned(std::int64_t callId, int sock, bool ok, std::int64_t absNs)
{
    m_locks.erase(callId);
    auto [first, last] = m_finCalls.equal_range(callId);
    for (auto it = first; ok && it != last; ++it) {
        if (it->second.behindOthers)
            settleBehindOthers(it->second, absNs);
        applyFinQueued(it->second); // dated at the call's start, before anything deferred behind it
    }
    m_finCalls.erase(first, last);
    if (sock >= 0)
        resolve(sock, nullptr, 0, false, absNs);
}

void StateTracker::applyDeferred()
{
    // A close() that lingers still blocks: its state changed when it began (its cause is in this batch). The
    // sockets an exit() closes after it are not reached yet, or are: either state stays possible until they are
    // settled.
    for (auto it = m_finCalls.begin(); it != m_finCalls.end();) {
        FinCall &c = it->second;
        if (!c.behindOthers) {
            applyFinQueued(c);
            it = m_finCalls.erase(it);
            continue;
        }
        TcpMachine reached = m_socks[c.sock].machine;
        if (std::optional<TcpState> to = reached.onCall(MachineCall::FinQueued); to && !c.possible) {
            c.possible = m_socks[c.sock].stillPossible.size();
            m_socks[c.sock].stillPossible.push_back({c.tNs, std::numeric_limits<std::int64_t>::max(), *to});
        }
        ++it;
    }
    while (!m_deferred.empty())
        resolve(m_deferred.begin()->first, nullptr, 0, false);
}

bool StateTracker::lockHeld(int sock, std::int64_t absNs) const
{
    for (const auto &[id, holder] : m_locks)
        if (holder.sock == sock && holder.tNs <= absNs)
            return true;
    return false;
}

void StateTracker::apply(int sock, const Deferred &d, std::int64_t absNs, std::int64_t releasedNs)
{
    TcpState before = state(sock);
    std::optional<TcpState> to = m_socks[sock].machine.onReceive(d.seg.flags, d.seg.seq, d.seg.ack, d.seg.len);
    if (to && releasedNs > absNs)
        m_socks[sock].stillPossible.push_back({absNs, releasedNs, before});
    // A RST racing the handover to a minisocket (see handedToMinisocket): while the segment that led there is
    // not proved processed, the RST may be discarded, and the minisocket's state stays possible until a
    // snapshot shows the socket gone.
    if (to && (d.seg.flags & kTcpRst) && handedToMinisocket(before, m_socks[sock].orphan)) {
        auto &open = m_socks[sock].stillPossible;
        for (std::size_t i = open.size(); i-- > 0;)
            if (open[i].after == before && open[i].fromNs <= absNs && open[i].untilNs >= absNs) {
                open.push_back(
                    {absNs, std::numeric_limits<std::int64_t>::max(), before, TcpState::Closed, std::nullopt, i});
                break;
            }
    }
    if (to) {
        const std::uint32_t end = sequenceEnd(d.seg);
        const bool occupies = end != d.seg.seq;
        m_socks[sock].stillPossible.push_back(
            {absNs, absNs + kProcessingDelayNs, before, *to, occupies ? std::optional(end) : std::nullopt});
    }
    record(sock, before, to, absNs, d.cause);
}

void StateTracker::resolve(int sock, const Segment *sent, std::int64_t sentNs, bool before, std::int64_t releasedNs)
{
    auto it = m_deferred.find(sock);
    if (it == m_deferred.end())
        return;
    std::vector<Deferred> waiting = std::move(it->second);
    m_deferred.erase(it);
    std::vector<Deferred> keep;
    bool stopped = false; // FIFO: after the first segment our own send does not acknowledge, the rest wait too
    for (const auto &d : waiting) {
        bool acked = sent && acknowledges(*sent, sequenceEnd(d.seg));
        if (!sent)
            apply(sock, d, d.tNs, releasedNs); // the call returned first: dated at its own time
        else if (before && acked && !stopped)
            apply(sock, d, d.tNs); // the socket acknowledged it, so it had processed it
        else if (!before)
            apply(sock, d, sentNs); // processed after our own segment, when the lock was released
        else {
            stopped = true;
            keep.push_back(d);
        }
    }
    if (!keep.empty())
        m_deferred[sock] = std::move(keep);
}

std::vector<KernelVerdict> StateTracker::judgeObservations()
{
    std::vector<KernelVerdict> out;
    std::stable_sort(m_timeouts.begin(), m_timeouts.end(),
                     [](const Timeout &a, const Timeout &b) { return a.absNs < b.absNs; });
    std::size_t next = 0;
    for (const auto &obs : m_observations) {
        while (next < m_timeouts.size() && m_timeouts[next].absNs < obs.t0Ns)
            applyTimeout(m_timeouts[next++]);
        if (auto v = judge(obs))
            out.push_back(*v);
    }
    while (next < m_timeouts.size())
        applyTimeout(m_timeouts[next++]);
    m_observations.clear();
    m_timeouts.clear();
    return out;
}

void StateTracker::applyTimeout(const Timeout &t)
{
    const TcpState before = state(t.sock);
    const std::optional<TcpState> to = m_socks[t.sock].machine.onCall(MachineCall::TimedOut);
    // The timer fired somewhere inside the call (a blocked recv() is woken by it) or before it.
    if (to && t.enteredNs < t.absNs)
        m_socks[t.sock].stillPossible.push_back({t.enteredNs, t.absNs, *to});
    record(t.sock, before, to, t.absNs, t.cause);
}

bool StateTracker::mayHaveTimedOut(int sock, const KernelObservation &obs) const
{
    return obs.state == TcpState::Closed && m_socks[sock].history.back().first <= obs.t0Ns && timerArmed(sock);
}

bool StateTracker::timerArmed(int sock) const
{
    const Tracked &s = m_socks[sock];
    switch (s.machine.state()) {
    case TcpState::SynSent:
    case TcpState::Established:
    case TcpState::FinWait1:
    case TcpState::CloseWait:
    case TcpState::Closing:
    case TcpState::LastAck:
        return s.machine.outstanding() || s.keepalive;
    default:
        return false;
    }
}

void StateTracker::timerExpired(int sock, std::int64_t absNs)
{
    record(sock, state(sock), m_socks[sock].machine.onCall(MachineCall::TimedOut), absNs, m_socks[sock].lastSent);
}

void StateTracker::judgeVanished(const KernelObservation &obs)
{
    Tracked &s = m_socks[obs.sock];
    if (s.history.back().first > obs.t0Ns)
        return; // the model has moved on since (a RST, a new connection on the tuple): nothing to learn
    const TcpState before = s.machine.state();
    if (before == TcpState::TimeWait || before == TcpState::FinWait2)
        record(obs.sock, before, s.machine.onCall(MachineCall::Expired), obs.t0Ns, -1);
    else if (timerArmed(obs.sock))
        timerExpired(obs.sock, obs.t0Ns);
}

std::optional<KernelVerdict> StateTracker::judge(const KernelObservation &obs)
{
    if (obs.vanished) {
        judgeVanished(obs);
        return std::nullopt;
    }
    Tracked &s = m_socks[obs.sock];
    // Every derived state the socket was in during the snapshot's window, widened by the tolerance.
    std::vector<TcpState> allowed;
    TcpState atStart = s.history.front().second;
    for (const auto &[t, st] : s.history) {
        if (t <= obs.t0Ns - kKernelToleranceNs)
            atStart = st;
        else if (t <= obs.t1Ns + kKernelToleranceNs)
            allowed.push_back(st);
    }
    // Entered during the snapshot (before the state it started in joins the list).
    const bool enteredTimeWait = std::find(allowed.begin(), allowed.end(), TcpState::TimeWait) != allowed.end();
    const bool enteredFinWait2 = std::find(allowed.begin(), allowed.end(), TcpState::FinWait2) != allowed.end();
    allowed.push_back(atStart);
    auto during = [&](const StillPossible &l) {
        return l.fromNs <= obs.t1Ns + kKernelToleranceNs && l.untilNs >= obs.t0Ns - kKernelToleranceNs;
    };
    for (const StillPossible &l : s.stillPossible)
        if (!l.racedHandover && during(l))
            allowed.push_back(l.state);
    auto has = [&](TcpState st) { return std::find(allowed.begin(), allowed.end(), st) != allowed.end(); };
    // When a connection enters TIME_WAIT (or an orphan FIN_WAIT_2) a minisocket takes the full socket's place
    // and the full socket ends in CLOSE. Its fd reads CLOSE from then on, and a sock_diag dump that picked
    // the full socket just before the handover reports it CLOSE. Both describe the minisocket's state, which
    // sock_diag lists next, so they are reported as that state and never flap.
    TcpState seen = obs.state;
    if (obs.state == TcpState::Closed && obs.fromFd && has(TcpState::TimeWait))
        seen = TcpState::TimeWait;
    else if (obs.state == TcpState::Closed && !obs.fromFd && (enteredTimeWait || enteredFinWait2))
        seen = enteredTimeWait ? TcpState::TimeWait : TcpState::FinWait2;
    // A minisocket that may have outlived a racing RST makes a snapshot of it consistent, but says nothing of
    // what a CLOSE read means (above): with the RST processed, CLOSE is exactly what the kernel shows.
    for (const StillPossible &l : s.stillPossible)
        if (l.racedHandover && s.stillPossible[*l.racedHandover].untilNs >= l.fromNs && during(l))
            allowed.push_back(l.state);
    bool consistent = !m_capture || has(seen);
    if (!consistent && mayHaveTimedOut(obs.sock, obs)) {
        // The timer's expiry, seen only here: the derived state follows the kernel, dated at the snapshot.
        timerExpired(obs.sock, obs.t0Ns);
        consistent = true;
        allowed.push_back(TcpState::Closed);
    }
    // The kernel showed where a received segment led: it was processed by the end of this snapshot.
    for (StillPossible &l : s.stillPossible)
        if (l.after == seen && l.fromNs <= obs.t0Ns)
            l.untilNs = std::min(l.untilNs, obs.t1Ns);
    // Linux passes FIN_WAIT_2 for an instant on the way from FIN_WAIT_1 to TIME_WAIT.
    if (seen == TcpState::FinWait2 && has(TcpState::FinWait1) && has(TcpState::TimeWait))
        consistent = true;
    if (s.kernelSeen && s.kernelState == seen && s.kernelConflict == !consistent)
        return std::nullopt;
    TcpState derivedNow = atStart;
    for (const auto &[t, st] : s.history)
        if (t <= obs.t0Ns)
            derivedNow = st;
    KernelVerdict v{obs.sock, obs.t1Ns, s.kernelSeen ? s.kernelState : TcpState::Closed, seen, !consistent, derivedNow};
    const bool news = v.from != v.to || !consistent || (s.kernelSeen && s.kernelConflict);
    s.kernelSeen = true;
    s.kernelState = seen;
    s.kernelConflict = !consistent;
    if (!consistent)
        ++m_conflicts;
    if (!news) // a socket first seen CLOSED (just created) says nothing new
        return std::nullopt;
    return v;
}

} // namespace sockscope::core
