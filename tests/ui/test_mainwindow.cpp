// SPDX-License-Identifier: GPL-3.0-or-later
// The main window, offscreen: a real run streamed through the real lab into the open window, a lab that
// cannot start (the previous run stays), a scenario file that does not parse (nothing added or run).

#include "tests/ui/uilab.h"
#include "ui/mainwindow.h"
#include "ui/model/labworker.h"
#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"
#include "ui/panels/scenariobrowser.h"
#include "uifixture.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace sockscope;

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { uitest::useTestModeSettings(); }

    void streamsARealRun()
    {
        ui::MainWindow window;
        window.resize(1400, 900);
        window.show();
        core::LabOptions options = uitest::realLab();
        window.labWorker()->setOptions(options);
        QSignalSpy finished(window.labWorker(), &ui::LabWorker::runFinished);
        QSignalSpy failed(window.labWorker(), &ui::LabWorker::runFailed);
        QSignalSpy batches(window.runModel(), &ui::RunModel::eventsAppended);
        QVERIFY(window.selectAndRun(QStringLiteral("close-unread-data")));
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() > 0, 60000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        const ui::RunModel &run = *window.runModel();
        QVERIFY(run.hasRunInfo());
        QVERIFY(run.isFinished());
        QVERIFY(run.eventCount() > 20);
        QVERIFY(batches.count() >= 1);
        QCOMPARE(run.event(0).kind(), core::EventKind::Run);
        QCOMPARE(run.event(run.eventCount() - 1).kind(), core::EventKind::End);
        for (int i = 0; i < run.eventCount(); ++i)
            QCOMPARE(run.event(i).n, static_cast<std::int64_t>(i)); // nothing lost or reordered across batches
        bool sawRst = false;
        for (const auto &e : run.events())
            if (const auto *p = e.as<core::PacketInfo>(); p && core::hasFlag(p->flags, core::SegmentFlag::Rst))
                sawRst = true;
        QVERIFY(sawRst);
        for (int i = 0; i < run.eventCount(); ++i)
            if (const auto *p = run.event(i).as<core::PacketInfo>();
                p && core::hasFlag(p->flags, core::SegmentFlag::Rst))
                window.viewState()->setCursor(i);
        QTest::qWait(100);
        QVERIFY(window.grab().save(QStringLiteral("mainwindow.png")));

        // A lab that cannot start is reported, and the previous run stays on screen.
        const int before = run.eventCount();
        options.labBinary = "/nonexistent/sockscope-lab";
        window.labWorker()->setOptions(options);
        QVERIFY(window.selectAndRun(QStringLiteral("close-unread-data")));
        QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, 30000);
        QVERIFY(!failed.first().first().toString().isEmpty());
        QCOMPARE(run.eventCount(), before);
        QVERIFY(window.grab().save(QStringLiteral("mainwindow-failed.png")));
    }

    void badScenarioFileIsNotAdded()
    {
        ui::ScenarioBrowser browser;
        const int count = browser.scenarioCount();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.scn"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("title: broken\nactors: a\n\na  connect(X\n");
        f.close();
        QString errors;
        QVERIFY(!browser.openFile(path, &errors, true));
        QVERIFY2(errors.contains(QRegularExpression(QStringLiteral("broken\\.scn:\\d+:\\d+: "))), qPrintable(errors));
        QCOMPARE(browser.scenarioCount(), count);
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
