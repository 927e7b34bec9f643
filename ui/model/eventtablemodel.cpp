// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/model/eventtablemodel.h"

#include "core/stream/eventtext.h"
#include "ui/model/prediction.h"
#include "ui/model/revealrule.h"
#include "ui/model/runmodel.h"

#include <QStringList>

namespace sockscope::ui {
namespace {

QString q(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

} // namespace

EventTableModel::EventTableModel(const RunModel *run, QObject *parent)
    : QAbstractTableModel(parent), m_run(run), m_rows(run->eventCount())
{
    connect(run, &RunModel::eventsAppended, this, &EventTableModel::onEventsAppended);
    connect(run, &RunModel::runReset, this, &EventTableModel::onRunReset);
}

int EventTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int EventTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void EventTableModel::onEventsAppended(int first, int last)
{
    if (last < first || last < m_rows)
        return;
    beginInsertRows({}, m_rows, last);
    m_rows = last + 1;
    endInsertRows();
    (void)first;
}

void EventTableModel::onRunReset()
{
    beginResetModel();
    m_rows = m_run->eventCount();
    endResetModel();
}

void EventTableModel::setRevealLimit(int lastVisibleEvent)
{
    if (lastVisibleEvent == m_revealLimit)
        return;
    m_revealLimit = lastVisibleEvent;
    if (m_rows > 0)
        emit dataChanged(index(0, 0), index(m_rows - 1, ColumnCount - 1));
}

void EventTableModel::setErrorColor(const QColor &color)
{
    m_errorColor = color;
    if (m_rows > 0)
        emit dataChanged(index(0, 0), index(m_rows - 1, ColumnCount - 1), {Qt::ForegroundRole});
}

QString EventTableModel::actorOf(int row) const
{
    const core::Event &e = m_run->event(row);
    switch (e.kind()) {
    case core::EventKind::Syscall:
        return q(e.as<core::SyscallInfo>()->actor);
    case core::EventKind::Step:
        return q(e.as<core::StepInfo>()->actor);
    case core::EventKind::Signal:
        return q(e.as<core::SignalInfo>()->actor);
    case core::EventKind::Socket:
        return q(e.as<core::SocketInfo>()->actor);
    case core::EventKind::Return: {
        const int call = m_run->syscallOf(row);
        return call >= 0 ? q(m_run->event(call).as<core::SyscallInfo>()->actor) : QString();
    }
    default:
        break;
    }
    const int sock = m_run->socketIndex(m_run->socketOf(row));
    return sock >= 0 ? q(m_run->sockets()[static_cast<size_t>(sock)].actor) : QString();
}

QString EventTableModel::socketOf(int row) const
{
    return q(m_run->socketOf(row));
}

core::EventKind EventTableModel::kindOf(int row) const
{
    return m_run->event(row).kind();
}

bool EventTableModel::isError(int row) const
{
    const core::Event &e = m_run->event(row);
    switch (e.kind()) {
    case core::EventKind::Return:
        return !e.as<core::ReturnInfo>()->err.empty();
    case core::EventKind::Syscall: {
        const int ret = m_run->returnOf(row);
        return ret >= 0 && RevealRule(*m_run, m_revealLimit).shows(ret) &&
               !m_run->event(ret).as<core::ReturnInfo>()->err.empty();
    }
    case core::EventKind::Signal:
        return true;
    case core::EventKind::Check:
        return !e.as<core::CheckInfo>()->ok;
    case core::EventKind::State:
        return e.as<core::StateInfo>()->conflict;
    case core::EventKind::End:
        return !e.as<core::EndInfo>()->error.empty();
    default:
        return false;
    }
}

QString EventTableModel::whatText(const RunModel &run, int i, int revealLimit)
{
    const core::Event &e = run.event(i);
    const bool hiding = RevealRule(run, revealLimit).hiding();
    switch (e.kind()) {
    case core::EventKind::Run: {
        const auto &r = *e.as<core::RunInfo>();
        return QStringLiteral("%1 (kernel %2, %3)")
            .arg(hiding ? QStringLiteral("the run starts") : q(r.title.empty() ? r.scenario : r.title), q(r.kernel),
                 q(r.isolation));
    }
    case core::EventKind::Socket: {
        const auto &s = *e.as<core::SocketInfo>();
        QString text = QStringLiteral("%1 %2 fd=%3").arg(q(s.sock), q(s.role)).arg(s.fd);
        if (!s.local.empty())
            text += QStringLiteral(" %1").arg(q(s.local));
        if (!s.remote.empty())
            text += QStringLiteral(" <-> %1").arg(q(s.remote));
        return text;
    }
    case core::EventKind::Step: {
        const auto &s = *e.as<core::StepInfo>();
        // Its source line holds the expected result.
        return QStringLiteral("step %1: %2").arg(s.step + 1).arg(hiding ? callWithoutResult(s.text) : q(s.text));
    }
    case core::EventKind::Syscall: {
        return q(core::callText(*e.as<core::SyscallInfo>()));
    }
    case core::EventKind::Return: {
        const auto &r = *e.as<core::ReturnInfo>();
        const int call = run.syscallOf(i);
        const QString name =
            call >= 0 ? q(run.event(call).as<core::SyscallInfo>()->call) : QStringLiteral("#%1").arg(r.id);
        return QStringLiteral("%1 returned (%2 us)").arg(name).arg(static_cast<double>(r.durNs) / 1000.0, 0, 'f', 1);
    }
    case core::EventKind::Signal: {
        const auto &s = *e.as<core::SignalInfo>();
        return QStringLiteral("%1 (default action: terminate)").arg(q(s.signal));
    }
    case core::EventKind::Packet: {
        // The log's text of the segment, plus the window the table has room for.
        const auto &p = *e.as<core::PacketInfo>();
        return q(core::packetText(p)) + QStringLiteral(" win=%1").arg(p.win);
    }
    case core::EventKind::State: {
        const auto &s = *e.as<core::StateInfo>();
        QString text = QStringLiteral("%1 -> %2").arg(q(core::stateName(s.from)), q(core::stateName(s.to)));
        if (s.source == core::StateSource::Kernel)
            text += QStringLiteral(" (kernel)");
        if (s.conflict)
            text += QStringLiteral(" CONFLICT: derived %1").arg(q(core::stateName(s.derived)));
        return text;
    }
    case core::EventKind::Queue: {
        const auto &qi = *e.as<core::QueueInfo>();
        return QStringLiteral("recv_q=%1 send_q=%2").arg(qi.recvQ).arg(qi.sendQ);
    }
    case core::EventKind::Timer:
        return q(core::timerText(*e.as<core::TimerInfo>()));
    case core::EventKind::Check: {
        const auto &c = *e.as<core::CheckInfo>();
        return QStringLiteral("step %1 expected %2").arg(c.step + 1).arg(q(c.expected));
    }
    case core::EventKind::End: {
        const auto &end = *e.as<core::EndInfo>();
        QString text = QStringLiteral("%1 packets, %2 dropped").arg(end.packets).arg(end.drops);
        if (!end.error.empty())
            text += QStringLiteral(": ") + q(end.error);
        return text;
    }
    }
    return {};
}

QString EventTableModel::resultText(const RunModel &run, int i, int revealLimit)
{
    const core::Event &e = run.event(i);
    switch (e.kind()) {
    case core::EventKind::Syscall: {
        const int ret = run.returnOf(i);
        if (const RevealRule reveal(run, revealLimit); reveal.hiding() && (ret < 0 || !reveal.shows(ret)))
            return {}; // neither the result nor whether it blocks
        return ret >= 0 ? q(core::resultText(*run.event(ret).as<core::ReturnInfo>(), core::ErrnoText::Show))
                        : QStringLiteral("blocked");
    }
    case core::EventKind::Return:
        return q(core::resultText(*e.as<core::ReturnInfo>(), core::ErrnoText::Show));
    case core::EventKind::Check: {
        const auto &c = *e.as<core::CheckInfo>();
        return c.ok ? QStringLiteral("ok") : QStringLiteral("FAILED: got %1").arg(q(c.got));
    }
    case core::EventKind::End:
        return e.as<core::EndInfo>()->ok ? QStringLiteral("ok") : QStringLiteral("FAILED");
    default:
        return {};
    }
}

QVariant EventTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ColN:
            return static_cast<qlonglong>(m_run->event(row).n);
        case ColTime:
            return q(core::relativeTimeText(m_run->event(row).tNs));
        case ColActor:
            return actorOf(row);
        case ColSocket:
            return socketOf(row);
        case ColKind:
            return q(core::kindName(kindOf(row)));
        case ColWhat:
            return whatText(*m_run, row, m_revealLimit);
        case ColResult:
            return resultText(*m_run, row, m_revealLimit);
        }
        return {};
    case Qt::ToolTipRole:
        return index.column() == ColWhat || index.column() == ColResult ? data(index, Qt::DisplayRole) : QVariant();
    case Qt::ForegroundRole:
        return isError(row) && (index.column() == ColResult || index.column() == ColWhat) ? QVariant(m_errorColor)
                                                                                          : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == ColN || index.column() == ColTime ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                                                   : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case EventIndexRole:
        return row;
    case ActorRole:
        return actorOf(row);
    case SocketRole:
        return socketOf(row);
    case KindRole:
        return static_cast<int>(kindOf(row));
    case IsErrorRole:
        return isError(row);
    default:
        return {};
    }
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    // Indexed by Column.
    static const char *const kHeaders[ColumnCount] = {QT_TR_NOOP("n"),      QT_TR_NOOP("time (s)"), QT_TR_NOOP("actor"),
                                                      QT_TR_NOOP("socket"), QT_TR_NOOP("kind"),     QT_TR_NOOP("what"),
                                                      QT_TR_NOOP("result")};
    if (section >= 0 && section < ColumnCount)
        return tr(kHeaders[section]);
    return {};
}

} // namespace sockscope::ui
