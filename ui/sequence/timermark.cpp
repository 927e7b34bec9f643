// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/sequence/timermark.h"

#include "core/stream/eventtext.h"

#include <QFontMetricsF>
#include <QPainter>

namespace sockscope::ui {

bool timerGetsRow(const core::TimerInfo &timer)
{
    return timer.change == core::TimerChange::Restarted || timer.change == core::TimerChange::Backoff;
}

void paintTimerMark(QPainter &p, const Theme &theme, double x, double y, const core::TimerInfo &timer, bool withText)
{
    // A clock face with one hand: the kernel's timer, seen in a sock_diag sample.
    const QColor color =
        timer.timer == core::TimerKind::TimeWait ? theme.state(core::TcpState::TimeWait) : theme.segmentFin;
    constexpr double r = 5.5;
    p.setPen(QPen(color, 1.5 * theme.lineWidth));
    p.setBrush(theme.background);
    p.drawEllipse(QPointF(x, y), r, r);
    p.drawLine(QPointF(x, y), QPointF(x, y - r + 2));
    p.drawLine(QPointF(x, y), QPointF(x + r - 2.5, y));
    p.setBrush(Qt::NoBrush);
    if (!withText)
        return;
    QFont font = theme.font;
    font.setPointSizeF(font.pointSizeF() * 0.9);
    p.setFont(font);
    const QFontMetricsF fm(font);
    p.setPen(theme.mutedText);
    p.drawText(QPointF(x + r + 4, y + (fm.ascent() - fm.descent()) / 2),
               QString::fromStdString(core::timerMarkText(timer)));
}

} // namespace sockscope::ui
