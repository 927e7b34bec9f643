// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/model/runmodel.h"
#include "ui/model/threadcheck.h"

#include "core/io/runfile.h"
#include "core/stream/eventjson.h"
#include "core/stream/eventlimits.h"
#include "core/stream/eventreader.h"

#include <QFile>
#include <QFileInfo>
#include <QThread>

#include <algorithm>

namespace sockscope::ui {

using core::Event;

namespace {
const std::vector<StateSpan> kNoSpans;

// "server.1" -> "server": sockets seen only in packets or states still land under their actor.
std::string actorFromName(const std::string &sock)
{
    auto dot = sock.find('.');
    return dot == std::string::npos ? sock : sock.substr(0, dot);
}
} // namespace

RunModel::RunModel(QObject *parent) : QObject(parent) {}

void RunModel::appendEvents(std::vector<Event> &&batch)
{
    SOCKSCOPE_REQUIRE_OWN_THREAD();
    if (batch.empty())
        return;
    const int first = eventCount();
    // Grown geometrically (push_back), never reserved to the exact size: a reserve per batch moved the whole run
    // at every batch, quadratic in a long run (bench_ui_stream).
    for (auto &e : batch)
        m_events.push_back(std::move(e));
    bool grew = false;
    for (int i = first; i < eventCount(); ++i)
        index(i, grew);
    if (grew)
        orderSockets();
    extendOpenSpans();
    if (grew)
        Q_EMIT socketsChanged();
    Q_EMIT eventsAppended(first, eventCount() - 1);
}

void RunModel::clear()
{
    SOCKSCOPE_REQUIRE_OWN_THREAD();
    m_events.clear();
    clearIndexes();
    Q_EMIT runReset();
}

void RunModel::reset(std::vector<Event> events)
{
    SOCKSCOPE_REQUIRE_OWN_THREAD();
    m_events = std::move(events);
    clearIndexes();
    bool grew = false;
    for (int i = 0; i < eventCount(); ++i)
        index(i, grew);
    if (grew)
        orderSockets();
    extendOpenSpans();
    Q_EMIT runReset();
}

bool RunModel::loadJsonl(const QString &path, QString *error)
{
    QFile file(path);
    auto fail = [&](int line, int column, const QString &message) {
        if (error)
            *error = QStringLiteral("%1:%2:%3: %4").arg(path).arg(line).arg(column).arg(message);
        return false;
    };
    // Checked before opening: opening a FIFO for reading blocks until someone writes to it.
    const QFileInfo info(path);
    if (info.exists() && (!info.isFile() || static_cast<quint64>(info.size()) > core::kMaxRunFileBytes))
        return fail(0, 0, QStringLiteral("not a regular file of at most %1 bytes").arg(core::kMaxRunFileBytes));
    if (!file.open(QIODevice::ReadOnly))
        return fail(0, 0, file.errorString());
    const QByteArray text = file.readAll();
    std::vector<Event> events;
    core::EventStreamReader reader;
    core::JsonLineResult failed;
    int failedLine = 0;
    core::forEachLine(std::string_view(text.constData(), static_cast<size_t>(text.size())),
                      [&](int lineNo, std::string_view line, bool) {
                          if (line.find_first_not_of(" \t\r") == std::string_view::npos)
                              return true;
                          core::JsonLineResult r = reader.read(line);
                          if (!r.event) {
                              failed = std::move(r);
                              failedLine = lineNo;
                              return false;
                          }
                          events.push_back(std::move(*r.event));
                          return true;
                      });
    if (failedLine > 0)
        return fail(failedLine, std::max(failed.column, 1), QString::fromStdString(failed.error));
    reset(std::move(events));
    return true;
}

void RunModel::clearIndexes()
{
    m_pair.clear();
    m_stepOf.clear();
    m_syscallById.clear();
    m_stepEvents.clear();
    m_contradictions.clear();
    m_currentStep = -1;
    m_endNs = 0;
    m_runInfo = {};
    m_hasRunInfo = false;
    m_endInfo = {};
    m_hasEnd = false;
    m_actors.clear();
    m_actorIndex.clear();
    m_sockets.clear();
    m_tracks.clear();
    m_socketIndex.clear();
}

void RunModel::noteActor(const std::string &actor)
{
    if (!actor.empty() && m_actorIndex.emplace(actor, static_cast<int>(m_actors.size())).second)
        m_actors.push_back(actor);
}

int RunModel::ensureSocket(const std::string &sock, const std::string &actor, int eventIndex, bool &grew)
{
    if (sock.empty())
        return -1;
    if (auto it = m_socketIndex.find(sock); it != m_socketIndex.end())
        return it->second;
    const std::string a = actor.empty() ? actorFromName(sock) : actor;
    noteActor(a);
    // Appended here; orderSockets() moves it next to its actor's other sockets once the batch is indexed, so a
    // batch costs O(S log S) however many sockets it brings (inserting each in place was O(S) per socket).
    SocketRow row;
    row.sock = sock;
    row.actor = a;
    row.firstEvent = eventIndex;
    m_sockets.push_back(std::move(row));
    m_tracks.push_back(Track{});
    const int at = static_cast<int>(m_sockets.size()) - 1;
    m_socketIndex.emplace(sock, at);
    grew = true;
    return at;
}

// Rows grouped by actor (actors in first-appearance order), each actor's sockets in first-appearance order.
void RunModel::orderSockets()
{
    auto rank = [this](std::size_t row) { return actorIndex(m_sockets[row].actor); };
    std::vector<std::size_t> order(m_sockets.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return rank(x) < rank(y); });
    bool moved = false;
    for (std::size_t i = 0; i < order.size() && !moved; ++i)
        moved = order[i] != i;
    if (!moved)
        return;
    std::vector<SocketRow> sockets;
    std::vector<Track> tracks;
    sockets.reserve(order.size());
    tracks.reserve(order.size());
    for (std::size_t from : order) {
        sockets.push_back(std::move(m_sockets[from]));
        tracks.push_back(std::move(m_tracks[from]));
    }
    m_sockets = std::move(sockets);
    m_tracks = std::move(tracks);
    m_socketIndex.clear();
    for (std::size_t i = 0; i < m_sockets.size(); ++i)
        m_socketIndex.emplace(m_sockets[i].sock, static_cast<int>(i));
}

void RunModel::addState(int eventIndex, const core::StateInfo &s, qint64 t, bool &grew)
{
    const int row = ensureSocket(s.sock, {}, eventIndex, grew);
    if (row < 0)
        return;
    auto &spans = s.source == core::StateSource::Derived ? m_tracks[static_cast<size_t>(row)].derived
                                                         : m_tracks[static_cast<size_t>(row)].kernel;
    if (!spans.empty() && spans.back().open) {
        spans.back().t1 = t;
        spans.back().open = false;
    }
    spans.push_back(StateSpan{s.to, t, t, eventIndex, s.source == core::StateSource::Derived, true});
}

void RunModel::extendOpenSpans()
{
    for (auto &track : m_tracks)
        for (auto *spans : {&track.derived, &track.kernel})
            if (!spans->empty() && spans->back().open)
                spans->back().t1 = std::max(spans->back().t0, m_endNs);
}

void updateSocketRow(SocketRow &row, const core::SocketInfo &s)
{
    if (!s.role.empty())
        row.role = s.role;
    row.fd = s.fd;
    if (!s.local.empty())
        row.local = s.local;
    if (!s.remote.empty())
        row.remote = s.remote;
}

void RunModel::index(int i, bool &grew)
{
    const Event &e = m_events[static_cast<size_t>(i)];
    m_pair.push_back(-1);
    m_endNs = std::max<qint64>(m_endNs, e.tNs);
    int step = m_currentStep;
    switch (e.kind()) {
    case core::EventKind::Run:
        m_runInfo = *e.as<core::RunInfo>();
        m_hasRunInfo = true;
        break;
    case core::EventKind::Socket: {
        const auto &s = *e.as<core::SocketInfo>();
        noteActor(s.actor);
        const int row = ensureSocket(s.sock, s.actor, i, grew);
        updateSocketRow(m_sockets[static_cast<size_t>(row)], s);
        break;
    }
    case core::EventKind::Step: {
        const auto &s = *e.as<core::StepInfo>();
        noteActor(s.actor);
        m_currentStep = s.step;
        step = s.step;
        if (s.step >= 0 && s.step < core::kMaxSteps) { // the readers refuse larger ones; never allocate for them
            if (static_cast<size_t>(s.step) >= m_stepEvents.size())
                m_stepEvents.resize(static_cast<size_t>(s.step) + 1, -1);
            m_stepEvents[static_cast<size_t>(s.step)] = i;
        }
        break;
    }
    case core::EventKind::Syscall: {
        const auto &s = *e.as<core::SyscallInfo>();
        noteActor(s.actor);
        ensureSocket(s.sock, s.actor, i, grew);
        m_syscallById[s.id] = i;
        step = s.step;
        break;
    }
    case core::EventKind::Return: {
        const auto &r = *e.as<core::ReturnInfo>();
        if (auto it = m_syscallById.find(r.id); it != m_syscallById.end()) {
            m_pair[static_cast<size_t>(i)] = it->second;
            m_pair[static_cast<size_t>(it->second)] = i;
            step = m_stepOf[static_cast<size_t>(it->second)];
        }
        break;
    }
    case core::EventKind::Signal:
        noteActor(e.as<core::SignalInfo>()->actor);
        break;
    case core::EventKind::Packet: {
        const auto &p = *e.as<core::PacketInfo>();
        ensureSocket(p.from, {}, i, grew);
        ensureSocket(p.to, {}, i, grew);
        break;
    }
    case core::EventKind::State:
        addState(i, *e.as<core::StateInfo>(), e.tNs, grew);
        if (e.as<core::StateInfo>()->conflict)
            m_contradictions.push_back(i);
        break;
    case core::EventKind::Queue:
        ensureSocket(e.as<core::QueueInfo>()->sock, {}, i, grew);
        break;
    case core::EventKind::Timer:
        ensureSocket(e.as<core::TimerInfo>()->sock, {}, i, grew);
        break;
    case core::EventKind::Check:
        break;
    case core::EventKind::End:
        m_endInfo = *e.as<core::EndInfo>();
        m_hasEnd = true;
        m_endNs = std::max<qint64>(m_endNs, m_endInfo.durationNs);
        break;
    }
    m_stepOf.push_back(step);
}

int RunModel::socketIndex(std::string_view sock) const
{
    auto it = m_socketIndex.find(std::string(sock));
    return it == m_socketIndex.end() ? -1 : it->second;
}

int RunModel::actorIndex(std::string_view actor) const
{
    auto it = m_actorIndex.find(std::string(actor));
    return it == m_actorIndex.end() ? -1 : it->second;
}

const std::vector<StateSpan> &RunModel::stateSpans(int socketRow) const
{
    if (socketRow < 0 || socketRow >= static_cast<int>(m_tracks.size()))
        return kNoSpans;
    const Track &t = m_tracks[static_cast<size_t>(socketRow)];
    return t.derived.empty() ? t.kernel : t.derived;
}

const std::vector<StateSpan> &RunModel::stateSpans(int socketRow, core::StateSource source) const
{
    if (socketRow < 0 || socketRow >= static_cast<int>(m_tracks.size()))
        return kNoSpans;
    const Track &t = m_tracks[static_cast<size_t>(socketRow)];
    return source == core::StateSource::Derived ? t.derived : t.kernel;
}

std::optional<core::TcpState> RunModel::stateAt(int socketRow, int eventIndex) const
{
    const auto &spans = stateSpans(socketRow);
    auto it = std::upper_bound(spans.begin(), spans.end(), eventIndex,
                               [](int idx, const StateSpan &s) { return idx < s.firstEvent; });
    if (it == spans.begin())
        return std::nullopt;
    return std::prev(it)->state;
}

bool RunModel::isBlocked(int syscallIndex) const
{
    return syscallIndex >= 0 && syscallIndex < eventCount() &&
           m_events[static_cast<size_t>(syscallIndex)].kind() == core::EventKind::Syscall &&
           m_pair[static_cast<size_t>(syscallIndex)] < 0;
}

int RunModel::syscallById(std::int64_t id) const
{
    auto it = m_syscallById.find(id);
    return it == m_syscallById.end() ? -1 : it->second;
}

int RunModel::stepEvent(int step) const
{
    return step >= 0 && step < stepCount() ? m_stepEvents[static_cast<size_t>(step)] : -1;
}

std::string_view RunModel::socketOf(int eventIndex) const
{
    const Event &e = event(eventIndex);
    switch (e.kind()) {
    case core::EventKind::Socket:
        return e.as<core::SocketInfo>()->sock;
    case core::EventKind::Syscall:
        return e.as<core::SyscallInfo>()->sock;
    case core::EventKind::Return: {
        const int call = pairOf(eventIndex);
        return call >= 0 ? std::string_view(event(call).as<core::SyscallInfo>()->sock) : std::string_view();
    }
    case core::EventKind::Packet: {
        const auto *p = e.as<core::PacketInfo>();
        return p->from.empty() ? std::string_view(p->to) : std::string_view(p->from);
    }
    case core::EventKind::State:
        return e.as<core::StateInfo>()->sock;
    case core::EventKind::Queue:
        return e.as<core::QueueInfo>()->sock;
    case core::EventKind::Timer:
        return e.as<core::TimerInfo>()->sock;
    default:
        return {};
    }
}

void RunModel::setScenario(const core::Scenario &scenario)
{
    m_scenario = scenario;
    Q_EMIT scenarioChanged();
}

QString RunModel::scenarioName() const
{
    if (m_scenario)
        return QString::fromStdString(m_scenario->name);
    return QString::fromStdString(m_runInfo.scenario);
}

QString RunModel::title() const
{
    if (m_scenario && !m_scenario->title.empty())
        return QString::fromStdString(m_scenario->title);
    return QString::fromStdString(m_runInfo.title);
}

QString RunModel::summary() const
{
    return m_scenario ? QString::fromStdString(m_scenario->summary) : QString();
}

QString RunModel::notes() const
{
    return m_scenario ? QString::fromStdString(m_scenario->notes) : QString();
}

QString RunModel::stepNote(int step) const
{
    if (m_scenario && step >= 0 && step < static_cast<int>(m_scenario->steps.size()) &&
        !m_scenario->steps[static_cast<size_t>(step)].note.empty())
        return QString::fromStdString(m_scenario->steps[static_cast<size_t>(step)].note);
    const int at = stepEvent(step);
    return at >= 0 ? QString::fromStdString(event(at).as<core::StepInfo>()->note) : QString();
}

} // namespace sockscope::ui
