// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// State timelines: one row per socket (names on the left axis), coloured state bands, markers for calls,
// segments and signals, the shared cursor; zoom and pan on the time axis. All drawn by one StatePlottable.
// Thread-safety: GUI thread only.

#include <QWidget>

class QCustomPlot;
class QCPAxisTickerText;
class QCPRange;

namespace sockscope::ui {

class RunModel;
class StatePlottable;
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
    void zoomBy(double factor);

    RunModel *m_run;
    ViewState *m_view;
    QCustomPlot *m_plot;
    StatePlottable *m_plottable;
    QSharedPointer<QCPAxisTickerText> m_rowTicker;
    bool m_followEnd = true; // the x range grows with the run until the user zooms or pans
    bool m_syncing = false;  // set while applying the ViewState's range, so it is not echoed back
};

} // namespace sockscope::ui
