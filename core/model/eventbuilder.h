// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: turns the lab's raw observations into the event stream, coordinating the model's pieces: the batch
// merge (batchmerge), socket identity (socketidentity), derived and kernel states (statetracker), relative
// seq/ack (relativeseq), timers (timerwatch), expectations (expectationcheck) and numbering (eventnumbering).
// Thread-safety: used by the lab's scheduler thread only.

#include "core/model/batchmerge.h"
#include "core/model/eventnumbering.h"
#include "core/model/expectationcheck.h"
#include "core/model/rawrecords.h"
#include "core/model/relativeseq.h"
#include "core/model/retransmits.h"
#include "core/model/socketidentity.h"
#include "core/model/statetracker.h"
#include "core/model/timerwatch.h"
#include "core/model/wireexpectcheck.h"
#include "core/scenario/scenario.h"
#include "core/stream/event.h"

#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sockscope::core {

class EventBuilder
{
public:
    using Sink = std::function<void(Event &&)>;
    // portMap: the host namespace's port remapping, or nullptr.
    EventBuilder(const Scenario &scenario, RunInfo run, Sink sink,
                 const std::map<std::uint16_t, std::uint16_t> *portMap = nullptr);

    // Processes one batch; every record in it is older than the batch's cutoff. A `= blocked` expectation is
    // judged by the stream itself: met when a later step starts before the call returns.
    void addBatch(RawBatch &&batch, std::vector<RawPacket> &&packets);
    // Checks for calls that never returned, then the end event.
    void finish(EndInfo end);

    std::int64_t startNs() const { return m_out.startNs(); }
    bool checksOk() const { return m_checks.allOk() && m_wireOk; }
    int conflicts() const { return m_states.conflicts(); }

private:
    struct PendingCall
    {
        std::int64_t tNs;
        int step;
        int sock;
        const Step *call = nullptr; // the step as run: a death by SIGPIPE is an exit() the scenario never wrote
        // connect() only: the addresses it replaced, and the socket whose 4-tuple it took (-1: none), given
        // back when the call fails before any SYN left (EADDRNOTAVAIL on a tuple in use, ECONNABORTED).
        bool retargeted = false;
        std::string oldLocal, oldRemote;
        int tookFrom = -1;
    };

    void onStep(const StepMark &mark);
    void onEnter(const CallEnter &enter);
    void onExit(const CallExit &exit);
    void onPacket(const RawPacket &p, const std::vector<BatchItem> &items, size_t pos);
    void onFdSnapshot(int fd, const FdSnapshot &snap, std::int64_t t0, std::int64_t t1);
    void onDiag(const DiagRecord &rec);

    int newSock(const std::string &actor, SocketRole role, std::int64_t absNs, TcpState initial);
    void track(int sock, std::int64_t absNs, TcpState initial); // a socket m_ids just added
    void emitSocket(int sock, std::int64_t absNs);
    void emitCheck(const Step &step, const CheckOutcome &outcome, std::int64_t absNs);
    void learnAddresses(int sock, const FdSnapshot &snap, std::int64_t absNs);
    // The socket at the local end of a segment local -> remote, from its 4-tuple or a snapshot later on.
    int resolveEndpoint(const std::string &local, const std::string &remote, const std::vector<BatchItem> &items,
                        size_t pos);
    bool answeredLater(const std::string &src, const std::string &dst, const std::vector<BatchItem> &items,
                       size_t pos) const;
    // sock's connect() sends its SYN: the socket whose 4-tuple it took (in TIME_WAIT) is gone.
    void endTakenTuple(int sock, std::int64_t absNs, long cause);
    void updateQueues(int sock, std::int64_t recvQ, std::int64_t sendQ, std::int64_t absNs);
    void checkWireExpectations(std::int64_t absNs); // the '~' lines of the batch's steps
    // Shared descriptors (docs/scenario-format.md, "Descriptors, processes and signals"): a close() or exit()
    // releases a socket only with its last descriptor, and only once no call of another thread still holds it.
    bool lastReference(int sock, int closing, std::int64_t callId) const;
    bool callInProgress(int sock, std::int64_t exceptId) const;
    void descriptorClosed(int sock, int fd, std::int64_t absNs, long cause);
    void releaseIfIdle(int sock, std::int64_t absNs, long cause);
    void onExitCall(const CallExit &exit, long retIdx);

    const Scenario &m_scenario;
    bool m_netns;
    const std::map<std::uint16_t, std::uint16_t> *m_portMap;
    EventNumbering m_out;
    SocketIdentity m_ids;
    StateTracker m_states;
    RelativeSeq m_seq;
    Retransmits m_retransmits;
    TimerWatch m_timers;
    std::set<int> m_listed; // the sockets the last complete sock_diag dump listed
    ExpectationChecker m_checks;
    // The batch being processed, for look-ahead (valid during addBatch only).
    const std::vector<FdRecord> *m_batchFds = nullptr;
    const std::vector<RawPacket> *m_batchPackets = nullptr;
    // The batch's fd snapshots by the port of their local address: item positions, ascending. A connect()'s
    // SYN is matched to the snapshot that shows its source port, however many other fds were read between.
    std::unordered_map<std::string, std::vector<size_t>> m_fdItemsByPort;
    std::set<int> m_deferAccept;     // listeners with TCP_DEFER_ACCEPT set: their children wait for data
    std::set<int> m_releaseWhenIdle; // sockets whose last fd was closed while another thread's call held them
    std::map<std::int64_t, PendingCall> m_calls;                 // calls without a return yet
    std::vector<std::pair<std::int64_t, std::int64_t>> m_queues; // per sock: last recv-Q, send-Q shown
    std::vector<int> m_batchSteps;                               // steps that started in the current batch
    std::vector<SeenSegment> m_batchSegments;                    // segments of the current batch
    std::vector<SeenTimer> m_batchTimers;                        // timer events of the current batch
    std::int64_t m_batchLastNs = 0;                              // the latest step or segment stamp of the batch
    bool m_wireOk = true;                                        // every '~' expectation met so far
};

} // namespace sockscope::core
