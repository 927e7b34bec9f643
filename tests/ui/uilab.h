// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Helpers of the UI tests that run built-ins through the real lab (header-only: tests/ui globs test_*.cpp
// into executables).

#include "core/lab/parent/labclient.h"
#include "core/scenario/builtins.h"
#include "ui/model/labworker.h"
#include "ui/model/runmodel.h"

#include <QSignalSpy>
#include <QtGlobal>
#include <QtTest>

#include <algorithm>

namespace sockscope::uitest {

// A built-in scenario by name; a missing one ends the test program (the catalogue is compiled in).
inline core::Scenario builtin(const char *name)
{
    auto r = core::resolveScenario(name);
    if (!r.scenario)
        qFatal("no built-in %s", name);
    return *r.scenario;
}

// Options that run the lab binary built with the tests.
inline core::LabOptions realLab()
{
    core::LabOptions o;
    o.labBinary = SOCKSCOPE_LAB_BINARY;
    return o;
}

// The events of one run of a built-in through the real lab (SOCKSCOPE_LAB_BINARY), on the calling thread.
inline std::vector<core::Event> runBuiltinEvents(const char *name)
{
    std::vector<core::Event> events;
    std::string error;
    core::runLab(
        builtin(name), realLab(), [&](core::Event &&e) { events.push_back(std::move(e)); }, &error);
    if (!error.empty())
        qWarning("%s: %s", name, error.c_str());
    return events;
}

// The highest step index seen in the model so far, -1 for none.
inline int lastStepSeen(const ui::RunModel &run)
{
    int last = -1;
    for (const auto &e : run.events())
        if (const auto *s = e.as<core::StepInfo>())
            last = std::max(last, s->step);
    return last;
}

// A run model and its lab worker, with spies on the worker's run signals and on the model's appends.
struct SpiedWorker
{
    ui::RunModel run;
    ui::LabWorker worker{&run};
    QSignalSpy paused{&worker, &ui::LabWorker::runPaused};
    QSignalSpy finished{&worker, &ui::LabWorker::runFinished};
    QSignalSpy failed{&worker, &ui::LabWorker::runFailed};
    QSignalSpy stopped{&worker, &ui::LabWorker::runStopped};
    QSignalSpy appended{&run, &ui::RunModel::eventsAppended};

    explicit SpiedWorker(const core::LabOptions &o = realLab()) { worker.setOptions(o); }
    // Waits until the lab paused again or the worker stopped running; true when paused.
    bool waitPaused(int before)
    {
        return QTest::qWaitFor([&] { return paused.count() > before || !worker.isRunning(); }, 60000) &&
               paused.count() > before;
    }
    // Waits until the lab paused again or the run finished or failed; true when paused.
    bool waitPausedOrEnd(int before)
    {
        return QTest::qWaitFor([&] { return paused.count() > before || finished.count() || failed.count(); }, 60000) &&
               paused.count() > before;
    }
    // Starts s in step mode and waits for the first pause.
    bool startStepping(const core::Scenario &s) { return worker.start(s, true) && waitPausedOrEnd(0); }
    // One step, then waits for the next pause.
    bool stepToPause()
    {
        const int before = paused.count();
        return worker.step() && waitPausedOrEnd(before);
    }
    // The last runFailed message, empty when the run did not fail.
    QString failure() const { return failed.isEmpty() ? QString() : failed.last().first().toString(); }
};

} // namespace sockscope::uitest
