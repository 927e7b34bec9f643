// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/sequence/sequenceview.h"
#include "ui/model/threadcheck.h"

#include "ui/model/refreshrate.h"
#include "ui/model/revealrule.h"
#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"
#include "ui/sequence/sequencelabels.h"
#include "ui/sequence/sequencepainter.h"

#include <QAction>
#include <QHelpEvent>
#include <QPainter>
#include <QResizeEvent>
#include <QScrollBar>
#include <QThread>
#include <QTimer>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <utility>

namespace sockscope::ui {

namespace {
constexpr double kMinZoom = 0.1, kMaxZoom = 8.0;
} // namespace

SequenceView::SequenceView(RunModel *run, ViewState *view, QWidget *parent)
    : QAbstractScrollArea(parent), m_run(run), m_view(view)
{
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    setFocusPolicy(Qt::StrongFocus);
    setFrameShape(QFrame::NoFrame);

    m_relayoutTimer = new QTimer(this);
    m_relayoutTimer->setSingleShot(true);
    m_relayoutTimer->setInterval(kRefreshIntervalMs); // batches arrive faster than anyone can read
    connect(m_relayoutTimer, &QTimer::timeout, this, [this] { layOut(std::exchange(m_appendOnly, false)); });

    m_legendAction = new QAction(tr("Legend"), this);
    m_legendAction->setCheckable(true);
    m_legendAction->setShortcut(QKeySequence(Qt::Key_L));
    m_legendAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_legendAction);
    connect(m_legendAction, &QAction::toggled, this, &SequenceView::setLegendVisible);

    connect(m_run, &RunModel::eventsAppended, this, [this](int first, int) {
        if (first == 0)
            m_followEnd = true; // a live run: show the newest events until the user scrolls away
        if (!m_relayoutTimer->isActive())
            m_appendOnly = true; // unless something asks for a whole layout before the timer fires
        scheduleRelayout();
    });
    connect(m_run, &RunModel::runReset, this, [this] {
        m_followEnd = false; // a run loaded whole: start at its beginning
        relayout();
    });
    connect(m_view, &ViewState::timeModeChanged, this, &SequenceView::relayout);
    connect(m_view, &ViewState::revealChanged, this, &SequenceView::relayout);
    connect(m_view, &ViewState::themeChanged, this, &SequenceView::relayout);
    connect(m_view, &ViewState::classModeChanged, this, &SequenceView::relayout);
    connect(m_view, &ViewState::cursorChanged, this, [this](int e) {
        ensureEventVisible(e);
        viewport()->update();
    });
    connect(m_view, &ViewState::hoverChanged, this, [this](int, const QString &sock) {
        const int row = m_run->socketIndex(sock.toStdString());
        m_hoverLane = m_layout.laneOfSocketRow(row);
        viewport()->update();
    });
    relayout();
}

void SequenceView::setLegendVisible(bool on)
{
    if (on == m_legendVisible)
        return;
    m_legendVisible = on;
    m_legendAction->setChecked(on);
    viewport()->update();
    Q_EMIT legendVisibilityChanged(on);
}

void SequenceView::setZoom(double zoom)
{
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    if (zoom == m_zoom)
        return;
    m_zoom = zoom;
    relayout();
}

QSize SequenceView::sizeHint() const
{
    return {1000, 600};
}

double SequenceView::headerHeight() const
{
    return SequencePainter(*m_run, m_layout, m_view->theme()).headerHeight();
}

void SequenceView::scheduleRelayout()
{
    SOCKSCOPE_REQUIRE_OWN_THREAD();
    if (!m_relayoutTimer->isActive())
        m_relayoutTimer->start();
}

void SequenceView::scheduleWholeRelayout()
{
    m_appendOnly = false;
    scheduleRelayout();
}

void SequenceView::relayout()
{
    layOut(false);
}

void SequenceView::layOut(bool appendOnly)
{
    m_relayoutTimer->stop();
    m_appendOnly = false; // a whole layout includes the batch an append was scheduled for
    SequenceOptions o;
    o.mode = m_view->timeMode();
    o.revealLimit = m_view->revealLimit();
    o = o.scaledFor(m_view->theme().font);
    // Narrower call columns rather than a horizontal scroll bar that hides the other actor; in class mode
    // whatever it takes (wrapped labels, no time column) for every lifeline and every call's whole text.
    if (m_view->classMode())
        o = o.fittedForClass(*m_run, viewport()->width(), m_view->theme().monoFont);
    else
        o = o.fittedTo(viewport()->width(), static_cast<int>(m_run->actors().size()),
                       static_cast<int>(m_run->sockets().size()));
    if (o.mode == TimeMode::Uniform)
        o.rowHeight = std::max(2.0, std::round(o.rowHeight * m_zoom));
    else
        o.timeZoom = m_zoom;
    // While streaming, follow the end if the user was already looking at it (or nothing scrolled yet).
    QScrollBar *v = verticalScrollBar();
    const bool atEnd = v->value() >= v->maximum() && (v->maximum() > 0 || m_followEnd);
    // A streamed batch extends the layout (only the new events are placed) where the geometry is the same.
    if (!(appendOnly && o == m_options && m_layout.append(*m_run))) {
        m_options = o;
        m_layout = SequenceLayout::compute(*m_run, m_options);
    }
    m_hoverLane = m_layout.laneOfSocketRow(m_run->socketIndex(m_view->hoveredSocket().toStdString()));
    updateScrollBars();
    if (m_pendingAnchorEvent >= 0 && m_pendingAnchorEvent <= m_layout.lastEvent()) {
        v->setValue(static_cast<int>(m_layout.item(m_pendingAnchorEvent).y - m_pendingAnchorY));
        m_pendingAnchorEvent = -1;
    } else if (atEnd) {
        v->setValue(v->maximum());
    }
    // In class mode the cursor stays on screen through every relayout: entering it, the new type size, the
    // full-screen width.
    if (m_view->classMode())
        ensureEventVisible(m_view->cursor());
    publishVisibleRange();
    viewport()->update();
}

void SequenceView::updateScrollBars()
{
    const QSize vp = viewport()->size();
    const double body = std::max(0.0, vp.height() - headerHeight());
    verticalScrollBar()->setRange(0, std::max(0, static_cast<int>(std::ceil(m_layout.height() - body))));
    verticalScrollBar()->setPageStep(static_cast<int>(body));
    verticalScrollBar()->setSingleStep(static_cast<int>(m_options.rowHeight));
    horizontalScrollBar()->setRange(0, std::max(0, static_cast<int>(std::ceil(m_layout.width())) - vp.width()));
    horizontalScrollBar()->setPageStep(vp.width());
    horizontalScrollBar()->setSingleStep(20);
}

void SequenceView::publishVisibleRange()
{
    if (m_layout.rowCount() == 0)
        return;
    const double top = verticalScrollBar()->value();
    const double bottom = top + viewport()->height() - headerHeight();
    auto [first, last] = m_layout.rowRange(top, bottom);
    if (first >= last)
        return;
    const auto &rows = m_layout.rowEvents();
    m_view->setVisibleRange(m_run->event(rows[static_cast<size_t>(first)]).tNs,
                            m_run->event(rows[static_cast<size_t>(last - 1)]).tNs);
}

void SequenceView::ensureEventVisible(int e)
{
    if (e < 0 || e > m_layout.lastEvent())
        return;
    const double y = m_layout.item(e).y;
    const double body = viewport()->height() - headerHeight();
    const double top = verticalScrollBar()->value();
    const double margin = std::min(2 * m_options.rowHeight, body / 3); // tall rows (large type): still on screen
    if (y - margin < top)
        verticalScrollBar()->setValue(static_cast<int>(y - margin));
    else if (y + margin > top + body)
        verticalScrollBar()->setValue(static_cast<int>(y + margin - body));
}

QPointF SequenceView::toLayout(QPointF pos) const
{
    return {pos.x() + horizontalScrollBar()->value(), pos.y() - headerHeight() + verticalScrollBar()->value()};
}

void SequenceView::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    const Theme &theme = m_view->theme();
    const SequencePainter painter(*m_run, m_layout, theme);
    const double hh = painter.headerHeight();
    const double dx = horizontalScrollBar()->value();
    const double dy = verticalScrollBar()->value();
    const QSizeF vp = viewport()->size();
    p.fillRect(viewport()->rect(), theme.background);

    SequenceHighlight h;
    h.cursor = m_view->cursor();
    h.hover = m_view->hoveredEvent();
    h.hoverLane = m_hoverLane;
    p.save();
    p.setClipRect(QRectF(0, hh, vp.width(), vp.height() - hh));
    p.translate(-dx, hh - dy);
    painter.paintBody(p, QRectF(dx, dy, vp.width(), vp.height() - hh), h);
    p.restore();

    p.save();
    p.setClipRect(QRectF(0, 0, vp.width(), hh));
    p.translate(-dx, 0);
    painter.paintHeader(p, QRectF(dx, 0, vp.width(), hh), m_hoverLane);
    p.restore();

    if (const double bh = painter.contradictionBannerHeight(vp.width()); bh > 0)
        painter.paintContradictionBanner(p, QRectF(0, hh, vp.width(), bh));
    if (m_legendVisible) {
        const double w = std::min(vp.width() - 16, 3 * 170.0 + 16);
        const QSizeF ls = painter.legendSize(w);
        painter.paintLegend(p, QRectF(QPointF(vp.width() - ls.width() - 8, vp.height() - ls.height() - 8), ls));
    }
    if (m_run->eventCount() == 0) {
        p.setPen(theme.mutedText);
        p.setFont(theme.font);
        p.drawText(QRectF(0, hh, vp.width(), vp.height() - hh), Qt::AlignCenter,
                   tr("No events yet: run a scenario (F5) or open a run file."));
    }
}

void SequenceView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
    publishVisibleRange();
    // A new width may fit the columns differently: lay out again, at most ~30 times a second.
    if (event->size().width() != event->oldSize().width())
        scheduleWholeRelayout();
}

void SequenceView::scrollContentsBy(int, int)
{
    publishVisibleRange();
    viewport()->update();
}

void SequenceView::wheelEvent(QWheelEvent *event)
{
    if (!(event->modifiers() & Qt::ControlModifier)) {
        QAbstractScrollArea::wheelEvent(event);
        return;
    }
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0)
        return;
    // Keep the event under the mouse where it is.
    const QPointF pos = event->position();
    const auto [first, last] = m_layout.rowRange(toLayout(pos).y() - 4 * m_options.rowHeight, toLayout(pos).y());
    if (last > first) {
        m_pendingAnchorEvent = m_layout.rowEvents()[static_cast<size_t>(last - 1)];
        m_pendingAnchorY = pos.y() - headerHeight();
    }
    setZoom(m_zoom * std::pow(1.25, steps));
    m_pendingAnchorEvent = -1;
    event->accept();
}

int SequenceView::laneName(int lane, QString *name) const
{
    name->clear();
    if (lane < 0)
        return -1;
    const int row = m_layout.lanes()[static_cast<size_t>(lane)].socketRow;
    if (row >= 0)
        *name = QString::fromStdString(m_run->sockets()[static_cast<size_t>(row)].sock);
    return row;
}

void SequenceView::mouseMoveEvent(QMouseEvent *event)
{
    const QPointF pos = event->position();
    QString sock;
    if (pos.y() < headerHeight()) {
        laneName(m_layout.laneAt(toLayout(pos).x()), &sock);
        m_view->setHover(-1, sock);
        return;
    }
    const QPointF at = toLayout(pos);
    laneName(m_layout.laneAt(at.x()), &sock);
    m_view->setHover(m_layout.eventAt(at), sock);
}

void SequenceView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || event->position().y() < headerHeight()) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const SequencePainter painter(*m_run, m_layout, m_view->theme());
    if (event->position().y() < headerHeight() + painter.contradictionBannerHeight(viewport()->width())) {
        const int first = m_run->contradictions().front(); // the banner: go to the first contradiction
        m_view->setCursor(first);
        ensureEventVisible(first);
        return;
    }
    m_view->setCursor(m_layout.eventAt(toLayout(event->position())));
}

void SequenceView::leaveEvent(QEvent *event)
{
    m_view->clearHover();
    QAbstractScrollArea::leaveEvent(event);
}

void SequenceView::keyPressEvent(QKeyEvent *event)
{
    // Up/Down walk the drawn rows (the table walks every event).
    const auto &rows = m_layout.rowEvents();
    if ((event->key() == Qt::Key_Down || event->key() == Qt::Key_Up) && !rows.empty()) {
        const int cur = m_view->cursor();
        int row = -1;
        if (cur >= 0 && cur <= m_layout.lastEvent()) {
            auto it = std::lower_bound(rows.begin(), rows.end(), cur);
            row = static_cast<int>(it - rows.begin());
            if (event->key() == Qt::Key_Down && it != rows.end() && *it == cur)
                ++row;
            else if (event->key() == Qt::Key_Up)
                --row;
        } else {
            row = event->key() == Qt::Key_Down ? 0 : static_cast<int>(rows.size()) - 1;
        }
        row = std::clamp(row, 0, static_cast<int>(rows.size()) - 1);
        m_view->setCursor(rows[static_cast<size_t>(row)]);
        return;
    }
    if (event->key() == Qt::Key_Escape) {
        m_view->setCursor(-1);
        return;
    }
    QAbstractScrollArea::keyPressEvent(event);
}

bool SequenceView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QPointF pos = help->pos();
        const int e = pos.y() < headerHeight() ? -1 : m_layout.eventAt(toLayout(pos));
        if (e >= 0) {
            QToolTip::showText(help->globalPos(), eventDetails(*m_run, e, m_view->revealLimit()), viewport());
        } else {
            QString sock;
            const int row = laneName(m_layout.laneAt(toLayout(pos).x()), &sock);
            const RevealRule reveal(*m_run, *m_view);
            if (row >= 0 && reveal.showsSocket(row)) {
                const SocketRow s = reveal.socketAsShown(row); // fd, addresses as far as they are revealed
                QToolTip::showText(help->globalPos(),
                                   tr("%1 (%2, %3)\nfd %4\nlocal %5\nremote %6")
                                       .arg(sock, QString::fromStdString(s.actor), QString::fromStdString(s.role))
                                       .arg(s.fd)
                                       .arg(QString::fromStdString(s.local), QString::fromStdString(s.remote)),
                                   viewport());
            } else {
                QToolTip::hideText();
            }
        }
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

} // namespace sockscope::ui
