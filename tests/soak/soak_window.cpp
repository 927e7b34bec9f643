// SPDX-License-Identifier: GPL-3.0-or-later
// Soak of the window's runner (issue 11, item 6): N consecutive runs of a built-in through ui::LabWorker into a
// ui::RunModel, with the event loop the window has (no window: the runner is Qt Core). Prints descriptors,
// threads, children and RSS after a first run and after the last; any growth fails (exit 1).
// Usage: soak_window [RUNS] [SCENARIO]
#include "processcounts.h"

#include "core/scenario/builtins.h"
#include "ui/model/labworker.h"
#include "ui/model/runmodel.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#include <cstdlib>
#include <iostream>

using namespace sockscope;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::atoi(argv[1]) : 200;
    const std::string name = argc > 2 ? argv[2] : "close-unread-data";
    core::ParseResult parsed = core::resolveScenario(name);
    if (!parsed.scenario) {
        std::cerr << "soak_window: no scenario " << name << "\n";
        return 2;
    }
    ui::RunModel model;
    ui::LabWorker worker(&model);
    int failed = 0;
    auto once = [&] {
        QEventLoop loop;
        bool ok = false;
        QString why = "no answer in 60 s";
        auto a = QObject::connect(&worker, &ui::LabWorker::runFinished, &loop, [&](bool expectationsOk) {
            ok = expectationsOk;
            why = "an expectation was not met";
            loop.quit();
        });
        auto b = QObject::connect(&worker, &ui::LabWorker::runFailed, &loop, [&](const QString &message) {
            why = message;
            loop.quit();
        });
        QTimer::singleShot(60000, &loop, &QEventLoop::quit);
        if (!worker.start(*parsed.scenario))
            why = "the worker refused to start";
        else
            loop.exec();
        QObject::disconnect(a);
        QObject::disconnect(b);
        // The last batch may follow runFinished in the same turn of the loop.
        QCoreApplication::processEvents();
        if (!ok || model.eventCount() == 0) {
            ++failed;
            std::cerr << "soak_window: run failed: " << why.toStdString() << "\n";
        }
    };
    once();
    const test::ProcessCounts before = test::ProcessCounts::now();
    for (int i = 1; i < runs; ++i)
        once();
    const test::ProcessCounts after = test::ProcessCounts::now();
    std::cout << "soak_window: " << runs << " runs of " << name << " through LabWorker/RunModel: " << failed
              << " failed, " << model.eventCount() << " events in the model at the end\n"
              << "  after run 1:    " << before.text() << "\n"
              << "  after run " << runs << ": " << after.text() << "\n";
    const bool leak = test::grew(before, after, 2048);
    if (leak)
        std::cout << "soak_window: FAILED: the process grew\n";
    return failed || leak ? 1 : 0;
}
