// SPDX-License-Identifier: GPL-3.0-or-later
// The replay cursor on recorded runs (event, step, '&' group, home/end moves), reveal following the cursor,
// play at a speed, and the step narrative as plain values.

#include "tests/ui/uilab.h"
#include "ui/model/replaycursor.h"
#include "ui/model/revealrule.h"
#include "ui/model/runmodel.h"
#include "ui/model/stepnarrative.h"
#include "ui/model/viewstate.h"
#include "ui/sequence/sequenceview.h"
#include "ui/teach/replaycontroller.h"
#include "uifixture.h"

#include <QSignalSpy>
#include <QtTest>

using namespace sockscope;

namespace {
void load(ui::RunModel &run, const char *fixture)
{
    run.reset(uitest::loadFixture(fixture));
}

int stepEventOf(const ui::RunModel &run, int step)
{
    return run.stepEvent(step);
}

QString joined(const ui::RunModel &run, int step)
{
    const auto [first, last] = ui::stepRange(run.events(), run.stepEvent(step));
    return ui::narrateEvents(run.events(), first, last).join(QLatin1Char('\n'));
}
// The narrative of every step of run, a line per sentence.
QString wholeNarrative(const ui::RunModel &run)
{
    QString all;
    for (int s = 0; s < run.stepCount(); ++s)
        all += joined(run, s) + QLatin1Char('\n');
    return all;
}
} // namespace

class TestReplay : public QObject
{
    Q_OBJECT
private slots:
    void eventMovesClampAtTheEnds()
    {
        ui::RunModel run;
        ui::ReplayCursor c(&run);
        QCOMPARE(c.nextEvent(-1), -1); // empty run
        QCOMPARE(c.home(), -1);
        load(run, "run-close-unread-data.jsonl");
        const int n = run.eventCount();
        QCOMPARE(c.nextEvent(-1), 0);
        QCOMPARE(c.nextEvent(5), 6);
        QCOMPARE(c.nextEvent(n - 1), n - 1);
        QCOMPARE(c.prevEvent(0), 0);
        QCOMPARE(c.prevEvent(7), 6);
        QCOMPARE(c.home(), 0);
        QCOMPARE(c.end(), n - 1);
    }

    void stepMovesLandOnTheLastEventOfAStep()
    {
        ui::RunModel run;
        load(run, "run-close-unread-data.jsonl");
        ui::ReplayCursor c(&run);
        // From before the run: the end of step 0, i.e. just before step 1's step event.
        int pos = c.nextStep(-1);
        QCOMPARE(pos, stepEventOf(run, 1) - 1);
        QCOMPARE(run.stepOf(pos), 0);
        // Each press: the end of the next step, through to the end event.
        for (int s = 1; s < run.stepCount() - 1; ++s) {
            pos = c.nextStep(pos);
            QCOMPARE(pos, stepEventOf(run, s + 1) - 1);
        }
        pos = c.nextStep(pos);
        QCOMPARE(pos, run.eventCount() - 1);
        QCOMPARE(c.nextStep(pos), run.eventCount() - 1);
        // Back: the end of the previous step; from the middle of a step, the end of the one before.
        QCOMPARE(c.prevStep(pos), stepEventOf(run, run.stepCount() - 1) - 1);
        const int mid = run.returnOf(run.stepEvent(8) + 1); // close(A)'s return, inside step 8
        QCOMPARE(run.stepOf(mid), 8);
        QCOMPARE(c.prevStep(mid), stepEventOf(run, 8) - 1);
        QCOMPARE(c.nextStep(mid), stepEventOf(run, 9) - 1); // finishes step 8 first
        QCOMPARE(c.prevStep(c.nextStep(-1)), 0);
        QCOMPARE(c.groupCount(), run.stepCount());
    }

    void ampersandGroupIsOneStep()
    {
        ui::RunModel run;
        load(run, "run-simultaneous-close.jsonl");
        ui::ReplayCursor c(&run);
        const int group = run.stepEvent(7);
        QCOMPARE(run.stepEvent(8), group + 1);
        // From the end of step 6, one press covers both closes of the group.
        const int before = run.stepEvent(7) - 1;
        QCOMPARE(c.nextStep(before), run.stepEvent(9) - 1);
        QCOMPARE(c.prevStep(run.stepEvent(9) - 1), before);
        QCOMPARE(c.groupCount(), run.stepCount() - 1);
        QCOMPARE(c.groupOf(run.stepEvent(8)), 8); // 1-based group of the second step of the group
        const auto range = ui::stepRange(run.events(), group + 5);
        QCOMPARE(range.first, group);
        QCOMPARE(range.second, run.stepEvent(9) - 1);
    }

    // With the scenario at hand the groups are the scenario's own '&' groups (core/scenario/stepgroups).
    void groupsFollowTheScenario()
    {
        ui::RunModel run;
        load(run, "run-simultaneous-close.jsonl");
        core::Scenario scenario = uitest::builtin("simultaneous-close");
        QVERIFY(scenario.steps.size() > 7 && scenario.steps[7].together);
        run.setScenario(scenario);
        ui::ReplayCursor c(&run);
        QCOMPARE(c.groupCount(), run.stepCount() - 1);
        QCOMPARE(c.groupOf(run.stepEvent(8)), 8);
        scenario.steps[7].together = false; // the same stream under a scenario without the '&'
        run.setScenario(scenario);
        QCOMPARE(c.groupCount(), run.stepCount());
        QCOMPARE(c.groupOf(run.stepEvent(8)), 9);
    }

    void revealFollowsTheCursor()
    {
        ui::RunModel run;
        ui::ViewState view;
        load(run, "run-close-unread-data.jsonl");
        ui::ReplayController replay(&run, &view);
        ui::SequenceView diagram(&run, &view);
        diagram.resize(800, 600);
        replay.home();
        QCOMPARE(view.revealLimit(), -1); // reveal off: everything is drawn
        replay.setRevealing(true);
        QCOMPARE(view.revealLimit(), 0);
        replay.nextStep();
        QCOMPARE(view.revealLimit(), run.stepEvent(1) - 1);
        QVERIFY(ui::RevealRule(run, view).shows(run.stepEvent(1) - 1));
        QVERIFY(!ui::RevealRule(run, view).shows(run.stepEvent(1)));
        // The diagram lays out only the revealed events.
        QTRY_COMPARE(diagram.layout().lastEvent(), run.stepEvent(1) - 1);
        replay.nextEvent();
        QCOMPARE(view.revealLimit(), run.stepEvent(1));
        view.setCursor(20); // a click elsewhere
        QCOMPARE(view.revealLimit(), 20);
        replay.end();
        QTRY_COMPARE(diagram.layout().lastEvent(), run.eventCount() - 1);
        replay.setRevealing(false);
        QCOMPARE(view.revealLimit(), -1);
    }

    void playAdvancesAndStopsAtTheEnd()
    {
        ui::RunModel run;
        ui::ViewState view;
        load(run, "run-close-unread-data.jsonl");
        ui::ReplayController replay(&run, &view);
        QSignalSpy playing(&replay, &ui::ReplayController::playingChanged);
        replay.setSpeed(1000);
        replay.moveTo(run.eventCount() - 5);
        replay.setPlaying(true);
        QVERIFY(replay.isPlaying());
        QTRY_COMPARE(view.cursor(), run.eventCount() - 1);
        QTRY_VERIFY(!replay.isPlaying());
        QCOMPARE(playing.count(), 2);
        replay.setPlaying(true); // at the end: restarts from the first event
        QVERIFY(view.cursor() <= 1);
        replay.setPlaying(false);
    }

    void narrativeCloseWithUnreadData()
    {
        ui::RunModel run;
        load(run, "run-close-unread-data.jsonl");
        const QString close = joined(run, 8);
        QVERIFY2(close.contains(QStringLiteral(
                     "close() with 10 unread bytes: the kernel discards them and sends RST instead of FIN.")),
                 qPrintable(close));
        const QString recv = joined(run, 9);
        QVERIFY2(recv.contains(QStringLiteral("recv() = -1 ECONNRESET")), qPrintable(recv));
        QVERIFY2(joined(run, 5).contains(QStringLiteral("connect() = 0: the three-way handshake completed.")),
                 qPrintable(joined(run, 5)));
    }

    // Sentences the narrative of a recorded run must hold: EPIPE, SIGPIPE and FIN; a blocked call and its
    // release; SO_LINGER {1, 0}.
    void narrativeSays_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("sentence");
        const char *const rows[][2] = {
            {"run-write-after-peer-closed.jsonl", "send() = -1 EPIPE: a RST from the peer had reset the connection; "
                                                  "the kernel raised SIGPIPE, which kills a "
                                                  "process that does not ignore it."},
            {"run-write-after-peer-closed.jsonl", "moves to CLOSE_WAIT; recv() will return 0."},
            {"run-backlog-full.jsonl", "connect() blocks"},
            {"run-backlog-full.jsonl", "blocked since an earlier step returns now"},
            {"run-linger-zero-rst.jsonl", "SO_LINGER {1, 0}"},
        };
        for (const auto &[fixture, sentence] : rows)
            QTest::newRow(sentence) << QString::fromLatin1(fixture) << QString::fromLatin1(sentence);
    }
    void narrativeSays()
    {
        QFETCH(QString, fixture);
        QFETCH(QString, sentence);
        ui::RunModel run;
        load(run, fixture.toLatin1().constData());
        const QString all = wholeNarrative(run);
        QVERIFY2(all.contains(sentence), qPrintable(all));
    }
};

QTEST_MAIN(TestReplay)
#include "test_replay.moc"
