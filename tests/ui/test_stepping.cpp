// SPDX-License-Identifier: GPL-3.0-or-later
// Live stepping through the REAL lab: each step() delivers exactly one batch holding that step's step event(s)
// and its call's return (unless the call blocks), and nothing of the next step. A blocked call stays blocked
// across steps until another actor's step releases it; a '&' group is one step.

#include "core/scenario/builtins.h"
#include "tests/ui/uilab.h"
#include "ui/model/labworker.h"
#include "ui/model/runmodel.h"

#include <QSignalSpy>
#include <QtTest>

using namespace sockscope;

using uitest::builtin;
using uitest::lastStepSeen;

namespace {

// The syscall event of scenario step `step`, -1 when not in the model.
int syscallOfStep(const ui::RunModel &run, int step)
{
    for (int i = 0; i < run.eventCount(); ++i)
        if (const auto *c = run.event(i).as<core::SyscallInfo>(); c && c->step == step)
            return i;
    return -1;
}

} // namespace

class TestStepping : public QObject
{
    Q_OBJECT
private slots:
    void closeUnreadDataOneStepPerPress()
    {
        const core::Scenario s = builtin("close-unread-data");
        uitest::SpiedWorker t;
        QVERIFY(t.startStepping(s));
        QCOMPARE(t.paused.last().first().toInt(), 0);
        QCOMPARE(lastStepSeen(t.run), -1); // the run event only: no step yet
        for (int k = 0; k < static_cast<int>(s.steps.size()); ++k) {
            const int pauses = t.paused.count();
            const int batches = t.appended.count();
            QVERIFY(t.worker.step());
            QVERIFY(!t.worker.isPaused());
            const bool more = t.waitPausedOrEnd(pauses);
            QCOMPARE(t.appended.count(), batches + 1); // one batch per step
            const int first = t.appended.last().first().toInt();
            QCOMPARE(t.run.event(first).kind(), core::EventKind::Step);
            QCOMPARE(t.run.event(first).as<core::StepInfo>()->step, k);
            // The step's call and its return are in; nothing of step k+1 is.
            const int call = syscallOfStep(t.run, k);
            QVERIFY2(call >= first, qPrintable(QStringLiteral("step %1").arg(k)));
            QVERIFY(t.run.returnOf(call) > call);
            for (int i = first; i < t.run.eventCount(); ++i) {
                QVERIFY(t.run.stepOf(i) <= k);
                if (const auto *c = t.run.event(i).as<core::SyscallInfo>())
                    QCOMPARE(c->step, k);
            }
            if (more)
                QCOMPARE(t.worker.nextStep(), k + 1);
            else
                QCOMPARE(k, static_cast<int>(s.steps.size()) - 1);
        }
        QTRY_COMPARE_WITH_TIMEOUT(t.finished.count(), 1, 30000);
        QVERIFY(t.finished.first().first().toBool()); // every expectation met, stepping or not
        QCOMPARE(t.failed.count(), 0);
        // close() with unread data drew a RST.
        bool rst = false;
        for (const auto &e : t.run.events())
            if (const auto *p = e.as<core::PacketInfo>())
                rst = rst || core::hasFlag(p->flags, core::SegmentFlag::Rst);
        QVERIFY(rst);
    }

    void backlogFullBlockedConnectStaysBlocked()
    {
        const core::Scenario s = builtin("backlog-full");
        int blockedStep = -1, releaseStep = -1;
        for (const auto &st : s.steps) {
            if (st.call == core::Call::Connect && st.sock == "C2")
                blockedStep = st.index;
            if (st.call == core::Call::Accept && st.assign == "A2")
                releaseStep = st.index;
        }
        QVERIFY(blockedStep > 0 && releaseStep > blockedStep + 1);
        uitest::SpiedWorker t;
        QVERIFY(t.startStepping(s));
        int call = -1;
        for (int k = 0; k < static_cast<int>(s.steps.size()); ++k) {
            const int pauses = t.paused.count();
            QVERIFY(t.worker.step());
            QVERIFY(t.waitPausedOrEnd(pauses) || k == static_cast<int>(s.steps.size()) - 1);
            if (k == blockedStep)
                call = syscallOfStep(t.run, k);
            if (k >= blockedStep && k < releaseStep) {
                QVERIFY(call >= 0);
                QVERIFY2(t.run.isBlocked(call), qPrintable(QStringLiteral("connect unblocked at step %1").arg(k)));
            }
        }
        QTRY_COMPARE_WITH_TIMEOUT(t.finished.count(), 1, 30000);
        // Room in the accept queue released it: the SYN retransmission runs on the kernel's clock, so it may
        // land during a pause; its return is stamped then and delivered with the next step's batch.
        QVERIFY(!t.run.isBlocked(call));
        QCOMPARE(t.run.event(t.run.returnOf(call)).as<core::ReturnInfo>()->ret, 0);
    }

    void simultaneousCloseGroupIsOneStep()
    {
        const core::Scenario s = builtin("simultaneous-close");
        size_t groupFirst = 0;
        while (groupFirst < s.steps.size() && !s.steps[groupFirst].together)
            ++groupFirst;
        QVERIFY(groupFirst + 1 < s.steps.size());
        uitest::SpiedWorker t;
        QVERIFY(t.startStepping(s));
        QList<int> nexts{t.worker.nextStep()};
        while (t.worker.isPaused()) {
            const int pauses = t.paused.count();
            QVERIFY(t.worker.step());
            if (!t.waitPausedOrEnd(pauses))
                break;
            nexts << t.worker.nextStep();
            if (nexts.last() == static_cast<int>(groupFirst) + 2) {
                // The group's two step events and both closes came in the batch of one press.
                const int first = t.appended.last().first().toInt();
                int steps = 0, calls = 0;
                for (int i = first; i < t.run.eventCount(); ++i) {
                    steps += t.run.event(i).kind() == core::EventKind::Step;
                    calls += t.run.event(i).kind() == core::EventKind::Syscall;
                }
                QCOMPARE(steps, 2);
                QCOMPARE(calls, 2);
            }
        }
        QVERIFY(!nexts.contains(static_cast<int>(groupFirst) + 1)); // never paused inside the group
        QCOMPARE(nexts.size(), static_cast<int>(s.steps.size()) - 1);
        QTRY_COMPARE_WITH_TIMEOUT(t.finished.count() + t.failed.count(), 1, 30000);
        QCOMPARE(t.failed.count(), 0);
    }

    void continueAndStopFromAPause()
    {
        const core::Scenario s = builtin("close-unread-data");
        uitest::SpiedWorker t;
        QVERIFY(t.startStepping(s));
        QVERIFY(t.stepToPause());
        QVERIFY(t.worker.continueRun());
        QTRY_COMPARE_WITH_TIMEOUT(t.finished.count(), 1, 30000);
        QCOMPARE(t.paused.count(), 2); // no pause after continue
        QCOMPARE(lastStepSeen(t.run), static_cast<int>(s.steps.size()) - 1);

        uitest::SpiedWorker u;
        QVERIFY(u.startStepping(s));
        u.worker.stop(); // a paused lab is told to stop: its end event arrives
        QTRY_COMPARE_WITH_TIMEOUT(u.stopped.count(), 1, 30000);
        QCOMPARE(u.failed.count(), 0); // a stop the user asked for is not a failure
        QCOMPARE(u.worker.phase(), ui::RunPhase::Stopped);
        QVERIFY(u.run.isFinished());
        QVERIFY(!u.worker.isRunning());

        // Restart while paused: the same scenario starts again in step mode.
        uitest::SpiedWorker v;
        QVERIFY(v.startStepping(s));
        QVERIFY(v.stepToPause());
        QVERIFY(v.worker.restart());
        QTRY_COMPARE_WITH_TIMEOUT(v.paused.count(), 3, 30000);
        QCOMPARE(v.worker.nextStep(), 0);
        QCOMPARE(v.failed.count(), 0);
        v.worker.stop();
        QTRY_VERIFY_WITH_TIMEOUT(!v.worker.isRunning(), 30000);
    }
};

QTEST_MAIN(TestStepping)
#include "test_stepping.moc"
