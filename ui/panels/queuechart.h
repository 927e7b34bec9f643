// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Unread bytes in each socket's receive queue and unacknowledged bytes in its send queue over time (from
// `queue` events), as step lines; a vertical line follows the shared cursor. It shows why close() sent a RST.
// With reveal on it is cut at the reveal limit (nothing after the cursor, not even the x range).
// Thread-safety: GUI thread only.

#include <QHash>
#include <QList>
#include <QPointF>
#include <QWidget>

class QChart;
class QChartView;
class QLineSeries;
class QValueAxis;

namespace sockscope::ui {

class RunModel;
class ViewState;

class QueueChart : public QWidget
{
    Q_OBJECT
public:
    QueueChart(RunModel *run, ViewState *view, QWidget *parent = nullptr);

    QChart *chart() const { return m_chart; }
    QChartView *chartView() const { return m_chartView; }
    // "server.1 recv_q" -> series; for tests.
    QLineSeries *series(const QString &name) const;
    int seriesCount() const;

    QSize sizeHint() const override { return {480, 240}; }

private:
    struct Track
    {
        QLineSeries *recv = nullptr;
        QLineSeries *send = nullptr;
        // The step lines' corners; the series show them plus a hold to the run's current end. Kept here so
        // each batch hands each series one list (Qt Charts recomputes a series' whole path per change).
        QList<QPointF> recvPoints;
        QList<QPointF> sendPoints;
        qint64 lastRecv = 0;
        qint64 lastSend = 0;
    };
    int lastShown() const; // the last event drawn: the run's last, or the reveal limit
    double endMs() const;  // the x range's end: the run's end, or the last revealed event's time
    void onEventsAppended(int first, int last);
    void onRunReset();
    void onThemeChanged();
    void updateCursor();
    Track &track(const QString &sock);
    void showPoints(); // every series: its corners and the hold to the run's end, one replace() each
    void setAxes();
    static QList<QPointF> reduced(const QList<QPointF> &points, double bucket, double end, double last);

    RunModel *m_run;
    ViewState *m_view;
    QChart *m_chart;
    QChartView *m_chartView;
    QValueAxis *m_axisX;
    QValueAxis *m_axisY;
    QLineSeries *m_cursor;
    QHash<QString, Track> m_tracks;
    QList<QString> m_order; // sockets in the order their first queue event came
    qint64 m_maxBytes = 0;
    double m_axisEnd = -1; // the x range and y maximum last applied: axes are only touched when they change
    double m_axisMax = -1;
};

} // namespace sockscope::ui
