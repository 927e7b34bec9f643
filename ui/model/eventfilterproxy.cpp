// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/model/eventfilterproxy.h"

#include "ui/model/eventtablemodel.h"

namespace sockscope::ui {

EventFilterProxy::EventFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    // Rows arrive in batches while a run streams; new rows are filtered as they come.
    setDynamicSortFilter(true);
}

void EventFilterProxy::setActorFilter(const QString &actor)
{
    if (actor == m_actor)
        return;
    m_actor = actor;
    invalidateRowsFilter();
}

void EventFilterProxy::setSocketFilter(const QString &socket)
{
    if (socket == m_socket)
        return;
    m_socket = socket;
    invalidateRowsFilter();
}

void EventFilterProxy::setKindFilter(std::optional<core::EventKind> kind)
{
    if (kind == m_kind)
        return;
    m_kind = kind;
    invalidateRowsFilter();
}

void EventFilterProxy::setErrorsOnly(bool on)
{
    if (on == m_errorsOnly)
        return;
    m_errorsOnly = on;
    invalidateRowsFilter();
}

void EventFilterProxy::setRevealLimit(int lastVisibleEvent)
{
    if (lastVisibleEvent == m_revealLimit)
        return;
    m_revealLimit = lastVisibleEvent;
    invalidateRowsFilter();
}

bool EventFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid() || (m_revealLimit >= 0 && sourceRow > m_revealLimit))
        return false;
    // The source is always an EventTableModel: its plain accessors avoid a QVariant per row and role.
    const auto *model = qobject_cast<const EventTableModel *>(sourceModel());
    if (!model)
        return true;
    if (m_kind && model->kindOf(sourceRow) != *m_kind)
        return false;
    if (m_errorsOnly && !model->isError(sourceRow))
        return false;
    if (!m_actor.isEmpty() && model->actorOf(sourceRow) != m_actor)
        return false;
    if (!m_socket.isEmpty() && model->socketOf(sourceRow) != m_socket)
        return false;
    return true;
}

} // namespace sockscope::ui
