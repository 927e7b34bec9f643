// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The event table: one row per event of the RunModel, texts formatted on demand in data(), never stored.
// Rows are announced with one beginInsertRows per RunModel batch.
// Thread-safety: GUI thread only.

#include "core/stream/event.h"

#include <QAbstractTableModel>
#include <QColor>

namespace sockscope::ui {

class RunModel;

class EventTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        ColN,
        ColTime,
        ColActor,
        ColSocket,
        ColKind,
        ColWhat,
        ColResult,
        ColumnCount
    };
    enum Role
    {
        EventIndexRole = Qt::UserRole + 1, // int, index into RunModel::events()
        ActorRole,                         // QString
        SocketRole,                        // QString
        KindRole,                          // int (core::EventKind)
        IsErrorRole,                       // bool: errno result, signal, failed check, state conflict
    };

    explicit EventTableModel(const RunModel *run, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setErrorColor(const QColor &color);
    // Reveal (ViewState::revealLimit): what a shown row tells of later events is left out (RevealRule).
    void setRevealLimit(int lastVisibleEvent);

    // Plain accessors for the filter proxy (no QVariant per row).
    QString actorOf(int row) const;
    QString socketOf(int row) const;
    core::EventKind kindOf(int row) const;
    bool isError(int row) const;

    // Texts, also used by other views (status bar, explanation panel). Time, call, result and segment are
    // core's one text of each (core/stream/eventtext.h), as in the log; results carry the errno's description.
    // With reveal on (revealLimit >= 0) and hiding, the run's title, a step's expected result and the result of
    // a call whose return is not shown yet are left out.
    static QString whatText(const RunModel &run, int eventIndex, int revealLimit = -1);
    static QString resultText(const RunModel &run, int eventIndex, int revealLimit = -1);

private:
    void onEventsAppended(int first, int last);
    void onRunReset();

    const RunModel *m_run;
    int m_revealLimit = -1;
    int m_rows = 0; // rows announced to views; trails the RunModel until its eventsAppended() arrives
    QColor m_errorColor{0xc6, 0x28, 0x28};
};

} // namespace sockscope::ui
