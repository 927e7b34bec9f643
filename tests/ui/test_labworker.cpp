// SPDX-License-Identifier: GPL-3.0-or-later
// The lab worker's queue: events pushed from another thread reach the model complete, in order, and in
// batches (one wake-up per drain, not one per event). A run with a lab that cannot start is reported.

#include "core/scenario/builtins.h"
#include "ui/model/labworker.h"
#include "ui/model/runmodel.h"
#include "uilab.h"

#include <QSignalSpy>
#include <QtTest>

#include <thread>

using namespace sockscope;

class TestLabWorker : public QObject
{
    Q_OBJECT
private slots:
    void batchesEventsFromAnotherThread()
    {
        ui::RunModel run;
        ui::LabWorker worker(&run);
        QSignalSpy appended(&run, &ui::RunModel::eventsAppended);
        constexpr int kEvents = 50000;
        std::thread producer([&worker] {
            for (int i = 0; i < kEvents; ++i) {
                core::Event e;
                e.n = i;
                e.tNs = i * 1000;
                e.payload = core::QueueInfo{"client.1", i % 100, 0};
                worker.push(std::move(e));
            }
        });
        producer.join();
        QTRY_COMPARE_WITH_TIMEOUT(run.eventCount(), kEvents, 30000);
        for (int i = 0; i < kEvents; ++i)
            QCOMPARE(run.event(i).n, static_cast<std::int64_t>(i));
        // Batched: far fewer model updates than events (kMaxBatch bounds each one).
        QVERIFY2(appended.count() < kEvents / 100, qPrintable(QString::number(appended.count())));
        QVERIFY(appended.count() >= kEvents / ui::LabWorker::kMaxBatch);
    }

    // A long wait() is announced while it runs (the window's countdown), with its step and length, before the
    // run finishes.
    void longWaitIsAnnounced()
    {
        ui::RunModel run;
        ui::LabWorker worker(&run);
        worker.setOptions(uitest::realLab());
        QSignalSpy waiting(&worker, &ui::LabWorker::longWaitStarted);
        QSignalSpy finished(&worker, &ui::LabWorker::runFinished);
        const auto parsed =
            core::parseScenario("title: t\ntopic: t\nsummary: s\nactors: a\n\na  wait(1500)\n", "w.scn");
        QVERIFY(parsed.scenario);
        QVERIFY(worker.start(*parsed.scenario));
        QTRY_COMPARE_WITH_TIMEOUT(waiting.count(), 1, 30000);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(waiting.first().at(0).toInt(), 0);
        QCOMPARE(waiting.first().at(1).toLongLong(), 1500);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    }

    void labThatCannotStartIsReported()
    {
        ui::RunModel run;
        ui::LabWorker worker(&run);
        core::LabOptions options;
        options.labBinary = "/nonexistent/sockscope-lab";
        worker.setOptions(options);
        QSignalSpy failed(&worker, &ui::LabWorker::runFailed);
        const auto scenario = core::resolveScenario("close-unread-data");
        QVERIFY(scenario.scenario);
        QVERIFY(worker.start(*scenario.scenario));
        QVERIFY(!worker.start(*scenario.scenario)); // one run at a time
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
        QVERIFY(!failed.first().first().toString().isEmpty());
        QVERIFY(!worker.isRunning());
        QCOMPARE(run.eventCount(), 0);
    }
};

QTEST_MAIN(TestLabWorker)
#include "test_labworker.moc"
