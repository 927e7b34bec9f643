// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Filters the event table by actor, socket, kind and "errors only". Empty filters pass everything.
// Thread-safety: GUI thread only.

#include "core/stream/event.h"

#include <QSortFilterProxyModel>

#include <optional>

namespace sockscope::ui {

class EventFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit EventFilterProxy(QObject *parent = nullptr);

    void setActorFilter(const QString &actor);
    void setSocketFilter(const QString &socket);
    void setKindFilter(std::optional<core::EventKind> kind);
    void setErrorsOnly(bool on);
    // Reveal: rows after this event are hidden; -1 shows all (ViewState::revealLimit).
    void setRevealLimit(int lastVisibleEvent);

    const QString &actorFilter() const { return m_actor; }
    const QString &socketFilter() const { return m_socket; }
    std::optional<core::EventKind> kindFilter() const { return m_kind; }
    bool errorsOnly() const { return m_errorsOnly; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_actor;
    QString m_socket;
    std::optional<core::EventKind> m_kind;
    bool m_errorsOnly = false;
    int m_revealLimit = -1;
};

} // namespace sockscope::ui
