// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the derived TCP state of every socket of a run: one TcpMachine each, driven by its segments and
// calls, with the receives the kernel defers while the owner holds the socket lock, and the judgement of
// kernel snapshots against the derived states (a contradiction is a conflict).
// Thread-safety: a plain value, used by the event builder's thread only.

#include "core/model/tcpmachine.h"
#include "core/scenario/scenario.h"
#include "core/stream/event.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace sockscope::core {

// One captured segment as a socket's machine sees it; seq/ack are absolute header values.
struct Segment
{
    std::uint8_t flags = 0;
    std::uint32_t seq = 0, ack = 0, len = 0;
};

// A socket's state as the kernel reported it during [t0Ns, t1Ns].
struct KernelObservation
{
    int sock = -1;
    std::int64_t t0Ns = 0, t1Ns = 0;
    TcpState state = TcpState::Closed;
    bool fromFd = false; // TCP_INFO of the socket's fd (true) or a sock_diag dump (false)
    // A complete sock_diag dump no longer lists the socket the previous one listed (state is meaningless): it
    // left the kernel's tables, a CLOSE the kernel reports no other way.
    bool vanished = false;
};

// A kernel state worth a stream event: a change, a contradiction, or the end of one.
struct KernelVerdict
{
    int sock = -1;
    std::int64_t tNs = 0; // absolute; the end of the snapshot, never before its cause
    TcpState from = TcpState::Closed, to = TcpState::Closed;
    bool conflict = false;
    TcpState derived = TcpState::Closed; // the derived state at the snapshot's start
};

class StateTracker
{
public:
    // Told every derived change; cause is the caller's index of the causing event, or -1.
    using Changed = std::function<void(int sock, TcpState from, TcpState to, std::int64_t absNs, long cause)>;
    // capture: without segments there is nothing to derive, so no snapshot can contradict.
    StateTracker(bool capture, Changed changed);

    // Indexes follow SocketIdentity's: call add() once for each socket it adds.
    int add(TcpState initial, std::int64_t absNs);
    TcpState state(int sock) const { return m_socks[sock].machine.state(); }
    // Derived states with their start times, oldest first.
    const std::vector<std::pair<std::int64_t, TcpState>> &history(int sock) const { return m_socks[sock].history; }

    void call(int sock, MachineCall call, std::int64_t absNs, long cause);
    // The same for a call whose change is dated at its return (absNs) although the kernel made it somewhere
    // inside the call, from enteredNs on: a snapshot taken meanwhile may already show the new state.
    void callChangedDuring(int sock, MachineCall call, std::int64_t enteredNs, std::int64_t absNs, long cause);
    // A listener accepted a SYN for this new child socket.
    void startPassive(int sock, std::int64_t absNs, long cause, bool deferAccept = false);
    void sent(int sock, const Segment &seg, std::int64_t absNs, long cause);
    // Waits while the owner holds the socket lock (see callEntered); applied at once otherwise.
    void received(int sock, const Segment &seg, std::int64_t absNs, long cause);

    // close(), shutdown() and connect() hold the socket lock: a SYN or FIN arriving meanwhile waits.
    void callEntered(std::int64_t callId, int sock, Call call, std::int64_t absNs);
    // close() or shutdown(SHUT_WR/RDWR) entered: the kernel changes the state at once, but the FIN waits
    // behind unsent data. If neither a FIN nor a RST leaves before the call returns (or the batch ends while it
    // blocks, lingering), the state change is dated at the call's start.
    // behindOthers: exit() closes its descriptors one by one, and this socket comes after another that may block
    // (lingering): while the call runs, the kernel may show either state, so the batch's end applies nothing and
    // the change, once proved by a FIN or RST or the return, leaves the old state possible since the call began.
    void finCallEntered(std::int64_t callId, int sock, std::int64_t absNs, long cause, bool behindOthers = false);
    // The call returned at absNs (sock -1: none; ok: it returned 0): what waited for it is dated at its own
    // time, but the kernel processed it when the lock was released, at some moment up to absNs: until then a
    // snapshot may still show the state before it.
    void callReturned(std::int64_t callId, int sock, bool ok = true, std::int64_t absNs = 0);
    // The end of a batch: nothing stays deferred across batches.
    void applyDeferred();

    // SO_KEEPALIVE was switched on (or off) on the socket: its keepalive timer may end the connection.
    void keepalive(int sock, bool on) { m_socks[sock].keepalive = on; }
    // A call on the socket failed with ETIMEDOUT at absNs (it entered at enteredNs): a timer ended the connection
    // before it returned. Applied with the batch's snapshots, in time order (see judgeObservations).
    void timedOut(int sock, std::int64_t enteredNs, std::int64_t absNs, long cause)
    {
        m_timeouts.push_back({sock, enteredNs, absNs, cause});
    }

    // Kernel snapshots are judged once the batch's derived states are all known. A snapshot that shows CLOSE on a
    // connection whose retransmission or keepalive timer was armed, with nothing derived after it, is that timer
    // expiring (it sends nothing, so nothing else shows it): the derived state follows, dated at the snapshot.
    // So does a socket that vanished from sock_diag: a timed-out connection (unhashed by tcp_done), or a TIME_WAIT
    // or orphaned FIN_WAIT_2 minisocket whose timer expired.
    void observe(const KernelObservation &obs) { m_observations.push_back(obs); }
    std::vector<KernelVerdict> judgeObservations();
    int conflicts() const { return m_conflicts; }

private:
    struct Deferred
    {
        Segment seg;
        std::int64_t tNs;
        long cause;
    };
    // A state the kernel may have been in during [fromNs, untilNs] although the history dates the change
    // elsewhere: a change dated at fromNs waited for the socket lock, released at the latest at untilNs, or for
    // the receive softirq (see apply()) (the old state), or a call made it inside [fromNs, untilNs] and it is
    // dated at the return (the new state).
    struct StillPossible
    {
        std::int64_t fromNs, untilNs;
        TcpState state;
        // The softirq case only: the state the change led to (a snapshot showing it proves it was processed),
        // and the sequence number an acknowledgement from this socket must reach to prove it (none for an ACK).
        std::optional<TcpState> after = std::nullopt;
        std::optional<std::uint32_t> ackedAt = std::nullopt;
        // A minisocket's state after a RST that may have been discarded (see apply()): the entry of the segment
        // whose handover the RST raced. Without an end in time, until a snapshot shows the socket closed or
        // proves that segment processed before the RST.
        std::optional<std::size_t> racedHandover = std::nullopt;
    };
    struct Tracked
    {
        TcpMachine machine;
        std::vector<std::pair<std::int64_t, TcpState>> history;
        std::vector<StillPossible> stillPossible;
        bool keepalive = false;
        long lastSent = -1; // the cause of the last segment it sent: the retransmission or probe a timeout ends
        bool kernelSeen = false;
        TcpState kernelState = TcpState::Closed;
        bool kernelConflict = false;
        bool orphan = false; // its last descriptor was closed
    };
    struct LockHolder
    {
        int sock;
        std::int64_t tNs;
        Call call;
    };

    void record(int sock, TcpState before, std::optional<TcpState> to, std::int64_t absNs, long cause);
    bool lockHeld(int sock, std::int64_t absNs) const;
    // releasedNs: when the lock that deferred it was released, if later than absNs (0: not deferred).
    void apply(int sock, const Deferred &d, std::int64_t absNs, std::int64_t releasedNs = 0);
    // sent: our own segment (nullptr: the lock was released, at releasedNs if known); before: called before it
    // reached the machine.
    void resolve(int sock, const Segment *sent, std::int64_t sentNs, bool before, std::int64_t releasedNs = 0);
    std::optional<KernelVerdict> judge(const KernelObservation &obs);

    bool m_capture;
    Changed m_changed;
    std::vector<Tracked> m_socks;
    std::multimap<std::int64_t, LockHolder> m_locks; // by call id (exit() holds several), until the call returns
    std::map<int, std::vector<Deferred>> m_deferred; // by receiving sock, in arrival order
    struct FinCall
    {
        int sock;
        std::int64_t tNs;
        long cause;
        bool behindOthers = false;
        std::optional<std::size_t> possible = std::nullopt; // its new state's entry in stillPossible, once open
    };
    // A FIN call behind others is settled (its FIN or RST left, or the call returned) at absNs.
    void settleBehindOthers(FinCall &c, std::int64_t absNs);
    void applyFinQueued(const FinCall &c);
    std::multimap<std::int64_t, FinCall> m_finCalls; // by call id (exit() has several), until its FIN/RST or applied
    struct Timeout
    {
        int sock;
        std::int64_t enteredNs, absNs;
        long cause;
    };
    void applyTimeout(const Timeout &t);
    bool mayHaveTimedOut(int sock, const KernelObservation &obs) const;
    bool timerArmed(int sock) const;
    // The armed timer ended the connection, seen only in a snapshot (dated there): it sent nothing, so the cause is
    // the last segment it sent (the retransmission or probe left unanswered).
    void timerExpired(int sock, std::int64_t absNs);
    void judgeVanished(const KernelObservation &obs);
    std::vector<KernelObservation> m_observations;
    std::vector<Timeout> m_timeouts;
    int m_conflicts = 0;
};

} // namespace sockscope::core
