// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: turns the lab's raw observations into the event stream: one time order, stable socket names,
// relative seq/ack, derived RFC 9293 states checked against kernel snapshots, and expectation checks.
// Thread-safety: used by the lab's scheduler thread only.

#include "core/model/rawrecords.h"
#include "core/model/tcpmachine.h"
#include "core/scenario/scenario.h"
#include "core/stream/event.h"

#include <functional>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace sockscope::core {

class EventBuilder
{
public:
    using Sink = std::function<void(Event &&)>;
    // portMap: the host namespace's port remapping, or nullptr.
    EventBuilder(const Scenario &scenario, RunInfo run, Sink sink,
                 const std::map<std::uint16_t, std::uint16_t> *portMap = nullptr);

    // Processes one batch; every record in it is older than the batch's cutoff. blockedCalls: ids of calls
    // the scheduler saw blocked while this batch was recorded.
    void addBatch(RawBatch &&batch, std::vector<RawPacket> &&packets, const std::vector<std::int64_t> &blockedCalls);
    // Checks for calls that never returned, then the end event.
    void finish(EndInfo end);

    std::int64_t startNs() const { return m_startNs; }
    bool checksOk() const { return m_checksOk; }
    int conflicts() const { return m_conflicts; }

private:
    struct Sock
    {
        std::string name, actor, role;
        int fd = -1;
        std::string local, remote;
        std::uint64_t cookie = 0;
        TcpMachine machine;
        std::vector<std::pair<std::int64_t, TcpState>> history; // derived states with their start time
        bool kernelSeen = false;
        TcpState kernelState = TcpState::Closed;
        bool kernelConflict = false;
        std::int64_t recvQ = -1, sendQ = -1;
    };
    struct Item; // one raw record in time order
    struct KernelObservation
    {
        int sock;
        std::int64_t t0, t1;
        TcpState state;
        bool fromFd;
    };
    // A SYN or FIN that reached a socket while its owner was inside close()/shutdown()/connect() on it: the
    // kernel processes it only when that call releases the socket lock, so its effect waits for the next
    // segment the socket sends (or the call's return), whose ack field tells whether it was processed first.
    struct DeferredReceive
    {
        std::uint8_t flags;
        std::uint32_t seq, ack, len;
        std::int64_t tNs;
        long index;
    };
    struct PendingCall
    {
        std::int64_t tNs;
        int step;
        int sock;
        std::string call;
    };

    // Output of the batch being built; `cause` holds local indexes until numbering.
    size_t emit(std::int64_t absNs, EventPayload payload);
    void emitState(int sock, TcpState from, TcpState to, std::int64_t absNs, long cause);
    void emitSocket(int sock, std::int64_t absNs);
    void flushOutput();

    void onStep(const StepMark &mark);
    void onEnter(const CallEnter &enter);
    void onExit(const CallExit &exit, const std::vector<std::int64_t> &blockedCalls);
    void onPacket(const RawPacket &p, const std::vector<Item> &items, size_t pos);
    void onFdSnapshot(int fd, const FdSnapshot &snap, std::int64_t t0, std::int64_t t1);
    void onDiag(const DiagRecord &rec);
    void learnAddresses(int sock, const FdSnapshot &snap, std::int64_t absNs);
    bool lockHeld(int sock, std::int64_t absNs) const;
    void applyReceive(int sock, const DeferredReceive &d, std::int64_t absNs);
    void resolveDeferred(int sock, const RawPacket *sent, bool before);
    void updateQueues(int sock, std::int64_t recvQ, std::int64_t sendQ, std::int64_t absNs);
    void evaluateKernel(const KernelObservation &obs);
    void check(const Step &step, const std::string &got, bool ok, std::int64_t absNs);

    int newSock(const std::string &actor, const std::string &role, const std::string &name, std::int64_t absNs,
                TcpState initial);
    int sockByTuple(const std::string &local, const std::string &remote) const;
    void setTuple(int sock, const std::string &local, const std::string &remote);
    int listenerFor(const std::string &dst) const;
    int resolveEndpoint(const std::string &local, const std::string &remote, const std::vector<Item> &items,
                        size_t pos);
    std::string sockName(int sock) const { return sock < 0 ? std::string() : m_socks[sock].name; }

    const Scenario &m_scenario;
    Sink m_sink;
    std::int64_t m_startNs;
    bool m_capture;
    bool m_netns;
    const std::map<std::uint16_t, std::uint16_t> *m_portMap;
    std::int64_t m_nextN = 0;
    std::vector<Event> m_out; // the current batch, n = local index until flushOutput
    std::vector<KernelObservation> m_kernelObs;
    // The batch being processed, for look-ahead (valid during addBatch only).
    const std::vector<FdRecord> *m_batchFds = nullptr;
    const std::vector<RawPacket> *m_batchPackets = nullptr;
    std::int64_t m_lastRelNs = 0; // keeps the stream in time order across batches

    std::vector<Sock> m_socks;
    std::map<int, int> m_fdSock;                            // open fd -> sock
    std::unordered_map<std::string, int> m_byTuple;         // \"local|remote\" -> newest sock with that 4-tuple
    std::map<std::string, int> m_actorCount;                // per actor, for "client.N"
    std::map<std::string, std::string> m_listenNames;       // scenario variable -> "server.listen"
    std::map<std::string, std::uint32_t> m_isn;             // "src>dst" -> ISN of that direction
    std::map<std::int64_t, PendingCall> m_calls;            // calls without a return yet
    std::map<int, std::vector<DeferredReceive>> m_deferred; // by receiving sock
    std::set<int> m_checkedSteps;
    bool m_checksOk = true;
    int m_conflicts = 0;
};

} // namespace sockscope::core
