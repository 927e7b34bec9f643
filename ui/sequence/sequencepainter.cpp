// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/sequence/sequencepainter.h"

#include "ui/model/runmodel.h"
#include "ui/sequence/calllabel.h"
#include "ui/sequence/sequencelabels.h"
#include "ui/sequence/timermark.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>

#include <algorithm>
#include <climits>
#include <cmath>
#include <span>
#include <unordered_map>

namespace sockscope::ui {

using core::EventKind;

constexpr qint64 kBlockedNs = 1'000'000; // a call that took longer than 1 ms waited for something

// Per-paint scratch: font metrics and the last y a label or mark was drawn at, so that rows that land on
// the same pixels (zoomed out, or real time) draw one mark and no overlapping text.
struct SequencePainter::Ctx
{
    QFontMetricsF fm;
    QFontMetricsF mono;
    double textH;
    std::vector<double> lastGroupLabel; // per group
    std::vector<double> lastLaneLabel;  // per lane
    std::vector<int> lastLaneMark;      // per lane, pixel row: call stubs
    std::vector<int> lastLaneReturn;    // per lane, pixel row: return stubs
    std::vector<int> lastLaneTick;      // per lane, pixel row: dense state ticks
    double lastSegmentLabel = -1e9;
    std::unordered_map<int, int> lastArrowPixel; // lane pair -> pixel row
    double lastTime = -1e9;
    bool dense = false; // more rows than 5 px each: lines only, no heads, pills or antialiasing

    Ctx(const Theme &t, const SequenceLayout &l)
        : fm(t.font), mono(t.monoFont), textH(std::max(fm.height(), mono.height())),
          lastGroupLabel(l.groups().size(), -1e9), lastLaneLabel(l.lanes().size(), -1e9),
          lastLaneMark(l.lanes().size(), INT_MIN), lastLaneReturn(l.lanes().size(), INT_MIN),
          lastLaneTick(l.lanes().size(), INT_MIN)
    {
    }
    // Whether a lane's mark of one kind is the first on pixel row y (zoomed out, thousands share one).
    static bool firstOnPixel(std::vector<int> &last, int lane, double y)
    {
        int &px = last[static_cast<size_t>(lane)];
        if (px == static_cast<int>(y))
            return false;
        px = static_cast<int>(y);
        return true;
    }
    static double baseline(const QFontMetricsF &m, double y) { return y + (m.ascent() - m.descent()) / 2; }
};

SequencePainter::SequencePainter(const RunModel &run, const SequenceLayout &layout, const Theme &theme)
    : m_run(run), m_layout(layout), m_theme(theme)
{
}

void SequencePainter::paintBody(QPainter &p, const QRectF &clip, const SequenceHighlight &h) const
{
    p.save();
    p.fillRect(clip, m_theme.background);
    paintBands(p, clip);
    const double reach = m_layout.options().rowHeight;
    auto [first, last] = m_layout.rowRange(clip.top() - reach, clip.bottom() + reach);
    const double rh = m_layout.options().rowHeight;
    for (int e : {h.hover, h.cursor}) {
        if (e < 0 || e > m_layout.lastEvent())
            continue;
        const double y = m_layout.item(e).y;
        p.fillRect(QRectF(clip.left(), y - rh / 2, clip.width(), rh),
                   e == h.cursor ? m_theme.selection : m_theme.hover);
    }
    if (h.hoverLane >= 0 && h.hoverLane < static_cast<int>(m_layout.lanes().size())) {
        const double x = m_layout.lanes()[static_cast<size_t>(h.hoverLane)].x;
        p.fillRect(QRectF(x - m_layout.options().lanePitch / 2 + 4, clip.top(), m_layout.options().lanePitch - 8,
                          clip.height()),
                   m_theme.hover);
    }
    paintSteps(p, clip, first, last);
    paintLifelines(p, clip);
    paintGaps(p, clip);
    paintSpans(p, clip);
    paintRows(p, clip, first, last, h);
    p.restore();
}

void SequencePainter::paintBands(QPainter &p, const QRectF &clip) const
{
    // Alternate actor groups get a faint band, so a socket's group reads at a glance.
    for (size_t g = 0; g < m_layout.groups().size(); g += 2) {
        const SequenceGroup &grp = m_layout.groups()[g];
        QRectF r(grp.x0, clip.top(), grp.x1 - grp.x0, clip.height());
        p.fillRect(r.intersected(clip), m_theme.alternateBackground);
    }
}

void SequencePainter::paintSteps(QPainter &p, const QRectF &clip, int firstRow, int lastRow) const
{
    const auto &rows = m_layout.rowEvents();
    if (rows.empty())
        return;
    const int from = firstRow > 0 ? rows[static_cast<size_t>(firstRow - 1)] + 1 : 0;
    const int to = lastRow < m_layout.rowCount() ? rows[static_cast<size_t>(lastRow)] : m_layout.lastEvent();
    QFont small = m_theme.font;
    small.setPointSizeF(small.pointSizeF() * 0.85);
    p.setFont(small);
    const QFontMetricsF fm(small);
    QPen pen(m_theme.grid, 1, Qt::DotLine);
    double lastY = -1e9;
    for (int e = from; e <= to; ++e) {
        if (m_run.event(e).kind() != EventKind::Step)
            continue;
        const double y = m_layout.item(e).y;
        if (y < clip.top() - 1 || y > clip.bottom() + fm.height() || y - lastY < fm.height())
            continue;
        lastY = y;
        p.setPen(pen);
        p.drawLine(QPointF(4, y), QPointF(m_layout.width() - 4, y));
        p.setPen(m_theme.mutedText);
        const int step = m_run.event(e).as<core::StepInfo>()->step;
        // Next to the step's first row, left of its time.
        // Without the time column (class mode at a narrow projector) the gutter holds the number alone.
        p.drawText(QPointF(4, y + (m_layout.options().rowHeight + fm.ascent() - fm.descent()) / 2),
                   m_layout.options().showTimes ? QStringLiteral("step %1").arg(step + 1) : QString::number(step + 1));
    }
}

void SequencePainter::paintLifelines(QPainter &p, const QRectF &clip) const
{
    const double w = 4 * m_theme.lineWidth;
    const int limit = m_layout.lastEvent();
    for (size_t l = 0; l < m_layout.lanes().size(); ++l) {
        const double top = m_layout.laneTop(static_cast<int>(l));
        if (top < 0)
            continue;
        const double x = m_layout.lanes()[l].x;
        const double bottom = m_layout.laneBottom(static_cast<int>(l));
        auto segment = [&](double y0, double y1, const QColor *state, bool closed) {
            y0 = std::max(y0, clip.top());
            y1 = std::min(y1, clip.bottom());
            if (y1 <= y0)
                return;
            if (state && !closed) {
                p.fillRect(QRectF(x - w / 2, y0, w, y1 - y0), *state);
                return;
            }
            p.setPen(QPen(m_theme.grid, m_theme.lineWidth, closed ? Qt::DashLine : Qt::SolidLine));
            p.drawLine(QPointF(x, y0), QPointF(x, y1));
        };
        const int row = m_layout.lanes()[l].socketRow;
        const auto &spans = m_run.stateSpans(row);
        // Spans are in time order, so their y only grows: skip the ones that end above the clip.
        auto from = std::lower_bound(spans.begin(), spans.end(), clip.top(), [&](const StateSpan &s, double y) {
            return s.firstEvent <= limit && m_layout.item(s.firstEvent).y < y;
        });
        if (from != spans.begin())
            --from;
        double y = from == spans.begin() ? top : std::max(top, clip.top());
        for (const StateSpan &s : std::span(from, spans.end())) {
            if (s.firstEvent > limit || y > clip.bottom())
                break;
            const double sy = m_layout.item(s.firstEvent).y;
            segment(y, sy, nullptr, false);
            y = sy;
            const QColor c = m_theme.state(s.state);
            // Each span runs to the next one's start, or to the bottom.
            const auto next = &s + 1;
            const double ey = (next != spans.data() + spans.size() && next->firstEvent <= limit)
                                  ? m_layout.item(next->firstEvent).y
                                  : bottom;
            segment(sy, ey, &c, s.state == core::TcpState::Closed);
            y = ey;
        }
        segment(y, bottom, nullptr, false);
    }
}

void SequencePainter::paintGaps(QPainter &p, const QRectF &clip) const
{
    const TimeScale &sc = m_layout.scale();
    if (sc.gaps.empty())
        return;
    QFont small = m_theme.font;
    small.setPointSizeF(small.pointSizeF() * 0.85);
    p.setFont(small);
    const QFontMetricsF fm(small);
    const double w = m_layout.width();
    for (const auto &g : sc.gaps) {
        if (g.y + sc.gapPx < clip.top() || g.y > clip.bottom())
            continue;
        // The band hides the lifelines: time is cut out here, and the zigzag edges say so.
        p.fillRect(QRectF(0, g.y, w, sc.gapPx), m_theme.background);
        p.setPen(QPen(m_theme.gapMarker, m_theme.lineWidth));
        for (double edge : {g.y + 3, g.y + sc.gapPx - 3}) {
            QPolygonF zig;
            for (double x = 0; x <= w; x += 8)
                zig << QPointF(x, edge + ((static_cast<int>(x / 8) % 2) ? 2.5 : -2.5));
            p.drawPolyline(zig);
        }
        p.setPen(m_theme.mutedText);
        const QString text = QStringLiteral("%1 idle").arg(durationText(g.t1 - g.t0));
        p.drawText(QPointF(6, g.y + sc.gapPx / 2 + (fm.ascent() - fm.descent()) / 2), text);
    }
}

void SequencePainter::paintSpans(QPainter &p, const QRectF &clip) const
{
    QFont small = m_theme.font;
    small.setPointSizeF(small.pointSizeF() * 0.85);
    const QFontMetricsF fm(small);
    p.setFont(small);
    const auto &all = m_layout.spans();
    for (auto s_ = all.begin() + m_layout.firstSpanReaching(clip.top()); s_ != all.end(); ++s_) {
        const SequenceSpan &s = *s_;
        if (s.y0 > clip.bottom())
            break;
        if (s.y1 < clip.top() || s.group < 0)
            continue;
        const SequenceGroup &g = m_layout.groups()[static_cast<size_t>(s.group)];
        const double x = g.side == CallSide::Left ? g.callX1 - 4 : g.callX0 + 4;
        const bool open = s.ret < 0;
        QPen pen(m_theme.syscallBlocked, 3 * m_theme.lineWidth, open ? Qt::DashLine : Qt::SolidLine);
        pen.setCapStyle(Qt::FlatCap);
        p.setPen(pen);
        const double y0 = std::max<double>(s.y0 + fm.height() / 2, clip.top() - 2);
        const double y1 = std::min<double>(s.y1 - (open ? 0 : fm.height() / 2), clip.bottom() + 2);
        if (y1 > y0)
            p.drawLine(QPointF(x, y0), QPointF(x, y1));
        // Say why the bar is there, once, just under the call.
        const double ty = s.y0 + m_layout.options().rowHeight;
        if (s.y1 - s.y0 > 2 * m_layout.options().rowHeight && ty > clip.top() - fm.height() && ty < clip.bottom()) {
            // A call that spans rows only because the kernel acted during it (close() sending its RST)
            // did not block; "blocked" is kept for waits a person would notice.
            const qint64 dur = open ? 0 : m_run.event(s.ret).as<core::ReturnInfo>()->durNs;
            const QString text = open                ? QStringLiteral("blocked")
                                 : dur >= kBlockedNs ? QStringLiteral("blocked %1").arg(durationText(dur))
                                                     : QStringLiteral("took %1").arg(durationText(dur));
            const double tw = fm.horizontalAdvance(text);
            p.setPen(m_theme.syscallBlocked);
            p.drawText(QPointF(g.side == CallSide::Left ? x - 8 - tw : x + 8, Ctx::baseline(fm, ty)), text);
        }
    }
}

void SequencePainter::paintRows(QPainter &p, const QRectF &clip, int firstRow, int lastRow,
                                const SequenceHighlight &) const
{
    Ctx c(m_theme, m_layout);
    c.dense = (lastRow - firstRow) * 5 > clip.height();
    p.setRenderHint(QPainter::Antialiasing, !c.dense);
    QFont small = m_theme.monoFont;
    small.setPointSizeF(small.pointSizeF() * 0.85);
    const QFontMetricsF sfm(small);
    const auto &rows = m_layout.rowEvents();
    for (int r = firstRow; r < lastRow; ++r) {
        const int e = rows[static_cast<size_t>(r)];
        const double y = m_layout.item(e).y;
        if (y < clip.top() - c.textH || y > clip.bottom() + c.textH)
            continue;
        // Relative time in the gutter.
        if (y - c.lastTime >= sfm.height() && m_layout.options().gutterWidth > 0 && m_layout.options().showTimes) {
            c.lastTime = y;
            p.setFont(small);
            p.setPen(m_theme.mutedText);
            const QString t = relativeTime(m_run.event(e).tNs);
            p.drawText(QPointF(m_layout.options().gutterWidth - 6 - sfm.horizontalAdvance(t), Ctx::baseline(sfm, y)),
                       t);
        }
        switch (m_run.event(e).kind()) {
        case EventKind::Syscall:
            paintCall(p, c, e);
            break;
        case EventKind::Return:
            paintReturn(p, c, e);
            break;
        case EventKind::Packet:
            paintPacket(p, c, e);
            break;
        case EventKind::State:
            paintState(p, c, e);
            break;
        case EventKind::Signal:
            paintSignal(p, c, e);
            break;
        case EventKind::Timer:
            if (const SequenceItem &it = m_layout.item(e); it.lane >= 0) {
                auto &last = c.lastLaneLabel[static_cast<size_t>(it.lane)];
                const bool room = it.y - last >= c.textH * 0.9;
                if (room)
                    last = it.y;
                paintTimerMark(p, m_theme, m_layout.lanes()[static_cast<size_t>(it.lane)].x, it.y,
                               *m_run.event(e).as<core::TimerInfo>(), room && !c.dense);
            }
            break;
        default:
            break;
        }
    }
}

namespace {

// Draws "left right" as one label in two colours, aligned to x from the left or the right.
// The call part is elided to `room` so that a long call never runs into the gutter or off the page; the
// result, which matters more, stays whole, and so does the call's name: "send(4, …) = -1 EPIPE". Only a result
// with a long payload ("= 256 [...]") is cut, to most of the room.
void drawTwoPart(QPainter &p, const QFontMetricsF &fm, double x, double baseline, bool alignRight, double room,
                 QString left, const QColor &leftColor, QString right, const QColor &rightColor)
{
    if (!right.isEmpty() && fm.horizontalAdvance(QLatin1Char(' ') + right) > room * 0.6)
        right = fm.elidedText(right, Qt::ElideRight, std::max(room * 0.6, 20.0));
    const double wr = right.isEmpty() ? 0 : fm.horizontalAdvance(QLatin1Char(' ') + right);
    if (fm.horizontalAdvance(left) + wr > room) {
        const qsizetype open = left.indexOf(QLatin1Char('('));
        if (open > 0 && left.endsWith(QLatin1Char(')'))) {
            const QString name = left.left(open + 1);
            const QString args = left.mid(open + 1, left.size() - open - 2);
            const double fixed = fm.horizontalAdvance(name + QLatin1Char(')'));
            left = name + fm.elidedText(args, Qt::ElideRight, std::max(room - wr - fixed, 0.0)) + QLatin1Char(')');
            if (left == name + QLatin1Char(')') && !args.isEmpty())
                left = name + QChar(0x2026) + QLatin1Char(')'); // too narrow even for one character
        } else {
            left = fm.elidedText(left, Qt::ElideRight, std::max(room - wr, 20.0));
        }
    }
    const double wl = fm.horizontalAdvance(left);
    double x0 = alignRight ? x - wl - wr : x;
    p.setPen(leftColor);
    p.drawText(QPointF(x0, baseline), left);
    if (!right.isEmpty()) {
        p.setPen(rightColor);
        p.drawText(QPointF(x0 + wl, baseline), QLatin1Char(' ') + right);
    }
}

// A call label as callLabelAt() placed it: one line drawn as before (its arguments elided if it must), or
// the wrapped lines centred on the row.
void drawCallLabel(QPainter &p, const QFontMetricsF &fm, const CallLabel &label, double y, double room,
                   const QColor &callColor, const QColor &resultColor)
{
    const double n = static_cast<double>(label.lines.size());
    for (size_t k = 0; k < label.lines.size(); ++k) {
        const LabelLine &line = label.lines[k];
        const double ly = y + (static_cast<double>(k) - (n - 1) / 2) * label.lineHeight;
        if (line.text.isEmpty()) { // the result on a line of its own
            const double w = fm.horizontalAdvance(line.result);
            p.setPen(resultColor);
            p.drawText(QPointF(label.alignRight ? label.x - w : label.x, ly + (fm.ascent() - fm.descent()) / 2),
                       line.result);
            continue;
        }
        drawTwoPart(p, fm, label.x, ly + (fm.ascent() - fm.descent()) / 2, label.alignRight, room, line.text, callColor,
                    line.result, resultColor);
    }
}

} // namespace

void SequencePainter::paintCall(QPainter &p, Ctx &c, int e) const
{
    const SequenceItem &it = m_layout.item(e);
    if (it.group < 0)
        return;
    const SequenceGroup &g = m_layout.groups()[static_cast<size_t>(it.group)];
    const core::ReturnInfo *ret = nullptr;
    if (it.merged)
        ret = m_run.event(m_run.returnOf(e)).as<core::ReturnInfo>();
    const bool error = ret && !ret->err.empty();
    const QColor stub = error ? m_theme.syscallError : (it.merged ? m_theme.syscallOk : m_theme.syscallBlocked);
    // The stub joins the call to its socket's lifeline.
    if (it.lane >= 0) {
        const double lx = m_layout.lanes()[static_cast<size_t>(it.lane)].x;
        const double ax = m_layout.callAnchorX(it.group);
        if (Ctx::firstOnPixel(c.lastLaneMark, it.lane, it.y)) {
            p.setPen(QPen(stub, m_theme.lineWidth));
            p.drawLine(QPointF(ax, it.y), QPointF(lx, it.y));
            if (!c.dense) {
                p.setBrush(stub);
                p.drawEllipse(QPointF(lx, it.y), 3, 3);
                p.setBrush(Qt::NoBrush);
            }
        }
    }
    auto &last = c.lastGroupLabel[static_cast<size_t>(it.group)];
    if (it.y - last < c.textH * 0.9)
        return;
    last = it.y;
    p.setFont(m_theme.font);
    drawCallLabel(p, c.fm, callLabelAt(m_run, m_layout, e, c.fm), it.y, g.callX1 - g.callX0 - 16, m_theme.text,
                  error ? m_theme.syscallError : (ret ? m_theme.syscallOk : m_theme.syscallBlocked));
}

void SequencePainter::paintReturn(QPainter &p, Ctx &c, int e) const
{
    const SequenceItem &it = m_layout.item(e);
    if (it.group < 0)
        return;
    const SequenceGroup &g = m_layout.groups()[static_cast<size_t>(it.group)];
    const auto *ret = m_run.event(e).as<core::ReturnInfo>();
    const bool error = !ret->err.empty();
    const QColor color = error ? m_theme.syscallError : m_theme.syscallOk;
    if (it.lane >= 0 && Ctx::firstOnPixel(c.lastLaneReturn, it.lane, it.y)) {
        const double lx = m_layout.lanes()[static_cast<size_t>(it.lane)].x;
        p.setPen(QPen(color, m_theme.lineWidth, Qt::DotLine));
        p.drawLine(QPointF(m_layout.callAnchorX(it.group), it.y), QPointF(lx, it.y));
    }
    auto &last = c.lastGroupLabel[static_cast<size_t>(it.group)];
    if (it.y - last < c.textH * 0.9)
        return;
    last = it.y;
    p.setFont(m_theme.font);
    drawCallLabel(p, c.fm, callLabelAt(m_run, m_layout, e, c.fm), it.y, g.callX1 - g.callX0 - 16, m_theme.mutedText,
                  color);
}

void SequencePainter::paintPacket(QPainter &p, Ctx &c, int e) const
{
    const SequenceItem &it = m_layout.item(e);
    const QLineF line = m_layout.arrow(e);
    if (line.isNull())
        return;
    const int key = it.lane * 1024 + it.lane2;
    const int px = static_cast<int>(it.y);
    if (auto f = c.lastArrowPixel.find(key); f != c.lastArrowPixel.end() && f->second == px)
        return; // an arrow between the same lifelines is already on this pixel row
    c.lastArrowPixel[key] = px;
    const auto *pk = m_run.event(e).as<core::PacketInfo>();
    if (pk->dropped) {
        paintDroppedPacket(p, c, e, line);
        return;
    }
    const bool rst = core::hasFlag(pk->flags, core::SegmentFlag::Rst);
    const bool pureAck = core::isPureAck(*pk);
    const QColor color = m_theme.segment(pk->flags, pk->len);
    const double lw = m_theme.lineWidth * (rst ? 2.5 : (pureAck ? 1.0 : 1.5));
    const double dir = line.x2() > line.x1() ? 1 : -1;
    const double head = 8 + lw;
    QPen pen(color, lw, pureAck ? Qt::DashLine : Qt::SolidLine);
    pen.setCapStyle(Qt::FlatCap);
    pen.setJoinStyle(Qt::MiterJoin);
    pen.setMiterLimit(kArrowMiterLimit);
    p.setPen(pen);
    if (c.dense) { // zoomed out: the colour and dash tell the kind; heads and labels would be noise
        p.drawLine(QPointF(line.x1(), it.y), QPointF(line.x2(), it.y));
        return;
    }
    p.drawLine(QPointF(line.x1(), it.y), QPointF(line.x2() - dir * head, it.y));
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    auto arrowHead = [&](double tipX) {
        p.drawPolygon(QPolygonF{QPointF(tipX, it.y), QPointF(tipX - dir * head, it.y - head / 2),
                                QPointF(tipX - dir * head, it.y + head / 2)});
    };
    arrowHead(line.x2());
    if (rst) {
        // A RST ends the connection: a double head and a bar at the sender make it stand out even in grey.
        arrowHead(line.x2() - dir * head * 0.8);
        p.drawRect(QRectF(line.x1() - lw, it.y - head / 2, 2 * lw, head));
    }
    p.setBrush(Qt::NoBrush);
    paintSegmentLabel(p, c, e, line);
}

// A segment lost on the wire, drawn as textbooks do: the arrow stops halfway, at a cross.
void SequencePainter::paintDroppedPacket(QPainter &p, Ctx &c, int e, const QLineF &line) const
{
    const SequenceItem &it = m_layout.item(e);
    const auto *pk = m_run.event(e).as<core::PacketInfo>();
    const QColor color = m_theme.segment(pk->flags, pk->len);
    const double lw = m_theme.lineWidth * 1.5;
    const double mid = (line.x1() + line.x2()) / 2;
    QPen pen(color, lw, Qt::SolidLine);
    pen.setCapStyle(Qt::FlatCap);
    p.setPen(pen);
    p.drawLine(QPointF(line.x1(), it.y), QPointF(mid, it.y));
    if (c.dense)
        return;
    const double arm = 5 + lw;
    p.setPen(QPen(m_theme.segmentRst, lw * 1.5));
    p.drawLine(QPointF(mid - arm, it.y - arm), QPointF(mid + arm, it.y + arm));
    p.drawLine(QPointF(mid - arm, it.y + arm), QPointF(mid + arm, it.y - arm));
    paintSegmentLabel(p, c, e, QLineF(line.x1(), line.y1(), mid, line.y2()));
}

void SequencePainter::paintSegmentLabel(QPainter &p, Ctx &c, int e, const QLineF &line) const
{
    const SequenceItem &it = m_layout.item(e);
    const auto *pk = m_run.event(e).as<core::PacketInfo>();
    const bool rst = core::hasFlag(pk->flags, core::SegmentFlag::Rst);
    if (it.y - c.lastSegmentLabel < c.textH * 0.9)
        return;
    c.lastSegmentLabel = it.y;
    const QString text = segmentLabel(*pk);
    p.setFont(m_theme.monoFont);
    const double tw = c.mono.horizontalAdvance(text);
    const double cx = segmentLabelX(line.x1(), line.x2());
    const QRectF box(cx - tw / 2 - 3, it.y - c.mono.height() - 1, tw + 6, c.mono.height());
    QColor veil = m_theme.background;
    veil.setAlpha(210);
    p.fillRect(box, veil);
    p.setPen(rst ? m_theme.segmentRst : m_theme.text);
    p.drawText(QPointF(box.left() + 3, box.bottom() - c.mono.descent()), text);
}

double SequencePainter::segmentLabelX(double a, double b) const
{
    // In the widest free stretch between groups that the arrow crosses: lifeline pills live inside groups.
    const double lo = std::min(a, b), hi = std::max(a, b);
    const auto &groups = m_layout.groups();
    for (size_t g = 0; g + 1 < groups.size(); ++g) {
        const double gap0 = groups[g].x1, gap1 = groups[g + 1].x0;
        if (gap0 >= lo - 1 && gap1 <= hi + 1)
            return (gap0 + gap1) / 2;
    }
    return (lo + hi) / 2;
}

void SequencePainter::paintState(QPainter &p, Ctx &c, int e) const
{
    const SequenceItem &it = m_layout.item(e);
    if (it.lane < 0)
        return;
    const auto *s = m_run.event(e).as<core::StateInfo>();
    auto &last = c.lastLaneLabel[static_cast<size_t>(it.lane)];
    if (it.y - last < c.textH * 0.9) {
        if (c.dense && Ctx::firstOnPixel(c.lastLaneTick, it.lane, it.y)) // a tick for the pills that do not fit
            p.fillRect(QRectF(m_layout.lanes()[static_cast<size_t>(it.lane)].x - 6, it.y - 1, 12, 2),
                       m_theme.state(s->to));
        return;
    }
    last = it.y;
    const bool derived = s->source == core::StateSource::Derived;
    const QString name = QString::fromLatin1(core::stateName(s->to).data());
    QFont font = m_theme.font;
    font.setItalic(!derived);
    const QFontMetricsF fm(font);
    const double x = m_layout.lanes()[static_cast<size_t>(it.lane)].x;
    const double tw = fm.horizontalAdvance(name);
    const QRectF pill(x - tw / 2 - 5, it.y - fm.height() / 2 - 1, tw + 10, fm.height() + 2);
    const QColor color = m_theme.state(s->to);
    if (s->conflict) {
        // The spot of a contradiction: a red band across the whole diagram, so it cannot be scrolled past.
        QColor band = m_theme.checkFailed;
        band.setAlpha(70);
        const QRectF row(0, pill.top() - 3, m_layout.width(), pill.height() + 6);
        p.fillRect(row, band);
        p.fillRect(QRectF(row.left(), row.top(), 6, row.height()), m_theme.checkFailed);
        p.fillRect(QRectF(row.right() - 6, row.top(), 6, row.height()), m_theme.checkFailed);
    }
    if (derived) {
        p.setPen(Qt::NoPen);
        p.setBrush(color);
    } else {
        // Kernel-observed: an outline only, so it never reads as the state machine's own transition.
        p.setPen(QPen(s->conflict ? m_theme.checkFailed : color, 1.5 * m_theme.lineWidth,
                      s->conflict ? Qt::SolidLine : Qt::DashLine));
        p.setBrush(m_theme.background);
    }
    p.drawRoundedRect(pill, 4, 4);
    p.setBrush(Qt::NoBrush);
    p.setFont(font);
    p.setPen(derived ? m_theme.textOnState(s->to) : m_theme.text);
    p.drawText(QPointF(pill.left() + 5, Ctx::baseline(fm, it.y)), name);
    if (s->conflict) {
        QFont bold = font;
        bold.setBold(true);
        p.setFont(bold);
        p.setPen(m_theme.checkFailed);
        p.drawText(
            QPointF(pill.right() + 4, Ctx::baseline(fm, it.y)),
            QStringLiteral("≠ derived %1  CONTRADICTION").arg(QString::fromLatin1(core::stateName(s->derived).data())));
    }
}

namespace {
QString contradictionText(const RunModel &run)
{
    const auto &all = run.contradictions();
    const core::Event &first = run.event(all.front());
    const auto &s = *first.as<core::StateInfo>();
    return QCoreApplication::translate(
               "SequencePainter",
               "CONTRADICTION: the kernel's own state differs from the derived one %n time(s); this "
               "diagram is wrong there. First at %1 on %2: kernel %3, model %4. Click to go there.",
               nullptr, static_cast<int>(all.size()))
        .arg(relativeTime(first.tNs), QString::fromStdString(s.sock), QString::fromLatin1(core::stateName(s.to).data()),
             QString::fromLatin1(core::stateName(s.derived).data()));
}
} // namespace

double SequencePainter::contradictionBannerHeight(double width) const
{
    if (m_run.contradictions().empty())
        return 0;
    QFont bold = m_theme.font;
    bold.setBold(true);
    const QFontMetricsF fm(bold);
    const QRectF r =
        fm.boundingRect(QRectF(0, 0, std::max(50.0, width - 24), 1e6), Qt::TextWordWrap, contradictionText(m_run));
    return r.height() + 12;
}

void SequencePainter::paintContradictionBanner(QPainter &p, const QRectF &rect) const
{
    if (m_run.contradictions().empty())
        return;
    p.save();
    p.fillRect(rect, m_theme.checkFailed);
    QFont bold = m_theme.font;
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(Qt::white);
    p.drawText(rect.adjusted(12, 6, -12, -6), Qt::TextWordWrap | Qt::AlignVCenter, contradictionText(m_run));
    p.restore();
}

void SequencePainter::paintSignal(QPainter &p, Ctx &c, int e) const
{
    const SequenceItem &it = m_layout.item(e);
    if (it.group < 0)
        return;
    const SequenceGroup &g = m_layout.groups()[static_cast<size_t>(it.group)];
    const bool left = g.side == CallSide::Left;
    const double ax = m_layout.callAnchorX(it.group);
    // A lightning-like diamond where the call meets its socket.
    const double mx = it.lane >= 0 ? m_layout.lanes()[static_cast<size_t>(it.lane)].x : ax;
    p.setPen(Qt::NoPen);
    p.setBrush(m_theme.signalMarker);
    p.drawPolygon(
        QPolygonF{QPointF(mx, it.y - 7), QPointF(mx + 6, it.y), QPointF(mx, it.y + 7), QPointF(mx - 6, it.y)});
    p.setBrush(Qt::NoBrush);
    auto &last = c.lastGroupLabel[static_cast<size_t>(it.group)];
    if (it.y - last < c.textH * 0.9)
        return;
    last = it.y;
    QFont bold = m_theme.font;
    bold.setBold(true);
    p.setFont(bold);
    const QFontMetricsF fm(bold);
    const QString text = QString::fromStdString(m_run.event(e).as<core::SignalInfo>()->signal) + QStringLiteral(" ⚡");
    const double tw = fm.horizontalAdvance(text);
    p.setPen(m_theme.signalMarker);
    p.drawText(QPointF(left ? g.callX1 - 12 - tw : g.callX0 + 12, Ctx::baseline(fm, it.y)), text);
}

} // namespace sockscope::ui
