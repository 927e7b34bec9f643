// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: time <-> y maths of the sequence diagram: uniform rows, or real time with idle gaps collapsed.
// Thread-safety: a plain value; no shared state.

#include <QtGlobal>

#include <span>
#include <vector>

namespace sockscope::ui {

struct TimeScale
{
    // A collapsed idle gap: real time t0..t1 is drawn in a fixed height starting at y.
    struct Gap
    {
        qint64 t0 = 0;
        qint64 t1 = 0;
        double y = 0;               // top of the gap's band; the band is gapPx high
        qint64 collapsedBefore = 0; // ns removed by earlier gaps (beyond their own drawn height)
    };

    bool proportional = false;
    double top = 0;           // y of the first row's top edge
    double rowHeight = 22;    // uniform: px per row; proportional: the margin above the first event
    double nsPerPx = 1000;    // proportional: zoom
    qint64 gapNs = 5'000'000; // proportional: idle gaps longer than this are collapsed...
    double gapPx = 28;        // ...to this height, and marked
    qint64 origin = 0;        // proportional: the time drawn at top + rowHeight / 2
    int rows = 0;             // uniform: number of rows
    qint64 lastTime = 0;      // proportional: the last time the scale covers
    std::vector<Gap> gaps;    // sorted by t0
    // Uniform with rows of their own heights (labels wrapped onto several lines): the top of every row and,
    // last, the bottom of the last one (rows + 1 values). Empty: every row is rowHeight high.
    std::vector<double> rowTops;
    qint64 timeCount = 0; // proportional: row times taken so far (appendTime)

    static TimeScale uniform(int rows, double rowHeight, double top = 0);
    // Uniform rows of the given heights.
    static TimeScale uniformRows(std::span<const double> heights, double top = 0);
    // times must be ascending (the row events' times).
    static TimeScale proportionalFor(std::span<const qint64> times, double nsPerPx, qint64 gapNs, double gapPx,
                                     double margin, double top = 0);
    // Proportional: one more row time (not before the last one), as if it had been in proportionalFor()'s list.
    void appendTime(qint64 t);

    // Uniform: the centre of a row, and the row under y (may be out of [0, rows)).
    double yForRow(int row) const;
    int rowAt(double y) const;
    // Uniform: the top edge of a row (rows: the bottom of the last).
    double rowTop(int row) const;

    // Proportional: where time t is drawn, and the time at y (inside a gap: interpolated).
    double yForTime(qint64 t) const;
    qint64 timeAt(double y) const;
    // The gap whose band contains y, or nullptr.
    const Gap *gapAt(double y) const;

    // Height of the whole diagram body (from 0, so including top).
    double height() const;
};

} // namespace sockscope::ui
