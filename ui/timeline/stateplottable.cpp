// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/timeline/stateplottable.h"

#include "ui/model/revealrule.h"
#include "ui/model/runmodel.h"
#include "ui/sequence/sequencelabels.h"
#include "ui/sequence/timermark.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace sockscope::ui {
namespace {
constexpr double kBandHalf = 0.2;    // band half height, in rows
constexpr double kMarkOffset = 0.33; // calls above the band, segments below
} // namespace

StatePlottable::StatePlottable(QCPAxis *keyAxis, QCPAxis *valueAxis, const RunModel *run)
    : QCPAbstractPlottable(keyAxis, valueAxis), m_run(run), m_theme(Theme::screenLight())
{
    setSelectable(QCP::stNone);
    setAntialiased(false); // crisp bands; marks switch antialiasing on for themselves
}

bool StatePlottable::setRevealLimit(int lastEvent)
{
    m_reveal = lastEvent;
    return updateRows();
}

bool StatePlottable::updateRows()
{
    const RevealRule reveal(*m_run, m_reveal);
    std::vector<int> at;
    const int sockets = static_cast<int>(m_run->sockets().size());
    m_rowOf.assign(static_cast<size_t>(sockets), -1);
    for (int s = 0; s < sockets; ++s)
        if (reveal.showsSocket(s)) {
            m_rowOf[static_cast<size_t>(s)] = static_cast<int>(at.size());
            at.push_back(s);
        }
    const bool changed = at != m_socketAt;
    m_socketAt = std::move(at);
    return changed;
}

int StatePlottable::socketAtRow(int row) const
{
    return row >= 0 && row < shownRows() ? m_socketAt[static_cast<size_t>(row)] : -1;
}

int StatePlottable::rowOfSocket(int socketRow) const
{
    return socketRow >= 0 && socketRow < static_cast<int>(m_rowOf.size()) ? m_rowOf[static_cast<size_t>(socketRow)]
                                                                          : -1;
}

void StatePlottable::rebuild()
{
    updateRows();
    m_marks.clear();
    m_lanes.clear();
    m_indexed = 0;
    appendEvents(0, m_run->eventCount() - 1);
}

void StatePlottable::appendEvents(int first, int last)
{
    for (int i = std::max(first, m_indexed); i <= last; ++i)
        indexEvent(i);
    m_indexed = std::max(m_indexed, last + 1);
}

void StatePlottable::indexEvent(int i)
{
    const core::Event &e = m_run->event(i);
    const double ms = toMs(e.tNs);
    auto add = [&](std::string_view sock, MarkKind kind) {
        const int row = m_run->socketIndex(sock);
        if (row >= 0)
            addMark({ms, row, i, kind});
    };
    switch (e.kind()) {
    case core::EventKind::Syscall: {
        const int ret = m_run->returnOf(i);
        const bool error = ret >= 0 && !m_run->event(ret).as<core::ReturnInfo>()->err.empty();
        add(e.as<core::SyscallInfo>()->sock, error ? MarkKind::CallError : MarkKind::Call);
        break;
    }
    case core::EventKind::Return: {
        // The error is known only now: recolour the call's mark if it is already indexed.
        const auto *r = e.as<core::ReturnInfo>();
        const int call = m_run->syscallOf(i);
        if (!r->err.empty() && call >= 0)
            for (auto it = m_marks.rbegin(); it != m_marks.rend(); ++it)
                if (it->event == call) {
                    const int index = static_cast<int>(m_marks.rend() - it) - 1;
                    std::erase(lane(it->row, it->kind), index);
                    it->kind = MarkKind::CallError;
                    std::vector<int> &errors = lane(it->row, it->kind);
                    errors.insert(std::upper_bound(errors.begin(), errors.end(), index), index);
                    break;
                }
        break;
    }
    case core::EventKind::Packet: {
        const auto *p = e.as<core::PacketInfo>();
        add(p->from, MarkKind::SegmentOut);
        add(p->to, MarkKind::SegmentIn);
        break;
    }
    case core::EventKind::Signal: {
        const int call = m_run->syscallById(e.as<core::SignalInfo>()->during);
        if (call >= 0)
            add(m_run->event(call).as<core::SyscallInfo>()->sock, MarkKind::Signal);
        break;
    }
    case core::EventKind::Timer:
        if (timerGetsRow(*e.as<core::TimerInfo>()))
            add(e.as<core::TimerInfo>()->sock, MarkKind::Timer);
        break;
    default:
        break;
    }
}

void StatePlottable::addMark(const Mark &m)
{
    lane(m.row, m.kind).push_back(static_cast<int>(m_marks.size()));
    m_marks.push_back(m);
}

std::vector<int> &StatePlottable::lane(int socketRow, MarkKind kind)
{
    const auto at = static_cast<size_t>(socketRow * kMarkKinds + static_cast<int>(kind));
    if (m_lanes.size() <= at)
        m_lanes.resize(at + 1);
    return m_lanes[at];
}

double StatePlottable::keyOfEvent(int i) const
{
    return m_axis == Axis::Events ? i : toMs(m_run->event(i).tNs);
}

double StatePlottable::endKey() const
{
    if (const RevealRule reveal(*m_run, m_reveal); reveal.hiding())
        return reveal.lastShown() >= 0 ? keyOfEvent(reveal.lastShown()) : 0.0;
    return m_axis == Axis::Events ? std::max(0, m_run->eventCount() - 1) : toMs(m_run->endNs());
}

int StatePlottable::eventAtTime(qint64 tNs) const
{
    const auto &events = m_run->events();
    const auto it =
        std::lower_bound(events.begin(), events.end(), tNs, [](const core::Event &e, qint64 t) { return e.tNs < t; });
    return std::min(static_cast<int>(it - events.begin()), m_run->eventCount() - 1);
}

int StatePlottable::eventAtKey(double key) const
{
    if (m_run->eventCount() == 0)
        return -1;
    if (m_axis == Axis::Events)
        return std::clamp(static_cast<int>(std::lround(key)), 0, m_run->eventCount() - 1);
    return eventAtTime(static_cast<qint64>(std::ceil(key * 1e6)));
}

int StatePlottable::bandFirstEvent(const Band &b) const
{
    const StateSpan &s = m_run->stateSpans(b.row)[static_cast<size_t>(b.span)];
    return s.firstEvent >= 0 ? s.firstEvent : eventAtTime(s.t0);
}

int StatePlottable::bandEndEvent(const Band &b) const
{
    const auto &spans = m_run->stateSpans(b.row);
    const StateSpan &s = spans[static_cast<size_t>(b.span)];
    if (s.open)
        return m_run->eventCount() - 1;
    if (static_cast<size_t>(b.span) + 1 < spans.size())
        return bandFirstEvent({b.row, b.span + 1});
    return eventAtTime(s.t1);
}

double StatePlottable::bandStart(const Band &b) const
{
    return m_axis == Axis::Events ? bandFirstEvent(b) : toMs(m_run->stateSpans(b.row)[static_cast<size_t>(b.span)].t0);
}

double StatePlottable::bandEnd(const Band &b) const
{
    return m_axis == Axis::Events ? bandEndEvent(b) : toMs(m_run->stateSpans(b.row)[static_cast<size_t>(b.span)].t1);
}

StatePlottable::Band StatePlottable::bandAt(const QPointF &pos) const
{
    const double rowCoord = mValueAxis->pixelToCoord(pos.y());
    const int shownRow = static_cast<int>(std::lround(rowCoord));
    const int row = socketAtRow(shownRow);
    if (row < 0 || std::abs(rowCoord - shownRow) > kBandHalf)
        return {};
    const double key = mKeyAxis->pixelToCoord(pos.x());
    if (m_reveal >= 0 && m_reveal < m_run->eventCount() && key > keyOfEvent(m_reveal))
        return {};
    const auto &spans = m_run->stateSpans(row);
    for (int i = 0; i < static_cast<int>(spans.size()); ++i) {
        const Band b{row, i};
        // A band is at least a pixel wide on screen (drawBands): so is its hit area.
        const double onePx = std::abs(mKeyAxis->pixelToCoord(1) - mKeyAxis->pixelToCoord(0));
        if (key >= bandStart(b) && key <= std::max(bandEnd(b), bandStart(b) + onePx))
            return b;
    }
    return {};
}

QString StatePlottable::bandToolTip(const Band &b) const
{
    if (b.row < 0)
        return {};
    const StateSpan &s = m_run->stateSpans(b.row)[static_cast<size_t>(b.span)];
    const QString sock = QString::fromStdString(m_run->sockets()[static_cast<size_t>(b.row)].sock);
    const QString state = QString::fromLatin1(core::stateName(s.state).data());
    const int first = bandFirstEvent(b), last = bandEndEvent(b);
    // With reveal on, a state that lasts past the cursor has no end yet: its length would tell when it changes.
    if (const RevealRule reveal(*m_run, m_reveal); reveal.hiding() && !reveal.shows(last))
        return tr("%1: %2 since %3 (from event %4)").arg(sock, state, relativeTime(s.t0)).arg(first + 1);
    const QString events = tr("events %1-%2").arg(first + 1).arg(last + 1);
    if (s.open)
        return tr("%1: %2 from %3 to the end, %4 (%5)")
            .arg(sock, state, relativeTime(s.t0), durationText(m_run->endNs() - s.t0), events);
    return tr("%1: %2 for %3, from %4 (%5)").arg(sock, state, durationText(s.t1 - s.t0), relativeTime(s.t0), events);
}

int StatePlottable::eventNear(const QPointF &pos, double maxPx) const
{
    int best = -1;
    double bestD = maxPx * maxPx;
    const RevealRule reveal(*m_run, m_reveal);
    const double xLo = mKeyAxis->pixelToCoord(pos.x() - maxPx);
    const double xHi = mKeyAxis->pixelToCoord(pos.x() + maxPx);
    auto it = std::lower_bound(m_marks.begin(), m_marks.end(), xLo,
                               [this](const Mark &m, double x) { return markKey(m) < x; });
    for (; it != m_marks.end() && markKey(*it) <= xHi; ++it) {
        const int row = rowOfSocket(it->row);
        if (row < 0 || !reveal.shows(it->event))
            continue;
        const double dx = mKeyAxis->coordToPixel(markKey(*it)) - pos.x();
        const double dy = mValueAxis->coordToPixel(row) - pos.y();
        const double d = dx * dx + std::min(dy * dy, std::pow(std::max(0.0, std::abs(dy) - 12.0), 2));
        if (d <= bestD) {
            bestD = d;
            best = it->event;
        }
    }
    return best;
}

double StatePlottable::selectTest(const QPointF &, bool, QVariant *) const
{
    return -1;
}

QCPRange StatePlottable::getKeyRange(bool &foundRange, QCP::SignDomain) const
{
    foundRange = m_run->eventCount() > 0;
    return QCPRange(0, std::max(endKey(), 0.001));
}

QCPRange StatePlottable::getValueRange(bool &foundRange, QCP::SignDomain, const QCPRange &) const
{
    foundRange = shownRows() > 0;
    return QCPRange(-0.5, static_cast<double>(shownRows()) - 0.5);
}

void StatePlottable::draw(QCPPainter *painter)
{
    const int rows = shownRows();
    if (rows == 0 || !mKeyAxis || !mValueAxis)
        return;
    const QCPRange xr = mKeyAxis->range();
    const QCPRange yr = mValueAxis->range();
    const int rowFirst = std::clamp(static_cast<int>(std::floor(yr.lower)), 0, rows - 1);
    const int rowLast = std::clamp(static_cast<int>(std::ceil(yr.upper)), 0, rows - 1);
    drawBands(painter, rowFirst, rowLast, xr.lower, xr.upper, endKey());
    drawMarks(painter, rowFirst, rowLast, xr.lower, xr.upper);
    if (m_cursor >= 0 && m_cursor < m_run->eventCount()) {
        const double x = mKeyAxis->coordToPixel(keyOfEvent(m_cursor));
        QColor c = m_theme.text;
        c.setAlphaF(0.75);
        painter->setPen(QPen(c, 1.5 * m_theme.lineWidth));
        const QRect clip = clipRect();
        painter->drawLine(QPointF(x, clip.top()), QPointF(x, clip.bottom()));
    }
}

void StatePlottable::drawBands(QCPPainter *painter, int rowFirst, int rowLast, double xLo, double xHi, double revealKey)
{
    painter->setFont(m_theme.font);
    const QFontMetrics fm(m_theme.font);
    const QRect visible = mKeyAxis->axisRect()->rect();
    std::array<int, core::kTcpStateCount> nameWidth;
    nameWidth.fill(-1);
    for (int shownRow = rowFirst; shownRow <= rowLast; ++shownRow) {
        const int row = socketAtRow(shownRow);
        const auto &spans = m_run->stateSpans(row);
        const double yTop = mValueAxis->coordToPixel(shownRow - kBandHalf);
        const double yBottom = mValueAxis->coordToPixel(shownRow + kBandHalf);
        const double top = std::min(yTop, yBottom), height = std::abs(yBottom - yTop);
        // On both axes spans are in order of start and of end: search the first that ends in view.
        int lo = 0;
        for (int hi = static_cast<int>(spans.size()); lo < hi;) {
            const int mid = (lo + hi) / 2;
            if (bandEnd({row, mid}) < xLo)
                lo = mid + 1;
            else
                hi = mid;
        }
        int i = lo;
        double lastRight = -1e9; // skip spans that fall entirely on the pixel already painted
        for (auto it = spans.begin() + i; it != spans.end(); ++it, ++i) {
            const double start = bandStart({row, i});
            if (start > xHi || start > revealKey)
                break;
            const double left = mKeyAxis->coordToPixel(start);
            const double right = std::max(mKeyAxis->coordToPixel(std::min(bandEnd({row, i}), revealKey)), left + 1.0);
            if (right <= lastRight)
                continue;
            const QRectF band(std::max(left, lastRight), top, right - std::max(left, lastRight), height);
            QColor fill = m_theme.state(it->state);
            if (!it->derived)
                fill.setAlphaF(0.55); // kernel-observed only
            painter->fillRect(band, fill);
            lastRight = right;
            // The name goes in the visible part: a band that began left of the view is still named.
            const QRectF shown = band.intersected(QRectF(visible.left(), top, visible.width(), height));
            const auto st = static_cast<size_t>(it->state);
            if (shown.width() < 20)
                continue; // no state name is that short: skip measuring thousands of slivers
            if (nameWidth[st] < 0)
                nameWidth[st] = fm.horizontalAdvance(QString::fromLatin1(core::stateName(it->state).data()));
            if (shown.width() > nameWidth[st] + 6) {
                painter->setPen(m_theme.textOnState(it->state));
                painter->drawText(shown.adjusted(3, 0, -3, 0), Qt::AlignLeft | Qt::AlignVCenter,
                                  QString::fromLatin1(core::stateName(it->state).data()));
            }
        }
    }
}

QColor StatePlottable::markColor(const Mark &m) const
{
    switch (m.kind) {
    case MarkKind::Call:
        return m_theme.syscallOk;
    case MarkKind::CallError:
        return m_theme.syscallError;
    case MarkKind::Signal:
        return m_theme.signalMarker;
    case MarkKind::Timer:
        return m_theme.background;
    case MarkKind::SegmentOut:
    case MarkKind::SegmentIn: {
        const auto *p = m_run->event(m.event).as<core::PacketInfo>();
        return m_theme.segment(p->flags, p->len);
    }
    }
    return m_theme.text;
}

void StatePlottable::drawMarks(QCPPainter *painter, int rowFirst, int rowLast, double xLo, double xHi)
{
    painter->setRenderHint(QPainter::Antialiasing, true);
    const double r = 3.5 * m_theme.lineWidth;
    const int lastShown = RevealRule(*m_run, m_reveal).lastShown();
    auto keyAt = [this](int index) { return markKey(m_marks[static_cast<size_t>(index)]); };
    QColor lastColor;
    // Lane by lane (a socket's marks of one kind); errors and signals last, over the others.
    static constexpr MarkKind kOrder[] = {MarkKind::Call,  MarkKind::SegmentOut, MarkKind::SegmentIn,
                                          MarkKind::Timer, MarkKind::CallError,  MarkKind::Signal};
    for (int row = rowFirst; row <= rowLast; ++row)
        for (MarkKind kind : kOrder) {
            const size_t at = static_cast<size_t>(socketAtRow(row) * kMarkKinds + static_cast<int>(kind));
            if (socketAtRow(row) < 0 || at >= m_lanes.size())
                continue;
            const std::vector<int> &marks = m_lanes[at];
            // An ordinary mark within 2 px of the last one drawn would hide under it (a zoomed-out run has
            // thousands per pixel column): the next drawn is the first from 2 px on. Errors and signals always
            // show, one per pixel column.
            const int step = kind == MarkKind::CallError || kind == MarkKind::Signal ? 1 : 2;
            auto next = std::lower_bound(marks.begin(), marks.end(), xLo,
                                         [&](int index, double x) { return keyAt(index) < x; });
            while (next != marks.end()) {
                const Mark &m = m_marks[static_cast<size_t>(*next)];
                if (markKey(m) > xHi || m.event > lastShown) // in time order, as the events reveal shows
                    break;
                const double x = mKeyAxis->coordToPixel(markKey(m));
                const int px = static_cast<int>(x);
                const double from = mKeyAxis->pixelToCoord(px + step);
                next = std::lower_bound(next + 1, marks.end(), from,
                                        [&](int index, double k) { return keyAt(index) < k; });
                const QColor c = markColor(m);
                if (c != lastColor) { // pens and brushes are not free: most neighbours share a colour
                    lastColor = c;
                    painter->setPen(QPen(c.darker(130), 1));
                    painter->setBrush(c);
                }
                switch (m.kind) {
                case MarkKind::Call:
                case MarkKind::CallError: {
                    const double y = mValueAxis->coordToPixel(row - kMarkOffset);
                    const double rr = m.kind == MarkKind::CallError ? r * 1.3 : r;
                    painter->drawEllipse(QPointF(x, y), rr, rr);
                    break;
                }
                case MarkKind::SegmentOut:
                case MarkKind::SegmentIn: {
                    // Out: a triangle pointing up (leaving the socket); in: pointing down.
                    const double y = mValueAxis->coordToPixel(row + kMarkOffset);
                    const double d = m.kind == MarkKind::SegmentOut ? -r : r;
                    const QPointF tri[3] = {{x, y + d}, {x - r, y - d}, {x + r, y - d}};
                    painter->drawPolygon(tri, 3);
                    break;
                }
                case MarkKind::Signal: {
                    const double y = mValueAxis->coordToPixel(row);
                    const double s = r * 1.8;
                    const QPointF diamond[4] = {{x, y - s}, {x + s, y}, {x, y + s}, {x - s, y}};
                    painter->drawPolygon(diamond, 4);
                    break;
                }
                case MarkKind::Timer: {
                    const core::TimerInfo &t = *m_run->event(m.event).as<core::TimerInfo>();
                    paintTimerMark(*painter, m_theme, x, mValueAxis->coordToPixel(row), t, false);
                    lastColor = QColor(); // the mark set its own pen and brush
                    break;
                }
                }
            }
        }
    painter->setBrush(Qt::NoBrush);
}

void StatePlottable::drawLegendIcon(QCPPainter *painter, const QRectF &rect) const
{
    painter->fillRect(rect, m_theme.state(core::TcpState::Established));
}

} // namespace sockscope::ui
