// SPDX-License-Identifier: GPL-3.0-or-later
// Run N times (grouping on synthetic keys and 20 real runs), the outcome chart, class mode entering and
// leaving with the layout restored, the scenario editor (inline errors, reload from disk), and the step
// status line. With SOCKSCOPE_SCREENSHOTS=DIR it also writes class-mode.png and outcomes.png there.

#include "core/model/outcome.h"
#include "core/scenario/builtins.h"
#include "tests/ui/uilab.h"
#include "ui/mainwindow.h"
#include "ui/model/multirun.h"
#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"
#include "ui/panels/explanationpanel.h"
#include "ui/sequence/sequenceview.h"
#include "ui/teach/classmode.h"
#include "ui/teach/outcomechart.h"
#include "ui/teach/replaycontroller.h"
#include "ui/teach/scenarioeditor.h"
#include "ui/teach/teachactions.h"
#include "uifixture.h"

#include <QDockWidget>
#include <QMenuBar>
#include <QShortcut>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace sockscope;

using uitest::builtin;

namespace {
QString shotDir()
{
    return qEnvironmentVariable("SOCKSCOPE_SCREENSHOTS");
}
} // namespace

class TestTeaching : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { uitest::useOwnSettings(QStringLiteral("sockscope-test-teaching")); }

    void groupsSyntheticKeys()
    {
        const auto groups = core::groupOutcomes({"a", "b", "a", "c", "a", "b"});
        QCOMPARE(groups.size(), size_t(3));
        QCOMPARE(groups[0].runs, (std::vector<int>{0, 2, 4}));
        QCOMPARE(groups[1].runs, (std::vector<int>{1, 5}));
        QCOMPARE(groups[2].runs, (std::vector<int>{3}));
        QVERIFY(core::groupOutcomes({}).empty());
    }

    void histogramAndIntervals()
    {
        QVERIFY(ui::histogram({}, 5).empty());
        const auto one = ui::histogram({2, 2, 2}, 5);
        QCOMPARE(one.size(), size_t(1));
        QCOMPARE(one[0].count, 3);
        const auto bins = ui::histogram({0, 1, 2, 3, 4, 10}, 5);
        QCOMPARE(bins.size(), size_t(5));
        int sum = 0;
        for (const auto &b : bins)
            sum += b.count;
        QCOMPARE(sum, 6);
        QCOMPARE(bins.back().count, 1); // the max falls in the last bin
        // FIN to the next pure ACK on a recorded active close.
        const auto events = uitest::loadFixture("run-active-close-time-wait.jsonl");
        const auto &m = ui::intervalMarkers();
        const auto ns = ui::intervalNs(events, m[2], m[3]);
        QVERIFY(ns && *ns >= 0);
        QVERIFY(!ui::intervalNs(events, m[4], m[3])); // no RST in a graceful close
    }

    // What TCP did, not the order of interleaved events: 20 real runs of simultaneous-close fall into at most the
    // TCP behaviours the notes name (FINs crossed on both sides or on one, or an ordinary close by either side),
    // each labelled in words, and never into more groups than the event-order key makes.
    void groupsTwentyRunsByTcpBehaviour()
    {
        ui::MultiRunner runner;
        runner.setOptions(uitest::realLab());
        QSignalSpy finished(&runner, &ui::MultiRunner::finished);
        QVERIFY(runner.start(builtin("simultaneous-close"), 20));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 240000);
        QCOMPARE(runner.results().size(), size_t(20));
        std::vector<core::TcpBehaviour> behaviours;
        std::vector<std::string> orderKeys;
        for (const ui::RunResult &r : runner.results()) {
            behaviours.push_back({r.key, r.label});
            orderKeys.push_back(core::outcomeKey(r.events));
            const bool crossed = std::any_of(r.events.begin(), r.events.end(), [](const core::Event &e) {
                const auto *st = e.as<core::StateInfo>();
                return st && st->to == core::TcpState::Closing;
            });
            QCOMPARE(QString::fromStdString(r.label).startsWith(QStringLiteral("FINs crossed: CLOSING on ")), crossed);
            if (!crossed)
                QVERIFY2(QString::fromStdString(r.label).startsWith(QStringLiteral("ordinary close: the ")),
                         r.label.c_str());
        }
        const auto groups = core::groupBehaviours(behaviours);
        QVERIFY(!groups.empty());
        // FINs crossed on both sides, on the server's only, on the client's only; an ordinary close by the server
        // or by the client, each with the closer's FIN_WAIT_2 or without it (FIN and ACK in one segment).
        QVERIFY(groups.size() <= 7);
        QVERIFY(groups.size() <= core::groupOutcomes(orderKeys).size());
        QStringList labels;
        for (const auto &g : groups)
            labels << QString::fromStdString(g.label) + QStringLiteral(" (%1)").arg(g.runs.size());
        qInfo("simultaneous-close, 20 runs by TCP behaviour: %s", qPrintable(labels.join(QStringLiteral(" / "))));
        // The same grouping the chart shows.
        ui::OutcomeChart chart;
        chart.setRuns(QStringLiteral("Simultaneous close"), &runner.results());
        QCOMPARE(chart.groups().size(), groups.size());
        QCOMPARE(chart.groups().front().label.empty(), false);
    }

    void runTwentyTimesAndChart()
    {
        ui::MultiRunner runner;
        runner.setOptions(uitest::realLab());
        QSignalSpy progress(&runner, &ui::MultiRunner::progressed);
        QSignalSpy finished(&runner, &ui::MultiRunner::finished);
        const core::Scenario s = builtin("simultaneous-close");
        QVERIFY(runner.start(s, 20));
        QVERIFY(!runner.start(s, 20));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 240000);
        QCOMPARE(finished.first().first().toBool(), false);
        QCOMPARE(progress.count(), 20);
        QCOMPARE(runner.results().size(), size_t(20));
        const auto groups = core::groupOutcomes(runner.keys());
        size_t sum = 0;
        for (const auto &g : groups)
            sum += g.runs.size();
        QCOMPARE(sum, size_t(20));
        qInfo("simultaneous-close, 20 runs: %zu outcome(s)", groups.size());

        ui::OutcomeChart chart;
        chart.setRuns(QStringLiteral("Simultaneous close"), &runner.results());
        QCOMPARE(chart.groups().size(), groups.size());
        QSignalSpy chosen(&chart, &ui::OutcomeChart::runChosen);
        chart.chooseGroup(0);
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.first().first().toInt(), chart.groups()[0].runs.front());
        chart.setInterval(2, 3); // FIN -> ACK
        QVERIFY(!chart.intervalValuesMs().empty());
        if (!shotDir().isEmpty()) {
            chart.resize(1000, 760);
            chart.show();
            QVERIFY(QTest::qWaitForWindowExposed(&chart));
            QTest::qWait(200);
            QVERIFY(chart.grab().save(shotDir() + QStringLiteral("/outcomes.png")));
        }
    }

    void cancelStopsTheSeries()
    {
        ui::MultiRunner runner;
        runner.setOptions(uitest::realLab());
        QSignalSpy finished(&runner, &ui::MultiRunner::finished);
        QVERIFY(runner.start(builtin("three-way-handshake"), 1000));
        QTRY_VERIFY_WITH_TIMEOUT(runner.results().size() + 1 > 0, 1000);
        runner.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY(runner.results().size() < 1000);
    }

    void classModeRestoresTheLayout()
    {
        ui::MainWindow w;
        QVERIFY(uitest::showComplete(w, {1600, 1000})); // the teaching actions come after the first frame
        auto *teach = w.findChild<ui::TeachActions *>();
        QVERIFY(teach);
        const QByteArray state = w.saveState();
        const ui::Theme::Preset preset = w.viewState()->theme().preset;
        const double zoom = w.sequenceView()->zoom();
        w.runModel()->reset(uitest::loadFixture("run-close-unread-data.jsonl"));
        w.runModel()->setScenario(builtin("close-unread-data"));

        QApplication::setActiveWindow(&w); // key clicks need an active window, even without a window manager
        teach->classModeAction()->trigger();
        QApplication::setActiveWindow(&w);
        QVERIFY(teach->classMode()->isActive());
        QVERIFY(w.viewState()->classMode());
        QCOMPARE(w.viewState()->theme().preset, ui::Theme::Preset::HighContrast);
        QVERIFY(w.isFullScreen() || w.windowState().testFlag(Qt::WindowFullScreen));
        QVERIFY(!w.menuBar()->isVisible());
        for (QDockWidget *d : w.findChildren<QDockWidget *>())
            QCOMPARE(d->isVisible(), ui::ClassMode::keepsDock(d->objectName()));
        // Ctrl+= makes the type larger and is remembered.
        const double scale = teach->classMode()->scale();
        QTest::keyClick(&w, Qt::Key_Equal, Qt::ControlModifier);
        QVERIFY(teach->classMode()->scale() > scale);
        QCOMPARE(QSettings().value(QStringLiteral("classMode/fontScale")).toDouble(), teach->classMode()->scale());
        QTest::keyClick(&w, Qt::Key_Minus, Qt::ControlModifier);
        QVERIFY(qAbs(teach->classMode()->scale() - scale) < 1e-9);

        // The close() step, revealed up to its end.
        teach->replay()->setRevealing(true);
        teach->replay()->moveTo(w.runModel()->stepEvent(8));
        teach->replay()->nextStep();
        w.viewState()->setCursor(w.runModel()->stepEvent(8) + 1);
        QVERIFY(w.findChild<ui::ExplanationPanel *>()->html().contains(QStringLiteral("unread bytes")));
        if (!shotDir().isEmpty()) {
            QTest::qWait(300); // relayout at the class zoom, then bring the cursor into view again
            w.viewState()->setCursor(w.runModel()->stepEvent(8));
            w.viewState()->setCursor(w.runModel()->stepEvent(8) + 1);
            QTest::qWait(300);
            QVERIFY(w.grab().save(shotDir() + QStringLiteral("/class-mode.png")));
        }
        QTest::keyClick(&w, Qt::Key_Escape);
        QVERIFY(!teach->classMode()->isActive());
        QCOMPARE(w.viewState()->theme().preset, preset);
        QCOMPARE(w.sequenceView()->zoom(), zoom);
        QVERIFY(w.menuBar()->isVisible() || w.menuBar()->isNativeMenuBar());
        QCOMPARE(w.saveState(), state);
        teach->replay()->setRevealing(false);
    }

    void stepStatusLine()
    {
        const core::Scenario s = builtin("close-unread-data");
        QCOMPARE(ui::TeachActions::stepStatus(s, 9), QStringLiteral("Step 9/%1: server close(A)").arg(s.steps.size()));
        QVERIFY(ui::TeachActions::stepStatus(s, 0).startsWith(QStringLiteral("Paused before step 1/")));
        const core::Scenario sc = builtin("simultaneous-close");
        QCOMPARE(ui::TeachActions::stepStatus(sc, 9),
                 QStringLiteral("Step 9/%1: server close(A) & client close(C)").arg(sc.steps.size()));
    }

    void editorShowsErrorsAndReloads()
    {
        ui::ScenarioEditor editor;
        QSignalSpy run(&editor, &ui::ScenarioEditor::runRequested);
        editor.setText(ui::ScenarioEditor::templateText());
        QVERIFY(editor.errors().empty());
        QVERIFY(editor.scenario());
        QString broken = ui::ScenarioEditor::templateText();
        broken.replace(QStringLiteral("bind(L, 127.0.0.1:5000)"), QStringLiteral("bind(L( 127.0.0.1:5000)"));
        editor.setText(broken);
        QCOMPARE(editor.errors().size(), size_t(1));
        const auto &e = editor.errors().front();
        QCOMPARE(e.line, 10);
        QVERIFY(e.column > 1);
        QVERIFY(editor.codeEdit()->errorLines().contains(10));
        QCOMPARE(editor.codeEdit()->extraSelections().size(), 1);
        QCOMPARE(editor.codeEdit()->extraSelections().front().cursor.blockNumber(), 9);
        // Debounced re-parse as you type.
        editor.codeEdit()->setPlainText(ui::ScenarioEditor::templateText());
        QTRY_VERIFY(editor.errors().empty());
        // Ctrl+Return runs.
        editor.show();
        editor.activateWindow();
        editor.codeEdit()->setFocus();
        if (QTest::qWaitForWindowActive(&editor))
            QTest::keyClick(editor.codeEdit(), Qt::Key_Return, Qt::ControlModifier);
        else // no window activation on this platform: fire the shortcut itself
            emit editor.findChild<QShortcut *>(QStringLiteral("runShortcut"))->activated();
        QCOMPARE(run.count(), 1);

        // The file reloads when it changes on disk; with unsaved edits it asks first.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("s.scn"));
        auto write = [&path](const QString &text) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(text.toUtf8());
        };
        write(ui::ScenarioEditor::templateText());
        QVERIFY(editor.openFile(path));
        write(ui::ScenarioEditor::templateText() + QStringLiteral("# changed\n"));
        QTRY_VERIFY(editor.text().endsWith(QStringLiteral("# changed\n")));
        int asked = 0;
        editor.askReload = [&asked] {
            ++asked;
            return false;
        };
        editor.codeEdit()->appendPlainText(QStringLiteral("# mine"));
        write(ui::ScenarioEditor::templateText() + QStringLiteral("# again\n"));
        QTRY_COMPARE(asked, 1);
        QVERIFY(editor.text().contains(QStringLiteral("# mine")));
        QVERIFY(editor.save());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(QString::fromUtf8(f.readAll()).contains(QStringLiteral("# mine")));
    }
};

QTEST_MAIN(TestTeaching)
#include "test_teaching.moc"
