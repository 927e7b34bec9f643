// SPDX-License-Identifier: GPL-3.0-or-later
// GUI thread while streaming (DESIGN.md budget: no stall > 50 ms at 100k events). A 100k-event run made of
// the recorded built-in runs is pushed through LabWorker::push from a worker thread into an open MainWindow
// (offscreen unless QT_QPA_PLATFORM says otherwise), the way LabJob::pumpOn hands over each event the lab writes.
// A 5 ms precise timer on the GUI thread measures its own lateness: the longest lateness is the longest stall.
// Each producer twice: the window left alone (what the budget is about: the run streaming in), and resized every
// 50 ms throughout (a stress on top: every resize repaints the whole window, docks and charts included).
// Two producers: a burst (everything at once, the worst case) and a paced one (~50k events/s, like a busy
// live run). Beside each stall figure: the GUI thread's longest event deliveries (outermost QApplication::notify
// calls: receiver, its parent, event type), which is where a stall went. Prints numbers; asserts nothing.
// Usage: bench_ui_stream [events]   (SOCKSCOPE_FIXTURES overrides the fixtures directory)

#include "ui/mainwindow.h"
#include "ui/model/labworker.h"
#include "ui/model/runmodel.h"
#include "uibenchdata.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QMetaEnum>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

using namespace sockscope;

namespace {

// Times every outermost event delivery on the GUI thread (nested ones, e.g. a paint inside an update request,
// are part of their outer one) and keeps the longest.
class TimedApp : public QApplication
{
public:
    using QApplication::QApplication;
    struct Delivery
    {
        double ms = 0;
        QString what;
    };
    bool notify(QObject *receiver, QEvent *event) override
    {
        if (!m_recording || m_depth > 0 || QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        ++m_depth;
        QElapsedTimer t;
        t.start();
        const int type = event->type();
        const bool r = QApplication::notify(receiver, event);
        const double ms = static_cast<double>(t.nsecsElapsed()) / 1e6;
        --m_depth;
        if (ms >= 5) // keep the receiver's names only for deliveries long enough to matter
            m_longest.push_back({ms, describe(receiver, type)});
        return r;
    }
    void startRecording()
    {
        m_longest.clear();
        m_recording = true;
    }
    std::vector<Delivery> stopRecording()
    {
        m_recording = false;
        std::sort(m_longest.begin(), m_longest.end(), [](const Delivery &a, const Delivery &b) { return a.ms > b.ms; });
        return std::move(m_longest);
    }

private:
    static QString describe(QObject *o, int type)
    {
        const QString ev = QString::fromLatin1(QMetaEnum::fromType<QEvent::Type>().valueToKey(type));
        const QObject *p = o ? o->parent() : nullptr;
        return QStringLiteral("%1 (in %2): %3")
            .arg(QString::fromLatin1(o ? o->metaObject()->className() : "?"),
                 QString::fromLatin1(p ? p->metaObject()->className() : "-"), ev);
    }
    bool m_recording = false;
    int m_depth = 0;
    std::vector<Delivery> m_longest;
};

struct Result
{
    double maxStallMs = 0;
    double p99Ms = 0;
    int over50 = 0;
    int ticks = 0;
    double totalMs = 0; // first push to the last event in the model and the diagram laid out again
    std::vector<TimedApp::Delivery> longest;
};

Result stream(const std::vector<core::Event> &events, int eventsPerSecond, bool resize)
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
    if (resize)
        resizer.start();

    auto *app = static_cast<TimedApp *>(QCoreApplication::instance());
    app->startRecording();
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
    const std::vector<TimedApp::Delivery> longest = app->stopRecording();

    Result r;
    r.totalMs = static_cast<double>(total.elapsed()) - 500;
    r.ticks = static_cast<int>(lateness.size());
    std::sort(lateness.begin(), lateness.end());
    if (!lateness.empty()) {
        r.maxStallMs = lateness.back();
        r.p99Ms = lateness[lateness.size() * 99 / 100];
        r.over50 = static_cast<int>(std::count_if(lateness.begin(), lateness.end(), [](double l) { return l > 50; }));
    }
    r.longest = longest;
    window.close();
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    uibench::preferOffscreen();
    TimedApp app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // the window's QSettings stay out of the user's
    QCoreApplication::setOrganizationName(QStringLiteral("sockscope-bench"));
    const int count = argc > 1 ? std::atoi(argv[1]) : 100'000;
    const auto events = uibench::repeatedRun(uibench::recordedRuns(), count);
    std::printf("%d events from the recorded built-in runs; budget: no GUI-thread stall > 50 ms\n",
                static_cast<int>(events.size()));
    std::printf("%-34s %12s %10s %10s %8s %10s\n", "producer", "max_stall_ms", "p99_ms", ">50ms", "ticks", "total_ms");
    for (bool resize : {false, true})
        for (int rate : {0, 50'000}) {
            const Result r = stream(events, rate, resize);
            const QString name =
                QStringLiteral("%1%2").arg(rate ? QStringLiteral("paced 50k events/s") : QStringLiteral("burst"),
                                           resize ? QStringLiteral(", resized") : QString());
            std::printf("%-34s %12.1f %10.1f %10d %8d %10.0f  %s\n", qPrintable(name), r.maxStallMs, r.p99Ms, r.over50,
                        r.ticks, r.totalMs, resize ? "(stress)" : (r.maxStallMs <= 50 ? "ok" : "OVER"));
            for (size_t k = 0; k < std::min<size_t>(r.longest.size(), 6); ++k)
                std::printf("    %7.1f ms  %s\n", r.longest[k].ms, qPrintable(r.longest[k].what));
            std::fflush(stdout);
        }
    return 0;
}
