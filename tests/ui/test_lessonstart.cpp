// SPDX-License-Identifier: GPL-3.0-or-later
// `sockscope open NAME|FILE [--step] [--class] [--reveal]`: startLesson() opens a built-in or a scenario file
// through the REAL lab, paused before its first step, in class mode and with reveal on as asked.

#include "core/scenario/builtins.h"
#include "tests/ui/uifixture.h"
#include "tests/ui/uilab.h"
#include "ui/lessonstart.h"
#include "ui/mainwindow.h"
#include "ui/model/labworker.h"
#include "ui/model/viewstate.h"
#include "ui/panels/scenariobrowser.h"
#include "ui/teach/classmode.h"
#include "ui/teach/teachactions.h"

#include <QAction>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace sockscope;

namespace {
void useTestLab(ui::MainWindow &w)
{
    w.labWorker()->setOptions(uitest::realLab());
}
} // namespace

class TestLessonStart : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { uitest::useOwnSettings(QStringLiteral("sockscope-test-lessonstart")); }

    void builtinPausedInClassModeWithReveal()
    {
        ui::MainWindow w;
        useTestLab(w);
        QSignalSpy paused(w.labWorker(), &ui::LabWorker::runPaused);
        const QString error = ui::startLesson(w, {QStringLiteral("half-close"), true, true, true});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(paused.wait(30000));
        QCOMPARE(paused.first().first().toInt(), 0); // before the first step
        QVERIFY(w.labWorker()->isPaused());
        QCOMPARE(QString::fromStdString(w.labWorker()->scenario()->name), QStringLiteral("half-close"));
        auto *teach = w.findChild<ui::TeachActions *>();
        QVERIFY(teach->classMode()->isActive());
        QVERIFY(teach->revealAction()->isChecked());
        QVERIFY(w.viewState()->revealLimit() >= 0);
        teach->classMode()->setActive(false);
        w.labWorker()->stop();
        QTRY_VERIFY_WITH_TIMEOUT(!w.labWorker()->isRunning(), 30000);
    }

    void scenarioFileRunsToTheEnd()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("my-lesson.scn"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(core::findBuiltin("connect-refused")->source.data());
        f.close();
        ui::MainWindow w;
        useTestLab(w);
        QSignalSpy finished(w.labWorker(), &ui::LabWorker::runFinished);
        QSignalSpy paused(w.labWorker(), &ui::LabWorker::runPaused);
        const QString error = ui::startLesson(w, {path, false, false, false});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(finished.wait(30000));
        QCOMPARE(paused.count(), 0);
        QCOMPARE(QString::fromStdString(w.browser()->current()->name), QStringLiteral("my-lesson"));
        QVERIFY(!w.findChild<ui::TeachActions *>()->revealAction()->isChecked());
        QCOMPARE(w.viewState()->revealLimit(), -1);
    }

    void unknownNameIsReported()
    {
        ui::MainWindow w;
        const QString error = ui::startLesson(w, {QStringLiteral("no-such-lesson.scn"), true, false, false});
        QVERIFY2(error.contains(QStringLiteral("no-such-lesson.scn")), qPrintable(error));
        QVERIFY(!w.labWorker()->isRunning());
    }
};

QTEST_MAIN(TestLessonStart)
#include "test_lessonstart.moc"
