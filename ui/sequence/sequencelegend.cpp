// SPDX-License-Identifier: GPL-3.0-or-later
// SequencePainter's frame: the sticky header, the legend, and the whole-run entry point for exports.
#include "ui/model/revealrule.h"
#include "ui/model/runmodel.h"
#include "ui/sequence/sequencepainter.h"
#include "ui/sequence/timermark.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPolygonF>

#include <functional>

namespace sockscope::ui {

namespace {
constexpr double kLegendItemWidth = 170;
constexpr double kPad = 8;

QFont smallFont(const QFont &f)
{
    QFont s = f;
    s.setPointSizeF(f.pointSizeF() * 0.85);
    return s;
}

} // namespace

double SequencePainter::headerHeight() const
{
    const QFontMetricsF title(m_theme.titleFont), mono(m_theme.monoFont), small(smallFont(m_theme.font));
    return title.height() + mono.height() + small.height() + 3 * 4 + 6;
}

double SequencePainter::titleHeight() const
{
    return QFontMetricsF(m_theme.titleFont).height() * 1.6;
}

bool SequencePainter::laneShown(int lane) const
{
    // With reveal on, a lifeline's name appears when its socket is created (its lifeline starts).
    return m_layout.options().revealLimit < 0 || m_layout.laneTop(lane) >= 0;
}

void SequencePainter::paintHeader(QPainter &p, const QRectF &clip, int hoverLane) const
{
    p.save();
    const double h = headerHeight();
    p.fillRect(QRectF(clip.left(), 0, clip.width(), h), m_theme.background);
    const QFontMetricsF title(m_theme.titleFont), mono(m_theme.monoFont);
    const QFont smallF = smallFont(m_theme.font);
    const QFontMetricsF small(smallF);
    const auto &groups = m_layout.groups();
    const RevealRule reveal(m_run, m_layout.options().revealLimit);
    for (size_t gi = 0; gi < groups.size(); ++gi) {
        const SequenceGroup &g = groups[gi];
        if (g.x1 < clip.left() || g.x0 > clip.right())
            continue;
        if (g.actor.empty() ? !laneShown(g.firstLane) // "(no socket)" would announce a stray segment
                            : !reveal.showsActor(g.actor))
            continue;
        if (gi % 2 == 0)
            p.fillRect(QRectF(g.x0, 0, g.x1 - g.x0, h), m_theme.alternateBackground);
        const QString name = g.actor.empty() ? QStringLiteral("(no socket)") : QString::fromStdString(g.actor);
        p.setFont(m_theme.titleFont);
        p.setPen(m_theme.text);
        // The actor's name sits over its lanes, the side its calls are written on stays readable below.
        const double lx0 = g.laneCount ? m_layout.lanes()[static_cast<size_t>(g.firstLane)].x : (g.x0 + g.x1) / 2;
        const double lx1 = g.laneCount ? m_layout.lanes()[static_cast<size_t>(g.firstLane + g.laneCount - 1)].x : lx0;
        const double cx = g.laneCount ? (lx0 + lx1) / 2 : (g.callX0 + g.callX1) / 2;
        p.drawText(QPointF(cx - title.horizontalAdvance(name) / 2, 4 + title.ascent()), name);
        if (g.laneCount > 1) {
            p.setPen(QPen(m_theme.grid, m_theme.lineWidth));
            const double by = 4 + title.height() + 1;
            p.drawLine(QPointF(lx0 - 30, by), QPointF(lx1 + 30, by));
        }
        if (!g.actor.empty()) {
            p.setFont(smallF);
            p.setPen(m_theme.mutedText);
            const QString calls = QStringLiteral("calls");
            const double tx = g.side == CallSide::Left ? g.callX1 - 12 - small.horizontalAdvance(calls) : g.callX0 + 12;
            p.drawText(QPointF(tx, h - 6 - small.descent()), calls);
        }
    }
    const double y1 = 4 + title.height() + 4;
    for (size_t l = 0; l < m_layout.lanes().size(); ++l) {
        const SequenceLane &lane = m_layout.lanes()[l];
        if (lane.x < clip.left() - 100 || lane.x > clip.right() + 100 || !laneShown(static_cast<int>(l)))
            continue;
        if (static_cast<int>(l) == hoverLane)
            p.fillRect(QRectF(lane.x - m_layout.options().lanePitch / 2 + 4, 0, m_layout.options().lanePitch - 8, h),
                       m_theme.hover);
        QString sock = QStringLiteral("—"), sub;
        const double laneWidth = m_layout.options().laneWidthOf(lane.socketRow);
        if (lane.socketRow >= 0) {
            // Its role and address as far as the shown events tell them (a later bind() or connect() sets them).
            const SocketRow s = reveal.socketAsShown(lane.socketRow);
            // Narrow lanes (class mode at a projector) drop the actor's name, which is written above them.
            sock = SequenceLayout::laneName(s.sock, s.actor,
                                            mono.horizontalAdvance(QString::fromStdString(s.sock)) > laneWidth - 6);
            sub = QString::fromStdString(s.role);
            const auto colon = s.local.rfind(':');
            if (colon != std::string::npos)
                sub +=
                    (sub.isEmpty() ? QString() : QStringLiteral(" ")) + QString::fromStdString(s.local.substr(colon));
        }
        p.setFont(m_theme.monoFont);
        p.setPen(m_theme.text);
        p.drawText(QPointF(lane.x - mono.horizontalAdvance(sock) / 2, y1 + mono.ascent()), sock);
        p.setFont(smallF);
        p.setPen(m_theme.mutedText);
        if (!m_layout.options().callWidths.empty()) // fitted for class mode: lanes may be narrower than the text
            sub = small.elidedText(sub, Qt::ElideRight, std::max(laneWidth - 4, 0.0));
        p.drawText(QPointF(lane.x - small.horizontalAdvance(sub) / 2, y1 + mono.height() + 2 + small.ascent()), sub);
    }
    p.setPen(QPen(m_theme.grid, m_theme.lineWidth));
    p.drawLine(QPointF(clip.left(), h - 0.5), QPointF(clip.right(), h - 0.5));
    p.restore();
}

namespace {

struct LegendEntry
{
    QString text;
    std::function<void(QPainter &, const QRectF &)> swatch;
};

std::vector<LegendEntry> legendEntries(const Theme &t)
{
    std::vector<LegendEntry> out;
    auto arrow = [&t](QColor c, double w, Qt::PenStyle style, bool rst) {
        return [c, w, style, rst, &t](QPainter &p, const QRectF &r) {
            const double y = r.center().y();
            QPen pen(c, w * t.lineWidth, style);
            pen.setCapStyle(Qt::FlatCap);
            p.setPen(pen);
            p.drawLine(QPointF(r.left(), y), QPointF(r.right() - 7, y));
            p.setPen(Qt::NoPen);
            p.setBrush(c);
            for (int k = 0; k < (rst ? 2 : 1); ++k) {
                const double tip = r.right() - k * 6;
                p.drawPolygon(QPolygonF{QPointF(tip, y), QPointF(tip - 8, y - 4), QPointF(tip - 8, y + 4)});
            }
            p.setBrush(Qt::NoBrush);
        };
    };
    out.push_back({QStringLiteral("SYN"), arrow(t.segmentSyn, 1.5, Qt::SolidLine, false)});
    out.push_back({QStringLiteral("FIN"), arrow(t.segmentFin, 1.5, Qt::SolidLine, false)});
    out.push_back({QStringLiteral("RST"), arrow(t.segmentRst, 2.5, Qt::SolidLine, true)});
    out.push_back({QStringLiteral("data"), arrow(t.segmentData, 1.5, Qt::SolidLine, false)});
    out.push_back({QStringLiteral("pure ACK"), arrow(t.segmentAck, 1.0, Qt::DashLine, false)});
    // As paintDroppedPacket draws it: the arrow stops halfway, at a red cross.
    out.push_back({QStringLiteral("lost (dropped)"), [&t](QPainter &p, const QRectF &r) {
                       const double y = r.center().y(), mid = r.center().x() + 4, lw = 1.5 * t.lineWidth;
                       QPen pen(t.segmentData, lw);
                       pen.setCapStyle(Qt::FlatCap);
                       p.setPen(pen);
                       p.drawLine(QPointF(r.left(), y), QPointF(mid, y));
                       const double arm = 5 + lw;
                       p.setPen(QPen(t.segmentRst, lw * 1.5));
                       p.drawLine(QPointF(mid - arm, y - arm), QPointF(mid + arm, y + arm));
                       p.drawLine(QPointF(mid - arm, y + arm), QPointF(mid + arm, y - arm));
                   }});
    auto textSwatch = [](QColor c, QString s) {
        return [c, s](QPainter &p, const QRectF &r) {
            p.setPen(c);
            p.drawText(r, Qt::AlignVCenter | Qt::AlignLeft, s);
        };
    };
    out.push_back({QStringLiteral("call returned"), textSwatch(t.syscallOk, QStringLiteral("= 0"))});
    out.push_back({QStringLiteral("error (errno)"), textSwatch(t.syscallError, QStringLiteral("= -1"))});
    out.push_back({QStringLiteral("blocked call"), [&t](QPainter &p, const QRectF &r) {
                       QPen pen(t.syscallBlocked, 3 * t.lineWidth);
                       pen.setCapStyle(Qt::FlatCap);
                       p.setPen(pen);
                       p.drawLine(QPointF(r.center().x(), r.top() + 1), QPointF(r.center().x(), r.bottom() - 1));
                   }});
    out.push_back(
        {QStringLiteral("signal"), [&t](QPainter &p, const QRectF &r) {
             const QPointF c = r.center();
             p.setPen(Qt::NoPen);
             p.setBrush(t.signalMarker);
             p.drawPolygon(QPolygonF{c + QPointF(0, -6), c + QPointF(5, 0), c + QPointF(0, 6), c + QPointF(-5, 0)});
             p.setBrush(Qt::NoBrush);
         }});
    out.push_back({QStringLiteral("timer restarted, backoff"), [&t](QPainter &p, const QRectF &r) {
                       const core::TimerInfo timer{{}, core::TimerKind::TimeWait, core::TimerChange::Restarted, 0, 0,
                                                   0};
                       paintTimerMark(p, t, r.center().x(), r.center().y(), timer, false);
                   }});
    // As paintGaps draws it in the proportional time axis: time cut out between two zigzag edges.
    out.push_back({QStringLiteral("idle time cut"), [&t](QPainter &p, const QRectF &r) {
                       p.setPen(QPen(t.gapMarker, t.lineWidth));
                       for (double edge : {r.top() + 4, r.bottom() - 4}) {
                           QPolygonF zig;
                           for (double x = r.left(); x <= r.right(); x += 8)
                               zig << QPointF(x, edge + ((static_cast<int>((x - r.left()) / 8) % 2) ? 2 : -2));
                           p.drawPolyline(zig);
                       }
                   }});
    out.push_back({QStringLiteral("state (kernel)"), [&t](QPainter &p, const QRectF &r) {
                       p.setPen(QPen(t.state(core::TcpState::Established), 1.5 * t.lineWidth, Qt::DashLine));
                       p.drawRoundedRect(r.adjusted(1, 2, -1, -2), 3, 3);
                   }});
    for (int s = 0; s < core::kTcpStateCount; ++s) {
        const auto st = static_cast<core::TcpState>(s);
        out.push_back({QString::fromLatin1(core::stateName(st).data()), [&t, st](QPainter &p, const QRectF &r) {
                           p.setPen(Qt::NoPen);
                           p.setBrush(t.state(st));
                           p.drawRoundedRect(r.adjusted(1, 2, -1, -2), 3, 3);
                           p.setBrush(Qt::NoBrush);
                       }});
    }
    return out;
}

} // namespace

QSizeF SequencePainter::legendSize(double width) const
{
    const QFontMetricsF fm(m_theme.font), title(m_theme.titleFont);
    const int columns = std::max(1, static_cast<int>((width - 2 * kPad) / kLegendItemWidth));
    const int count = static_cast<int>(legendEntries(m_theme).size());
    const int rows = (count + columns - 1) / columns;
    return {std::min(width, columns * kLegendItemWidth + 2 * kPad),
            title.height() + rows * (fm.height() + 4) + 2 * kPad};
}

void SequencePainter::paintLegend(QPainter &p, const QRectF &rect) const
{
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    QColor bg = m_theme.background;
    bg.setAlpha(235);
    p.setPen(QPen(m_theme.grid, m_theme.lineWidth));
    p.setBrush(bg);
    p.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5));
    p.setBrush(Qt::NoBrush);
    const QFontMetricsF fm(m_theme.font), title(m_theme.titleFont);
    p.setFont(m_theme.titleFont);
    p.setPen(m_theme.text);
    p.drawText(QPointF(rect.left() + kPad, rect.top() + kPad + title.ascent()), QStringLiteral("Legend"));
    const auto entries = legendEntries(m_theme);
    const int columns = std::max(1, static_cast<int>((rect.width() - 2 * kPad) / kLegendItemWidth));
    const double rowH = fm.height() + 4;
    for (size_t i = 0; i < entries.size(); ++i) {
        const int col = static_cast<int>(i) % columns, row = static_cast<int>(i) / columns;
        const double x = rect.left() + kPad + col * kLegendItemWidth;
        const double y = rect.top() + kPad + title.height() + row * rowH;
        p.setFont(m_theme.font);
        entries[i].swatch(p, QRectF(x, y, 40, rowH));
        p.setFont(m_theme.font);
        p.setPen(m_theme.text);
        p.drawText(QPointF(x + 48, y + (rowH + fm.ascent() - fm.descent()) / 2), entries[i].text);
    }
    p.restore();
}

QSizeF SequencePainter::wholeSize(const WholeOptions &o) const
{
    const double w = m_layout.width();
    double h = m_layout.height();
    if (o.header)
        h += headerHeight();
    if (!o.title.isEmpty())
        h += titleHeight();
    if (o.legend)
        h += legendSize(w).height() + kPad;
    return {w, h};
}

void SequencePainter::paintAll(QPainter &p, const QRectF &target, const WholeOptions &o) const
{
    const QSizeF size = wholeSize(o);
    if (size.isEmpty() || target.isEmpty())
        return;
    p.save();
    p.fillRect(target, m_theme.background);
    const double s = std::min(target.width() / size.width(), target.height() / size.height());
    p.translate(target.center() - QPointF(size.width() * s / 2, size.height() * s / 2));
    p.scale(s, s);
    const QRectF all(0, 0, size.width(), size.height());
    p.setClipRect(all);
    if (!o.title.isEmpty()) {
        p.setFont(m_theme.titleFont);
        p.setPen(m_theme.text);
        p.drawText(QPointF(kPad, QFontMetricsF(m_theme.titleFont).ascent() + 4), o.title);
        p.translate(0, titleHeight());
    }
    if (o.header) {
        paintHeader(p, QRectF(0, 0, size.width(), headerHeight()));
        p.translate(0, headerHeight());
    }
    paintBody(p, QRectF(0, 0, size.width(), m_layout.height()));
    if (o.legend) {
        const QSizeF ls = legendSize(size.width());
        paintLegend(p, QRectF(QPointF(0, m_layout.height() + kPad / 2), ls));
    }
    p.restore();
}

} // namespace sockscope::ui
