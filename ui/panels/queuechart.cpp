// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/queuechart.h"
#include "ui/model/threadcheck.h"

#include "ui/model/revealrule.h"
#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"

#include <QChart>
#include <QChartView>
#include <QLegendMarker>
#include <QLineSeries>
#include <QThread>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>
#include <tuple>

namespace sockscope::ui {
namespace {
double ms(qint64 tNs)
{
    return static_cast<double>(tNs) / 1e6;
}

// One colour per socket, taken from the theme's table so dark and print themes stay readable.
QColor socketColor(const Theme &t, int i)
{
    // Six hues that differ in every theme (segmentSyn and segmentData were twins of syscallOk and checkOk).
    const QColor colors[] = {t.syscallOk, t.segmentFin, t.checkOk, t.signalMarker, t.state(core::TcpState::SynReceived),
                             t.mutedText};
    return colors[i % static_cast<int>(std::size(colors))];
}
} // namespace

QueueChart::QueueChart(RunModel *run, ViewState *view, QWidget *parent)
    : QWidget(parent), m_run(run), m_view(view), m_chart(new QChart), m_chartView(new QChartView(m_chart, this)),
      m_axisX(new QValueAxis(m_chart)), m_axisY(new QValueAxis(m_chart)), m_cursor(new QLineSeries(m_chart))
{
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->setBackgroundRoundness(0);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->addAxis(m_axisX, Qt::AlignBottom);
    m_chart->addAxis(m_axisY, Qt::AlignLeft);
    m_axisX->setTitleText(tr("time since start (ms)"));
    m_axisY->setTitleText(tr("bytes"));
    m_chart->setTitle(tr("solid: recv_q   dashed: send_q"));
    m_axisY->setLabelFormat(QStringLiteral("%d"));
    m_axisX->setRange(0, 1);
    m_axisX->setTickAnchor(0);
    m_axisX->setTickInterval(0.2); // never 0 while dynamic: that would be endless ticks
    m_axisX->setTickType(QValueAxis::TicksDynamic);
    m_chart->addSeries(m_cursor);
    m_cursor->attachAxis(m_axisX);
    m_cursor->attachAxis(m_axisY);
    m_cursor->setName(tr("cursor"));
    m_chart->legend()->markers(m_cursor).constFirst()->setVisible(false);
    // Step lines are horizontal and vertical: antialiasing would only make the raster engine stroke every
    // segment the slow way (the largest cost of a streamed 100k-event run).
    m_chartView->setRenderHint(QPainter::Antialiasing, false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_chartView);
    setMinimumSize(200, 120);

    connect(m_run, &RunModel::eventsAppended, this, &QueueChart::onEventsAppended);
    connect(m_run, &RunModel::runReset, this, &QueueChart::onRunReset);
    connect(m_view, &ViewState::cursorChanged, this, &QueueChart::updateCursor);
    // Reveal cuts the chart at the cursor: rebuilt from the revealed events (a lesson's run is small).
    connect(m_view, &ViewState::revealChanged, this, &QueueChart::onRunReset);
    connect(m_view, &ViewState::themeChanged, this, &QueueChart::onThemeChanged);
    onRunReset();
}

QLineSeries *QueueChart::series(const QString &name) const
{
    for (auto it = m_tracks.begin(); it != m_tracks.end(); ++it) {
        if (it->recv && it->recv->name() == name)
            return it->recv;
        if (it->send && it->send->name() == name)
            return it->send;
    }
    return nullptr;
}

int QueueChart::seriesCount() const
{
    return static_cast<int>(m_tracks.size()) * 2;
}

QueueChart::Track &QueueChart::track(const QString &sock)
{
    auto it = m_tracks.find(sock);
    if (it != m_tracks.end())
        return *it;
    Track t;
    const QColor color = socketColor(m_view->theme(), static_cast<int>(m_order.size()));
    t.recv = new QLineSeries(m_chart);
    t.recv->setName(sock + tr(" recv_q"));
    t.recv->setPen(QPen(color, 2));
    t.send = new QLineSeries(m_chart);
    t.send->setName(sock + tr(" send_q"));
    t.send->setPen(QPen(color.lighter(130), 2, Qt::DashLine));
    for (QLineSeries *s : {t.recv, t.send}) {
        m_chart->addSeries(s);
        s->attachAxis(m_axisX);
        s->attachAxis(m_axisY);
    }
    // One legend entry per socket (its colour); the axis title tells solid from dashed.
    m_chart->legend()->markers(t.send).constFirst()->setVisible(false);
    m_chart->legend()->markers(t.recv).constFirst()->setLabel(sock);
    m_order.append(sock);
    return *m_tracks.insert(sock, t);
}

int QueueChart::lastShown() const
{
    return RevealRule(*m_run, *m_view).lastShown();
}

double QueueChart::endMs() const
{
    const int last = lastShown();
    return !RevealRule(*m_run, *m_view).on() || last < 0 ? ms(m_run->endNs()) : ms(m_run->event(last).tNs);
}

void QueueChart::onEventsAppended(int first, int last)
{
    SOCKSCOPE_REQUIRE_OWN_THREAD();
    last = std::min(last, lastShown());
    for (int i = first; i <= last; ++i) {
        const core::Event &e = m_run->event(i);
        core::QueueInfo closed;
        const auto *qi = e.as<core::QueueInfo>();
        if (const auto *st = e.as<core::StateInfo>(); st && st->to == core::TcpState::Closed) {
            // A closed socket's queues are gone (discarded or delivered): drop its lines to zero.
            if (!m_tracks.contains(QString::fromStdString(st->sock)))
                continue;
            closed.sock = st->sock;
            qi = &closed;
        }
        if (!qi)
            continue;
        Track &t = track(QString::fromStdString(qi->sock));
        const double x = ms(e.tNs);
        // A step line needs a corner only where the value changes: repeated snapshots add no point.
        auto step = [x](QList<QPointF> &points, qint64 &lastValue, qint64 value) {
            if (!points.isEmpty() && value == lastValue)
                return;
            if (!points.isEmpty())
                points.append(QPointF(x, static_cast<double>(lastValue))); // hold, then jump
            points.append(QPointF(x, static_cast<double>(value)));
            lastValue = value;
        };
        step(t.recvPoints, t.lastRecv, qi->recvQ);
        step(t.sendPoints, t.lastSend, qi->sendQ);
        m_maxBytes = std::max({m_maxBytes, static_cast<qint64>(qi->recvQ), static_cast<qint64>(qi->sendQ)});
    }
    setAxes();
    showPoints();
    updateCursor();
}

void QueueChart::setAxes()
{
    // Ticks at 1, 2 or 5 x 10^k ms from 0, at most five of them (rounding the step up: ten labels of "2000"
    // do not fit a dock and get elided to "2..."), with no padding past the run's end. The interval is set
    // before the range: a grown range with the old, small interval would create thousands of ticks.
    double end = std::max(endMs(), 0.01);
    // While a run streams, the axis ends at the next multiple of its tick step past the run's end: it changes a
    // few times per run instead of at every batch (setting a Qt Charts axis range re-lays out its labels, the
    // chart's largest cost per batch in bench_ui_stream). A finished run ends at its end.
    const bool streaming = !m_run->isFinished() && m_run->eventCount() > 0;
    if (streaming && m_axisEnd > 0 && end <= m_axisEnd)
        end = m_axisEnd;
    if (end != m_axisEnd) {
        const double raw = end / 5, magnitude = std::pow(10.0, std::floor(std::log10(raw)));
        const double f = raw / magnitude;
        const double step = magnitude * (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10);
        if (streaming)
            end = std::ceil(end / step) * step;
        m_axisEnd = end;
        m_axisX->setTickInterval(step);
        m_axisX->setLabelFormat(step >= 1 ? QStringLiteral("%.0f") : QStringLiteral("%.3g"));
        m_axisX->setRange(0, end);
    }
    const double max = static_cast<double>(std::max<qint64>(m_maxBytes * 11 / 10, 10));
    if (max != m_axisMax) {
        m_axisMax = max;
        m_axisY->setRange(0, max);
        m_axisY->applyNiceNumbers();
    }
}

void QueueChart::showPoints()
{
    // Qt Charts strokes and hit-tests every point of a series on every change: a long run is reduced to what
    // the plot can show, per bucket of half a pixel its first, highest, lowest and last value.
    const double end = endMs();
    const double plotWidth = std::max<qreal>(m_chart->plotArea().width(), 200);
    const double bucket = std::max(end, 1e-9) / (2 * plotWidth);
    for (auto it = m_tracks.begin(); it != m_tracks.end(); ++it) {
        for (auto [series, points, last] : {std::tuple{it->recv, &it->recvPoints, it->lastRecv},
                                            std::tuple{it->send, &it->sendPoints, it->lastSend}}) {
            series->replace(reduced(*points, bucket, end, static_cast<double>(last)));
        }
    }
}

// The points to draw for a step line's corners: per bucket its first point, then, when several fall in it,
// the highest, lowest and last value at the bucket's first x; then a hold of the last value to `end`.
QList<QPointF> QueueChart::reduced(const QList<QPointF> &points, double bucket, double end, double last)
{
    QList<QPointF> out;
    out.reserve(points.size() + 1);
    for (qsizetype i = 0; i < points.size();) {
        const double x0 = points[i].x();
        const qsizetype first = i;
        double lo = points[i].y(), hi = lo;
        for (++i; i < points.size() && points[i].x() < x0 + bucket; ++i) {
            lo = std::min(lo, points[i].y());
            hi = std::max(hi, points[i].y());
        }
        out.append(points[first]);
        if (i - first == 2) {
            out.append(points[first + 1]); // a plain step: keep it exact
        } else if (i - first > 2) {
            out.append(QPointF(x0, hi));
            out.append(QPointF(x0, lo));
            out.append(QPointF(x0, points[i - 1].y()));
        }
    }
    if (!out.isEmpty() && out.constLast().x() < end)
        out.append(QPointF(end, last));
    return out;
}

void QueueChart::onRunReset()
{
    for (auto it = m_tracks.begin(); it != m_tracks.end(); ++it) {
        m_chart->removeSeries(it->recv);
        m_chart->removeSeries(it->send);
        delete it->recv;
        delete it->send;
    }
    m_tracks.clear();
    m_order.clear();
    m_maxBytes = 0;
    m_axisEnd = m_axisMax = -1;
    m_axisX->setTickInterval(0.2);
    m_axisX->setRange(0, 1);
    m_axisY->setRange(0, 10);
    if (m_run->eventCount() > 0)
        onEventsAppended(0, m_run->eventCount() - 1);
    onThemeChanged();
}

void QueueChart::onThemeChanged()
{
    const Theme &t = m_view->theme();
    m_chart->setBackgroundBrush(t.background);
    m_chartView->setBackgroundBrush(t.background);
    m_chart->setPlotAreaBackgroundVisible(false);
    m_chart->legend()->setLabelColor(t.text);
    m_chart->legend()->setFont(t.font);
    m_chart->setTitleBrush(t.mutedText);
    m_chart->setTitleFont(t.font);
    for (QValueAxis *axis : {m_axisX, m_axisY}) {
        axis->setLabelsColor(t.text);
        axis->setTitleBrush(t.mutedText);
        axis->setLabelsFont(t.font);
        axis->setTitleFont(t.font);
        axis->setGridLineColor(t.alternateBackground.darker(110));
        axis->setLinePenColor(t.grid);
    }
    for (int i = 0; i < m_order.size(); ++i) {
        const Track &tr = m_tracks[m_order[i]];
        const QColor c = socketColor(t, i);
        tr.recv->setPen(QPen(c, 2));
        tr.send->setPen(QPen(c.lighter(130), 2, Qt::DashLine));
    }
    QColor cursor = t.text;
    cursor.setAlphaF(0.6);
    m_cursor->setPen(QPen(cursor, 1.5));
}

void QueueChart::updateCursor()
{
    const int c = m_view->cursor();
    if (c < 0 || c >= m_run->eventCount()) {
        m_cursor->clear();
        return;
    }
    const double x = ms(m_run->event(c).tNs);
    m_cursor->replace(QList<QPointF>{{x, 0}, {x, m_axisY->max()}});
}

} // namespace sockscope::ui
