// SPDX-License-Identifier: GPL-3.0-or-later
// GUI thread while streaming (DESIGN.md budget: no stall > 50 ms at 100k events). A 100k-event run made of
// the recorded built-in runs is pushed through LabWorker::push from a worker thread into an open MainWindow
// (offscreen unless QT_QPA_PLATFORM says otherwise) while the window is resized every 50 ms. A 5 ms precise
// timer on the GUI thread measures its own lateness: the longest lateness is the longest stall.
// Two producers: a burst (everything at once, the worst case) and a paced one (~50k events/s, like a busy
// live run). Prints numbers; asserts nothing.
// Usage: bench_ui_stream [events]   (SOCKSCOPE_FIXTURES overrides the fixtures directory)

#include "ui/mainwindow.h"
#include "ui/model/labworker.h"
#include "ui/model/runmodel.h"
#include "uibenchdata.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

using namespace sockscope;

namespace {

struct Result
{
    double maxStallMs = 0;
    double p99Ms = 0;
    int over50 = 0;
    int ticks = 0;
    double totalMs = 0; // first push to the last event in the model and the diagram laid out again
};

Result stream(const std::vector<core::Event> &events, int eventsPerSecond)
{
    ui::MainWindow window;
    window.resize(1400, 900);
    window.show();
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 300)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);

    std::vector<double> lateness;
    QElapsedTimer clock;
    clock.start();
    qint64 lastTick = clock.nsecsElapsed();
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        lateness.push_back(std::max(0.0, static_cast<double>(now - lastTick) / 1e6 - 5.0));
        lastTick = now;
    });
    int resizes = 0;
    QTimer resizer;
    resizer.setInterval(50);
    QObject::connect(&resizer, &QTimer::timeout, [&] {
        ++resizes;
        window.resize(resizes % 2 ? 1300 : 1500, resizes % 2 ? 850 : 950);
    });
    probe.start();
    resizer.start();

    ui::LabWorker *worker = window.labWorker();
    QElapsedTimer total;
    total.start();
    std::thread producer([&] {
        const auto begin = std::chrono::steady_clock::now();
        for (size_t i = 0; i < events.size(); ++i) {
            worker->push(core::Event(events[i]));
            if (eventsPerSecond > 0 && i % 500 == 0)
                std::this_thread::sleep_until(
                    begin + std::chrono::microseconds(static_cast<long>(i) * 1'000'000 / eventsPerSecond));
        }
    });
    const int target = static_cast<int>(events.size());
    while (window.runModel()->eventCount() < target)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    producer.join();
    // The views catch up (the diagram relayouts on a timer, plots replot queued).
    QElapsedTimer tail;
    tail.start();
    while (tail.elapsed() < 500)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    probe.stop();
    resizer.stop();

    Result r;
    r.totalMs = static_cast<double>(total.elapsed()) - 500;
    r.ticks = static_cast<int>(lateness.size());
    std::sort(lateness.begin(), lateness.end());
    if (!lateness.empty()) {
        r.maxStallMs = lateness.back();
        r.p99Ms = lateness[lateness.size() * 99 / 100];
        r.over50 = static_cast<int>(std::count_if(lateness.begin(), lateness.end(), [](double l) { return l > 50; }));
    }
    window.close();
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    uibench::preferOffscreen();
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // the window's QSettings stay out of the user's
    QCoreApplication::setOrganizationName(QStringLiteral("sockscope-bench"));
    const int count = argc > 1 ? std::atoi(argv[1]) : 100'000;
    const auto events = uibench::repeatedRun(uibench::recordedRuns(), count);
    std::printf("%d events from the recorded built-in runs; budget: no GUI-thread stall > 50 ms\n",
                static_cast<int>(events.size()));
    std::printf("%-22s %12s %10s %10s %8s %10s\n", "producer", "max_stall_ms", "p99_ms", ">50ms", "ticks", "total_ms");
    for (int rate : {0, 50'000}) {
        const Result r = stream(events, rate);
        std::printf("%-22s %12.1f %10.1f %10d %8d %10.0f  %s\n", rate ? "paced 50k events/s" : "burst", r.maxStallMs,
                    r.p99Ms, r.over50, r.ticks, r.totalMs, r.maxStallMs <= 50 ? "ok" : "OVER");
        std::fflush(stdout);
    }
    return 0;
}
