// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/sequence/timescale.h"

#include <algorithm>
#include <cmath>

namespace sockscope::ui {

TimeScale TimeScale::uniform(int rows, double rowHeight, double top)
{
    TimeScale s;
    s.proportional = false;
    s.rows = std::max(rows, 0);
    s.rowHeight = rowHeight;
    s.top = top;
    return s;
}

TimeScale TimeScale::uniformRows(std::span<const double> heights, double top)
{
    TimeScale s = uniform(static_cast<int>(heights.size()), heights.empty() ? 22 : heights.front(), top);
    s.rowTops.reserve(heights.size() + 1);
    double y = top;
    for (double h : heights) {
        s.rowTops.push_back(y);
        y += h;
    }
    s.rowTops.push_back(y);
    return s;
}

double TimeScale::rowTop(int row) const
{
    if (rowTops.empty())
        return top + row * rowHeight;
    if (row < 0)
        return rowTops.front() + row * rowHeight;
    if (row >= rows)
        return rowTops.back() + (row - rows) * rowHeight;
    return rowTops[static_cast<size_t>(row)];
}

double TimeScale::yForRow(int row) const
{
    if (rowTops.empty() || row < 0 || row >= rows)
        return rowTop(row) + 0.5 * rowHeight;
    return (rowTops[static_cast<size_t>(row)] + rowTops[static_cast<size_t>(row) + 1]) / 2;
}

TimeScale TimeScale::proportionalFor(std::span<const qint64> times, double nsPerPx, qint64 gapNs, double gapPx,
                                     double margin, double top)
{
    TimeScale s;
    s.proportional = true;
    s.nsPerPx = std::max(nsPerPx, 1e-3);
    s.gapNs = std::max<qint64>(gapNs, 1);
    s.gapPx = gapPx;
    s.rowHeight = margin * 2;
    s.top = top;
    for (qint64 t : times)
        s.appendTime(t);
    return s;
}

void TimeScale::appendTime(qint64 t)
{
    if (timeCount == 0) {
        origin = t;
        lastTime = t;
        ++timeCount;
        return;
    }
    const qint64 dt = t - lastTime;
    if (dt > gapNs) {
        // yForTime() sees only the earlier gaps here, which is what the band's top depends on.
        const double y = yForTime(lastTime);
        const qint64 collapsed = gaps.empty() ? 0 : gaps.back().collapsedBefore + (gaps.back().t1 - gaps.back().t0);
        gaps.push_back(Gap{lastTime, t, y, collapsed});
    }
    lastTime = t;
    ++timeCount;
}

int TimeScale::rowAt(double y) const
{
    if (rowTops.empty() || y < rowTops.front() || y >= rowTops.back())
        return rowTops.empty() ? static_cast<int>(std::floor((y - top) / rowHeight))
                               : (y < rowTops.front() ? -1 : rows);
    return static_cast<int>(std::upper_bound(rowTops.begin(), rowTops.end(), y) - rowTops.begin()) - 1;
}

double TimeScale::yForTime(qint64 t) const
{
    const double base = top + rowHeight / 2;
    // The last gap that starts at or before t.
    auto it = std::upper_bound(gaps.begin(), gaps.end(), t, [](qint64 v, const Gap &g) { return v < g.t0; });
    if (it == gaps.begin())
        return base + static_cast<double>(t - origin) / nsPerPx;
    const Gap &g = *std::prev(it);
    if (t < g.t1) // inside the collapsed band
        return g.y + gapPx * static_cast<double>(t - g.t0) / static_cast<double>(g.t1 - g.t0);
    const auto idx = static_cast<double>(it - gaps.begin());
    const qint64 removed = g.collapsedBefore + (g.t1 - g.t0);
    return base + static_cast<double>(t - origin - removed) / nsPerPx + idx * gapPx;
}

qint64 TimeScale::timeAt(double y) const
{
    if (!proportional)
        return 0;
    // The last gap whose band starts at or above y.
    auto it = std::upper_bound(gaps.begin(), gaps.end(), y, [](double v, const Gap &g) { return v < g.y; });
    const double base = top + rowHeight / 2;
    if (it == gaps.begin())
        return origin + static_cast<qint64>(std::llround((y - base) * nsPerPx));
    const Gap &g = *std::prev(it);
    if (y < g.y + gapPx)
        return g.t0 + static_cast<qint64>(std::llround((y - g.y) / gapPx * static_cast<double>(g.t1 - g.t0)));
    return g.t1 + static_cast<qint64>(std::llround((y - g.y - gapPx) * nsPerPx));
}

const TimeScale::Gap *TimeScale::gapAt(double y) const
{
    auto it = std::upper_bound(gaps.begin(), gaps.end(), y, [](double v, const Gap &g) { return v < g.y; });
    if (it == gaps.begin())
        return nullptr;
    const Gap &g = *std::prev(it);
    return y < g.y + gapPx ? &g : nullptr;
}

double TimeScale::height() const
{
    if (!proportional)
        return rowTop(rows);
    return yForTime(lastTime) + rowHeight / 2;
}

} // namespace sockscope::ui
