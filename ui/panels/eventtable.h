// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The event table page: filter widgets over a table of every event. Selecting a row moves the shared
// cursor; a cursor set elsewhere selects and scrolls to its row.
// Thread-safety: GUI thread only.

#include <QWidget>

class QCheckBox;
class QComboBox;
class QTableView;

namespace sockscope::ui {

class EventFilterProxy;
class EventTableModel;
class RunModel;
class ViewState;

class EventTable : public QWidget
{
    Q_OBJECT
public:
    EventTable(RunModel *run, ViewState *view, QWidget *parent = nullptr);

    QTableView *tableView() const { return m_table; }
    EventFilterProxy *proxy() const { return m_proxy; }
    EventTableModel *model() const { return m_model; }

private:
    void refillSocketFilters();
    void onFilterChanged();
    void onCurrentRowChanged();
    void onCursorChanged(int eventIndex);
    void onThemeChanged();

    RunModel *m_run;
    ViewState *m_view;
    EventTableModel *m_model;
    EventFilterProxy *m_proxy;
    QTableView *m_table;
    QComboBox *m_actor;
    QComboBox *m_socket;
    QComboBox *m_kind;
    QCheckBox *m_errorsOnly;
    bool m_syncing = false; // set while the table follows the cursor, so it does not echo it back
};

} // namespace sockscope::ui
