// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Unread bytes in each socket's receive queue and unacknowledged bytes in its send queue over time (from
// `queue` events), as step lines; a vertical line follows the shared cursor. It shows why close() sent a RST.
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
        qint64 lastRecv = 0;
        qint64 lastSend = 0;
        bool tail = false; // the last point of each series is a hold to the run's current end
    };
    void onEventsAppended(int first, int last);
    void onRunReset();
    void onThemeChanged();
    void updateCursor();
    Track &track(const QString &sock);
    void extendTails();

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
};

} // namespace sockscope::ui
