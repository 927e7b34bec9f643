// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/timeline/timelineview.h"
#include "ui/model/threadcheck.h"

#include "ui/model/revealrule.h"
#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"
#include <QAction>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QToolTip>
#include <QVBoxLayout>

#include <qcustomplot.h>

namespace sockscope::ui {

namespace {
constexpr int kCaptionMargin = 12; // px kept free right of the caption (the axis rect's right margin and a gap)
}

TimelineView::TimelineView(RunModel *run, ViewState *view, QWidget *parent)
    : QWidget(parent), m_run(run), m_view(view), m_plot(new QCustomPlot(this)), m_rowTicker(new QCPAxisTickerText),
      m_eventAxisAction(new QAction(tr("Timelines: one step per &event"), this))
{
    m_eventAxisAction->setCheckable(true);
    m_eventAxisAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    m_eventAxisAction->setToolTip(tr("State timelines on the diagram's uniform axis (one step per event), so "
                                     "short states are visible bands; off: real time (Ctrl+Shift+T)"));
    connect(m_eventAxisAction, &QAction::toggled, this,
            [this](bool on) { setAxis(on ? StatePlottable::Axis::Events : StatePlottable::Axis::Time); });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    setMinimumSize(300, 120);

    m_plottable = new StatePlottable(m_plot->xAxis, m_plot->yAxis, m_run);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    m_plot->yAxis->setTicker(m_rowTicker);
    m_plot->yAxis->setRangeReversed(true); // first socket on top, as in the diagram
    m_plot->yAxis->grid()->setVisible(false);
    m_plot->yAxis->setSubTicks(false);
    m_plot->yAxis->setTickLength(0, 0);
    m_plot->xAxis->setRange(0, 1);

    connect(m_run, &RunModel::eventsAppended, this, &TimelineView::onEventsAppended);
    connect(m_run, &RunModel::socketsChanged, this, &TimelineView::onSocketsChanged);
    connect(m_run, &RunModel::runReset, this, &TimelineView::onRunReset);
    connect(m_view, &ViewState::themeChanged, this, &TimelineView::onThemeChanged);
    connect(m_view, &ViewState::cursorChanged, this, &TimelineView::onCursorChanged);
    connect(m_view, &ViewState::revealChanged, this, [this](int limit) {
        if (m_plottable->setRevealLimit(limit)) { // a socket was created (or un-created, stepping back)
            updateRowLabels();
            fitRows();
        }
        if (m_followEnd)
            showWholeRun(); // the revealed part grows as the events after the cursor would
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    });
    connect(m_view, &ViewState::visibleRangeChanged, this, &TimelineView::onVisibleRangeChanged);
    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, &TimelineView::onRangeChanged);
    // A click (not a drag) moves the shared cursor.
    connect(m_plot, &QCustomPlot::mousePress, this,
            [this](QMouseEvent *e) { m_plot->setProperty("pressPos", e->pos()); });
    connect(m_plot, &QCustomPlot::mouseRelease, this, [this](QMouseEvent *e) {
        if ((e->pos() - m_plot->property("pressPos").toPoint()).manhattanLength() <= 3)
            clickAt(e->pos());
    });
    m_plot->installEventFilter(this);
    // The caption is chosen once the layout is known: class mode's large type on a 1024 px projector.
    connect(m_plot, &QCustomPlot::afterReplot, this, &TimelineView::fitAxisLabel);
    onThemeChanged();
    onRunReset();
    setAxis(StatePlottable::Axis::Time);
}

StatePlottable::Axis TimelineView::axis() const
{
    return m_plottable->axis();
}

void TimelineView::setAxis(StatePlottable::Axis axis)
{
    const bool events = axis == StatePlottable::Axis::Events;
    m_eventAxisAction->setChecked(events);
    const bool same = axis == m_plottable->axis();
    m_plottable->setAxis(axis);
    fitAxisLabel();
    if (same)
        return;
    if (events) {
        // Whole steps only: a tick between two events means nothing.
        auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
        ticker->setTickStep(1);
        ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
        m_plot->xAxis->setTicker(ticker);
    } else {
        m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    }
    showWholeRun();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineView::fitAxisLabel()
{
    // The longest caption that fits under the axis (centred on it; a cut caption reads as a broken window).
    const QStringList labels = m_plottable->axis() == StatePlottable::Axis::Events
                                   ? QStringList{tr("events (one step per event, as the diagram)"),
                                                 tr("events (one step per event)"), tr("events")}
                                   : QStringList{tr("time since start (ms)"), tr("time (ms)"), tr("ms")};
    const QFontMetrics fm(m_plot->xAxis->labelFont());
    const int room = m_plot->width() - m_plot->axisRect()->left() - kCaptionMargin;
    QString label = labels.constLast();
    for (const QString &l : labels)
        if (fm.horizontalAdvance(l) <= room) {
            label = l;
            break;
        }
    if (label == m_plot->xAxis->label())
        return;
    m_plot->xAxis->setLabel(label);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineView::showWholeRun(double atLeast)
{
    m_followEnd = true;
    m_syncing = true;
    const double end = std::max(m_plottable->endKey(), atLeast);
    if (m_plottable->axis() == StatePlottable::Axis::Events)
        m_plot->xAxis->setRange(-0.5, std::max(end, 1.0) + 0.5);
    else
        m_plot->xAxis->setRange(0, std::max(end * 1.02, 0.01));
    m_syncing = false;
}

qint64 TimelineView::keyToNs(double key) const
{
    if (m_plottable->axis() == StatePlottable::Axis::Time)
        return static_cast<qint64>(key * 1e6);
    if (m_run->eventCount() == 0)
        return 0;
    return m_run->event(std::clamp(static_cast<int>(std::lround(key)), 0, m_run->eventCount() - 1)).tNs;
}

double TimelineView::nsToKey(qint64 ns) const
{
    if (m_plottable->axis() == StatePlottable::Axis::Time)
        return StatePlottable::toMs(ns);
    const auto &events = m_run->events();
    return static_cast<double>(
        std::lower_bound(events.begin(), events.end(), ns, [](const core::Event &e, qint64 t) { return e.tNs < t; }) -
        events.begin());
}

QString TimelineView::toolTipAt(const QPoint &pos) const
{
    return m_plottable->bandToolTip(m_plottable->bandAt(pos));
}

void TimelineView::clickAt(const QPoint &pos)
{
    if (!m_plot->axisRect()->rect().contains(pos))
        return;
    int event = m_plottable->eventNear(pos, 8);
    if (event < 0)
        event = m_plottable->eventAtKey(m_plot->xAxis->pixelToCoord(pos.x()));
    event = std::min(event, RevealRule(*m_run, *m_view).lastShown()); // no click past what is revealed
    if (event >= 0)
        m_view->setCursor(event);
}

bool TimelineView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_plot && event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, m_plot);
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void TimelineView::onEventsAppended(int first, int last)
{
    SOCKSCOPE_REQUIRE_OWN_THREAD();
    m_plottable->appendEvents(first, last);
    if (m_followEnd)
        showWholeRun(); // growing with the run is not a user zoom
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineView::onSocketsChanged()
{
    // Rows moved or grew: the marks carry row numbers, so index them again (a few times per run).
    m_plottable->rebuild();
    updateRowLabels();
    fitRows();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineView::onRunReset()
{
    m_plottable->rebuild();
    m_plottable->setCursorEvent(m_view->cursor());
    updateRowLabels();
    fitRows();
    showWholeRun();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineView::updateRowLabels()
{
    m_rowTicker->clear();
    const auto &sockets = m_run->sockets();
    for (int row = 0; row < m_plottable->shownRows(); ++row)
        m_rowTicker->addTick(row,
                             QString::fromStdString(sockets[static_cast<size_t>(m_plottable->socketAtRow(row))].sock));
}

void TimelineView::fitRows()
{
    const double rows = std::max<double>(1, m_plottable->shownRows());
    m_plot->yAxis->setRange(-0.5, rows - 0.5);
}

void TimelineView::onThemeChanged()
{
    const Theme &t = m_view->theme();
    m_plottable->setTheme(t);
    m_plot->setBackground(t.background);
    m_plot->axisRect()->setBackground(t.background);
    for (QCPAxis *axis : {m_plot->xAxis, m_plot->yAxis}) {
        axis->setBasePen(QPen(t.grid));
        axis->setTickPen(QPen(t.grid));
        axis->setSubTickPen(QPen(t.grid));
        axis->setTickLabelColor(t.text);
        axis->setLabelColor(t.mutedText);
        axis->setTickLabelFont(t.font);
        axis->setLabelFont(t.font);
        axis->grid()->setPen(QPen(t.grid, 0, Qt::DotLine));
    }
    m_plot->yAxis->setTickLabelFont(t.monoFont);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineView::onCursorChanged(int eventIndex)
{
    m_plottable->setCursorEvent(eventIndex);
    // Keep the cursor in view: pan (not zoom) when it leaves the visible range.
    if (eventIndex >= 0 && eventIndex < m_run->eventCount()) {
        const double x = m_plottable->keyOfEvent(eventIndex);
        const QCPRange r = m_plot->xAxis->range();
        if (m_followEnd && x > r.upper)
            showWholeRun(x); // stepping on with reveal: the shown part grows
        else if (x < r.lower || x > r.upper)
            m_plot->xAxis->setRange(x - r.size() / 2, x + r.size() / 2);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineView::onRangeChanged(const QCPRange &range)
{
    if (m_syncing)
        return;
    m_followEnd = false;
    m_syncing = true;
    m_view->setVisibleRange(keyToNs(range.lower), keyToNs(range.upper));
    m_syncing = false;
}

void TimelineView::onVisibleRangeChanged(qint64 t0, qint64 t1)
{
    if (m_syncing)
        return;
    if (t1 < t0) {
        showWholeRun();
    } else {
        m_syncing = true;
        m_followEnd = false;
        m_plot->xAxis->setRange(nsToKey(t0), std::max(nsToKey(t1), nsToKey(t0) + 1e-6));
        m_syncing = false;
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineView::zoomBy(double factor)
{
    const QCPRange r = m_plot->xAxis->range();
    double center = r.center();
    if (m_view->cursor() >= 0 && m_view->cursor() < m_run->eventCount())
        center = m_plottable->keyOfEvent(m_view->cursor());
    m_plot->xAxis->setRange(center - r.size() * factor / 2, center + r.size() * factor / 2);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineView::zoomIn()
{
    zoomBy(0.5);
}
void TimelineView::zoomOut()
{
    zoomBy(2.0);
}

void TimelineView::zoomReset()
{
    m_view->resetVisibleRange();
    onVisibleRangeChanged(0, -1);
}

} // namespace sockscope::ui
