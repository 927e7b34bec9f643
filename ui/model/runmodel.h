// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the events of one run plus the indexes every view needs (sockets, state spans, call pairs, steps),
// built incrementally as batches arrive. Stores no formatted text per event.
// Thread-safety: GUI thread only; appendEvents() asserts it.

#include "core/scenario/scenario.h"
#include "core/stream/event.h"

#include <QObject>
#include <QString>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sockscope::ui {

struct SocketRow
{
    std::string sock; // stable name: "server.listen", "server.1"
    std::string actor;
    std::string role; // "listen", "accepted", "connect", or "" when only seen in packets/states
    int fd = -1;
    std::string local;
    std::string remote;
    int firstEvent = -1; // index of the first event that named this socket
};

// A socket event's update of its row (fd after accept, -1 after close, addresses once bound).
void updateSocketRow(SocketRow &row, const core::SocketInfo &s);

// One interval of a socket in one TCP state. The last span is open: t1 follows the run's current end.
struct StateSpan
{
    core::TcpState state = core::TcpState::Closed;
    qint64 t0 = 0;
    qint64 t1 = 0;
    int firstEvent = -1; // the state event that entered it
    bool derived = true; // derived by the state machine (true) or observed in a kernel snapshot (false)
    bool open = false;   // no later transition yet
};

class RunModel : public QObject
{
    Q_OBJECT
public:
    explicit RunModel(QObject *parent = nullptr);

    // Appends one batch (events in stream order). Emits socketsChanged() if the socket list grew,
    // then eventsAppended(first, last) once.
    void appendEvents(std::vector<core::Event> &&batch);
    void clear();
    void reset(std::vector<core::Event> events); // emits runReset() once
    // Reads JSON Lines; on failure returns false, leaves the model unchanged and sets *error to
    // "path:line:column: message".
    bool loadJsonl(const QString &path, QString *error);

    // Events.
    int eventCount() const { return static_cast<int>(m_events.size()); }
    const std::vector<core::Event> &events() const { return m_events; }
    const core::Event &event(int i) const { return m_events[static_cast<size_t>(i)]; }
    qint64 endNs() const { return m_endNs; } // t_ns of the last event (or the end event's duration)

    // Run info (from the "run" and "end" events).
    const core::RunInfo &runInfo() const { return m_runInfo; }
    bool hasRunInfo() const { return m_hasRunInfo; }
    const core::EndInfo *endInfo() const { return m_hasEnd ? &m_endInfo : nullptr; }
    bool isFinished() const { return m_hasEnd; }
    // Kernel states that contradict the derived ones (event indexes, in order): the diagram is wrong there.
    const std::vector<int> &contradictions() const { return m_contradictions; }

    // Sockets, grouped by actor (actors in first-appearance order), then by first appearance.
    const std::vector<SocketRow> &sockets() const { return m_sockets; }
    int socketIndex(std::string_view sock) const; // -1 if unknown
    const std::vector<std::string> &actors() const { return m_actors; }
    int actorIndex(std::string_view actor) const;

    // State spans of socket row i: derived ones when there are any, else kernel-observed ones.
    const std::vector<StateSpan> &stateSpans(int socketRow) const;
    const std::vector<StateSpan> &stateSpans(int socketRow, core::StateSource source) const;
    // State of socket row i just after event index `eventIndex`; nullopt before its first state event.
    std::optional<core::TcpState> stateAt(int socketRow, int eventIndex) const;

    // Syscall pairing. For a syscall: its return's index, -1 while blocked. For a return: its syscall.
    int pairOf(int eventIndex) const { return m_pair[static_cast<size_t>(eventIndex)]; }
    int returnOf(int syscallIndex) const { return pairOf(syscallIndex); }
    int syscallOf(int returnIndex) const { return pairOf(returnIndex); }
    bool isBlocked(int syscallIndex) const;
    int syscallById(std::int64_t id) const; // event index, -1 if unknown

    // Steps: the step (scenario index) each event belongs to, -1 before the first step.
    int stepOf(int eventIndex) const { return m_stepOf[static_cast<size_t>(eventIndex)]; }
    int stepEvent(int step) const; // index of the step's "step" event, -1 if not yet seen
    int stepCount() const { return static_cast<int>(m_stepEvents.size()); }

    // The socket an event is about ("" for none): syscall/state/queue sock, packet sender (else receiver).
    std::string_view socketOf(int eventIndex) const;

    // Scenario (optional: a run loaded from a file may have none).
    void setScenario(const core::Scenario &scenario);
    const core::Scenario *scenario() const { return m_scenario ? &*m_scenario : nullptr; }
    QString scenarioName() const;
    QString title() const;
    QString summary() const;
    QString notes() const;
    QString stepNote(int step) const; // the scenario's note, else the step event's note

Q_SIGNALS:
    void eventsAppended(int first, int last);
    void socketsChanged();
    void runReset();
    void scenarioChanged();

private:
    struct Track
    {
        std::vector<StateSpan> derived;
        std::vector<StateSpan> kernel;
    };
    void index(int i, bool &socketsGrew);
    int ensureSocket(const std::string &sock, const std::string &actor, int eventIndex, bool &grew);
    void noteActor(const std::string &actor);
    void orderSockets();
    void addState(int eventIndex, const core::StateInfo &s, qint64 t, bool &grew);
    void extendOpenSpans();
    void clearIndexes();

    std::vector<core::Event> m_events;
    std::vector<int> m_pair;   // per event
    std::vector<int> m_stepOf; // per event
    std::unordered_map<std::int64_t, int> m_syscallById;
    std::vector<int> m_stepEvents; // by step number
    std::vector<int> m_contradictions;
    int m_currentStep = -1;
    qint64 m_endNs = 0;

    core::RunInfo m_runInfo;
    bool m_hasRunInfo = false;
    core::EndInfo m_endInfo;
    bool m_hasEnd = false;

    std::vector<std::string> m_actors;
    std::unordered_map<std::string, int> m_actorIndex; // actor -> index in m_actors
    std::vector<SocketRow> m_sockets;                  // display order
    std::vector<Track> m_tracks;                       // parallel to m_sockets
    std::unordered_map<std::string, int> m_socketIndex;

    std::optional<core::Scenario> m_scenario;
};

} // namespace sockscope::ui
