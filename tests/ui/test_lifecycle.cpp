// SPDX-License-Identifier: GPL-3.0-or-later
// The run lifecycle in the window: the moves between phases, a paused run that outlives the watchdog many
// times over and then steps and continues to its end (F5 in the window), a lab killed while paused (the
// window is told in words at once, and the next run works), and a stop that says "stopped".

#include "core/scenario/builtins.h"
#include "tests/ui/uilab.h"
#include "ui/mainwindow.h"
#include "ui/model/labworker.h"
#include "ui/model/runmodel.h"
#include "ui/model/runphase.h"
#include "ui/panels/scenariobrowser.h"
#include "uifixture.h"

#include <QAction>
#include <QSignalSpy>
#include <QtTest>

#include <csignal>
#include <fstream>
#include <sys/wait.h>

using namespace sockscope;
using ui::RunPhase;

Q_DECLARE_METATYPE(sockscope::ui::RunPhase)

using uitest::builtin;
using uitest::lastStepSeen;

namespace {

// The lab children of this process (the worker thread spawned them).
std::vector<pid_t> labChildren()
{
    std::vector<pid_t> pids;
    for (const QString &task : QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        std::ifstream in(("/proc/self/task/" + task + "/children").toStdString());
        pid_t pid;
        while (in >> pid)
            pids.push_back(pid);
    }
    return pids;
}

// A watchdog of about one second for every step (the lab keeps the scenario's own timeout).
core::LabOptions shortWatchdog()
{
    core::LabOptions o = uitest::realLab();
    o.watchdogSlackMs = 500;
    return o;
}

} // namespace

class TestLifecycle : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { uitest::useTestModeSettings(); }

    void moves_data()
    {
        QTest::addColumn<RunPhase>("from");
        QTest::addColumn<RunPhase>("to");
        QTest::addColumn<bool>("allowed");
        struct Row
        {
            const char *name;
            RunPhase from, to;
            bool allowed;
        };
        const Row rows[] = {
            {"idle starts free", RunPhase::Idle, RunPhase::Running, true},
            {"idle starts stepping", RunPhase::Idle, RunPhase::Stepping, true},
            {"idle cannot pause", RunPhase::Idle, RunPhase::Paused, false},
            {"idle cannot stop", RunPhase::Idle, RunPhase::Stopping, false},
            {"stepping pauses", RunPhase::Stepping, RunPhase::Paused, true},
            {"paused steps", RunPhase::Paused, RunPhase::Stepping, true},
            {"paused continues", RunPhase::Paused, RunPhase::Running, true},
            {"paused lab dies", RunPhase::Paused, RunPhase::Failed, true},
            {"paused is stopped", RunPhase::Paused, RunPhase::Stopping, true},
            {"a free run never pauses", RunPhase::Running, RunPhase::Paused, false},
            {"running finishes", RunPhase::Running, RunPhase::Finished, true},
            {"stopping ends stopped", RunPhase::Stopping, RunPhase::Stopped, true},
            {"stopping does not run on", RunPhase::Stopping, RunPhase::Running, false},
            {"stopping does not pause", RunPhase::Stopping, RunPhase::Paused, false},
            {"restarting starts again", RunPhase::Restarting, RunPhase::Stepping, true},
            {"stop cancels a restart", RunPhase::Restarting, RunPhase::Stopping, true},
            {"finished starts again", RunPhase::Finished, RunPhase::Running, true},
            {"stopped starts again", RunPhase::Stopped, RunPhase::Stepping, true},
            {"failed starts again", RunPhase::Failed, RunPhase::Running, true},
            {"finished cannot fail later", RunPhase::Finished, RunPhase::Failed, false},
            {"stopped cannot finish later", RunPhase::Stopped, RunPhase::Finished, false},
        };
        for (const Row &r : rows)
            QTest::newRow(r.name) << r.from << r.to << r.allowed;
    }
    void moves()
    {
        QFETCH(RunPhase, from);
        QFETCH(RunPhase, to);
        QFETCH(bool, allowed);
        QCOMPARE(ui::canMove(from, to), allowed);
    }

    void livePhases()
    {
        for (RunPhase p :
             {RunPhase::Running, RunPhase::Stepping, RunPhase::Paused, RunPhase::Stopping, RunPhase::Restarting})
            QVERIFY2(ui::isLive(p), ui::phaseName(p));
        for (RunPhase p : {RunPhase::Idle, RunPhase::Finished, RunPhase::Stopped, RunPhase::Failed})
            QVERIFY2(!ui::isLive(p), ui::phaseName(p));
    }

    // The watchdog is ~1 s per step here; the teacher talks for 4 s between two steps, then steps, then
    // presses F5: the run goes to its end, every expectation met.
    void pausedRunOutlivesTheWatchdogThenContinuesToTheEnd()
    {
        core::Scenario s = builtin("close-unread-data");
        s.stepTimeoutMs = 500; // the parent's budget only (the lab parses the source)
        ui::MainWindow window;
        window.ensureComplete();
        window.labWorker()->setOptions(shortWatchdog());
        ui::LabWorker &worker = *window.labWorker();
        QSignalSpy paused(&worker, &ui::LabWorker::runPaused);
        QSignalSpy finished(&worker, &ui::LabWorker::runFinished);
        QSignalSpy failed(&worker, &ui::LabWorker::runFailed);
        QVERIFY(worker.start(s, true));
        QTRY_COMPARE_WITH_TIMEOUT(paused.count(), 1, 60000);
        QVERIFY(worker.step());
        QTRY_COMPARE_WITH_TIMEOUT(paused.count(), 2, 60000);
        QCOMPARE(worker.phase(), RunPhase::Paused);
        QTest::qWait(4 * (s.stepTimeoutMs + 500));
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QCOMPARE(worker.phase(), RunPhase::Paused);
        QVERIFY(worker.step());
        QTRY_COMPARE_WITH_TIMEOUT(paused.count() + failed.count(), 3, 60000);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(worker.nextStep(), 2);
        // F5 while paused: the window's Run action is enabled and continues the run.
        QAction *f5 = nullptr;
        for (QAction *a : window.findChildren<QAction *>())
            if (a->shortcut() == QKeySequence(Qt::Key_F5))
                f5 = a;
        QVERIFY(f5);
        QVERIFY(f5->isEnabled());
        f5->trigger();
        QCOMPARE(worker.phase(), RunPhase::Running);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 1, 60000);
        QCOMPARE(failed.count(), 0);
        QVERIFY(finished.first().first().toBool());
        QCOMPARE(paused.count(), 3); // no pause after continue
        QCOMPARE(lastStepSeen(*window.runModel()), static_cast<int>(s.steps.size()) - 1);
        QCOMPARE(worker.phase(), RunPhase::Finished);
    }

    // The lab is SIGKILLed while the teacher talks: the window hears of it at once (no key pressed), in words,
    // keeps the events it had, and the next run works.
    void labKilledWhilePausedIsReported()
    {
        const core::Scenario s = builtin("close-unread-data");
        uitest::SpiedWorker t(shortWatchdog());
        QVERIFY(t.worker.start(s, true));
        QVERIFY(t.waitPaused(0));
        QVERIFY(t.worker.step());
        QVERIFY(t.waitPaused(1));
        const int events = t.run.eventCount();
        const std::vector<pid_t> labs = labChildren();
        QCOMPARE(labs.size(), size_t(1));
        QCOMPARE(::kill(labs.front(), SIGKILL), 0);
        QTRY_COMPARE_WITH_TIMEOUT(t.failed.count(), 1, 30000);
        QVERIFY2(t.failure().contains(QLatin1String("killed by SIGKILL")), qPrintable(t.failure()));
        QCOMPARE(t.worker.phase(), RunPhase::Failed);
        QVERIFY(!t.worker.step());
        QVERIFY(t.run.eventCount() >= events); // what the class saw stays, with an end that says why
        QCOMPARE(t.run.event(t.run.eventCount() - 1).kind(), core::EventKind::End);
        QVERIFY(labChildren().empty()); // reaped
        QVERIFY(t.worker.start(s));
        QTRY_COMPARE_WITH_TIMEOUT(t.finished.count(), 1, 60000);
        QCOMPARE(t.failed.count(), 1);
    }

    // Stop on a free run and on a paused one: "stopped", never "failed".
    void stopSaysStopped()
    {
        const core::Scenario s = builtin("backlog-full");
        uitest::SpiedWorker t(shortWatchdog());
        QVERIFY(t.worker.start(s));
        QTRY_VERIFY_WITH_TIMEOUT(t.run.eventCount() > 0, 60000);
        t.worker.stop();
        QTRY_COMPARE_WITH_TIMEOUT(t.stopped.count(), 1, 30000);
        QCOMPARE(t.failed.count(), 0);
        QCOMPARE(t.finished.count(), 0);
        QCOMPARE(t.worker.phase(), RunPhase::Stopped);

        QVERIFY(t.worker.start(s, true));
        QVERIFY(t.waitPaused(0));
        t.worker.stop();
        QTRY_COMPARE_WITH_TIMEOUT(t.stopped.count(), 2, 30000);
        QCOMPARE(t.failed.count(), 0);
        QVERIFY(labChildren().empty());
    }
};

QTEST_MAIN(TestLifecycle)
#include "test_lifecycle.moc"
