// SPDX-License-Identifier: GPL-3.0-or-later
// State timeline frame time (DESIGN.md budget: <= 16 ms at 10k events, <= 35 ms at 50k): a TimelineView on a
// run made of the recorded built-in runs, shown offscreen at 1600 x 300, replotted immediately (QCustomPlot
// layers plus the widget's repaint) with the whole run in view (every mark competes for the same pixels), a
// tenth of it, and the cursor moved (the common interaction). Best of 5. Prints numbers; asserts nothing.
// Usage: bench_ui_timeline [out.png]   (writes the 10k whole-run frame when given a path)

#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"
#include "ui/timeline/timelineview.h"
#include "uibenchdata.h"

#include <QApplication>
#include <QElapsedTimer>
#include <qcustomplot.h>

#include <algorithm>
#include <cstdio>

using namespace sockscope;

namespace {

double replotMs(QCustomPlot *plot, int reps, const std::function<void(int)> &before = {})
{
    double best = 1e9;
    for (int r = 0; r < reps; ++r) {
        if (before)
            before(r);
        QElapsedTimer t;
        t.start();
        plot->replot(QCustomPlot::rpImmediateRefresh);
        best = std::min(best, static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    return best;
}

} // namespace

int main(int argc, char **argv)
{
    uibench::preferOffscreen();
    QApplication app(argc, argv);
    const auto runs = uibench::recordedRuns();
    std::printf("%-7s %8s %10s %12s %10s %10s  budget\n", "events", "sockets", "reset_ms", "whole_ms", "tenth_ms",
                "cursor_ms");
    for (int count : {10'000, 50'000}) {
        ui::RunModel run;
        ui::ViewState view;
        ui::TimelineView timeline(&run, &view);
        timeline.resize(1600, 300);
        timeline.show();
        QCoreApplication::processEvents();
        QElapsedTimer t;
        t.start();
        run.reset(uibench::repeatedRun(runs, count));
        const double resetMs = static_cast<double>(t.nsecsElapsed()) / 1e6;
        QCustomPlot *plot = timeline.plot();
        const double whole = replotMs(plot, 5);
        if (count == 10'000 && argc > 1)
            plot->savePng(QString::fromLocal8Bit(argv[1]));
        const double cursor = replotMs(plot, 5, [&](int r) { view.setCursor(run.eventCount() / 2 + r * 7); });
        const QCPRange all = plot->xAxis->range();
        plot->xAxis->setRange(all.center() - all.size() / 20, all.center() + all.size() / 20);
        const double tenth = replotMs(plot, 5);
        const double budget = count <= 10'000 ? 16.0 : 35.0;
        const double worst = std::max({whole, tenth, cursor});
        std::printf("%-7d %8d %10.1f %12.2f %10.2f %10.2f  <= %.0f ms: %s\n", run.eventCount(),
                    static_cast<int>(run.sockets().size()), resetMs, whole, tenth, cursor, budget,
                    worst <= budget ? "ok" : "OVER");
    }
    return 0;
}
