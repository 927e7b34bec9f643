// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// State timelines: one row per socket (names on the left axis), coloured state bands, markers for calls,
// segments and signals, the shared cursor; zoom and pan on the x axis, which is time or (eventAxisAction,
// Ctrl+Shift+T; class mode's default) one step per event like the diagram's uniform rows, so a state that
// lasts microseconds (SYN_SENT, CLOSING, LAST_ACK) is still a band you can see. A click moves the shared
// cursor to the event there; a band's tooltip names its state and duration. All drawn by one StatePlottable.
// Thread-safety: GUI thread only.

#include "ui/timeline/stateplottable.h"

#include <QWidget>

class QAction;
class QCustomPlot;
class QCPAxisTickerText;
class QCPRange;

namespace sockscope::ui {

class RunModel;
class ViewState;

class TimelineView : public QWidget
{
    Q_OBJECT
public:
    TimelineView(RunModel *run, ViewState *view, QWidget *parent = nullptr);

    QCustomPlot *plot() const { return m_plot; }
    StatePlottable *plottable() const { return m_plottable; }

    void zoomIn();
    void zoomOut();
    void zoomReset();

    StatePlottable::Axis axis() const;
    void setAxis(StatePlottable::Axis axis);
    QAction *eventAxisAction() const { return m_eventAxisAction; } // checked: one step per event
    // The tooltip at a pixel of the plot: the state band's name and duration, or empty.
    QString toolTipAt(const QPoint &pos) const;
    // A click at a pixel of the plot: the cursor goes to the mark there, else to the event at that x.
    void clickAt(const QPoint &pos);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override; // the plot's tooltips

    QSize sizeHint() const override { return {800, 220}; }

private:
    void onEventsAppended(int first, int last);
    void onSocketsChanged();
    void onRunReset();
    void onThemeChanged();
    void onCursorChanged(int eventIndex);
    void onRangeChanged(const QCPRange &range);
    void onVisibleRangeChanged(qint64 t0, qint64 t1);
    void updateRowLabels();
    void fitRows();
    void fitAxisLabel(); // the longest x-axis caption that fits the plot's width
    void zoomBy(double factor);
    // The run from its start to its end (the revealed part while reveal hides), or to atLeast if later.
    void showWholeRun(double atLeast = 0);
    qint64 keyToNs(double key) const;
    double nsToKey(qint64 ns) const;

    RunModel *m_run;
    ViewState *m_view;
    QCustomPlot *m_plot;
    StatePlottable *m_plottable;
    QSharedPointer<QCPAxisTickerText> m_rowTicker;
    QAction *m_eventAxisAction;
    bool m_followEnd = true; // the x range grows with the run until the user zooms or pans
    bool m_syncing = false;  // set while applying the ViewState's range, so it is not echoed back
};

} // namespace sockscope::ui
