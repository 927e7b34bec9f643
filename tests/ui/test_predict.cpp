// SPDX-License-Identifier: GPL-3.0-or-later
// Predict mode and reveal without spoilers, on REAL runs: the questions' choices and truths for calls of
// built-ins; with reveal on, what each panel contains (explanation, queue chart, event table, diagram header)
// stops at the cursor; predict holds the cursor at a question until the class's answer, then tells the truth.
// With SOCKSCOPE_SCREENSHOTS=DIR it also writes predict-mode.png and reveal-mode.png there.

#include "tests/ui/uifixture.h"
#include "tests/ui/uilab.h"
#include "ui/mainwindow.h"
#include "ui/model/eventfilterproxy.h"
#include "ui/model/prediction.h"
#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"
#include "ui/panels/explanationpanel.h"
#include "ui/panels/queuechart.h"
#include "ui/sequence/sequencepainter.h"
#include "ui/sequence/sequenceview.h"
#include "ui/teach/replaycontroller.h"
#include "ui/teach/teachactions.h"

#include <QAction>
#include <QChart>
#include <QLineSeries>
#include <QTableView>
#include <QtTest>

using namespace sockscope;

namespace {

using uitest::runBuiltinEvents;

// The syscall event of the n-th (0-based) call named `call` by `actor`, -1 if none.
int callEvent(const std::vector<core::Event> &events, const std::string &actor, const std::string &call, int n = 0)
{
    for (int i = 0; i < static_cast<int>(events.size()); ++i)
        if (const auto *c = events[static_cast<size_t>(i)].as<core::SyscallInfo>();
            c && c->actor == actor && c->call == call && n-- == 0)
            return i;
    return -1;
}

// The window on a finished run, as after Run N times' "load this run".
void showRun(ui::MainWindow &w, const std::vector<core::Event> &events, const core::Scenario &s)
{
    w.resize(1280, 800);
    w.show();
    w.ensureComplete();
    w.runModel()->reset(events);
    w.runModel()->setScenario(s);
}

// close-unread-data's real run on show, with the window's teaching actions and explanation panel.
struct ShownLesson
{
    const core::Scenario s = uitest::builtin("close-unread-data");
    const std::vector<core::Event> events = runBuiltinEvents("close-unread-data");
    ui::MainWindow w;
    ui::TeachActions *teach = nullptr;
    ui::ExplanationPanel *panel = nullptr;

    ShownLesson()
    {
        showRun(w, events, s);
        teach = w.findChild<ui::TeachActions *>();
        panel = w.findChild<ui::ExplanationPanel *>();
    }
};

QString truthOf(const ui::Prediction &p)
{
    return p.choices.value(p.truth);
}

} // namespace

class TestPredict : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { uitest::useOwnSettings(QStringLiteral("sockscope-test-predict")); }

    void choicesAndTruthOfRealRuns()
    {
        const core::Scenario closeUnread = uitest::builtin("close-unread-data");
        const auto events = runBuiltinEvents("close-unread-data");
        // The client's recv() after the server's abortive close: ECONNRESET, among the classes of a recv.
        const auto recv = ui::predictionAt(events, &closeUnread, callEvent(events, "client", "recv"));
        QVERIFY(recv);
        QCOMPARE(recv->question, QStringLiteral("recv() returns:"));
        QVERIFY(recv->choices.size() >= 2 && recv->choices.size() <= 4);
        QCOMPARE(truthOf(*recv), QStringLiteral("-1 ECONNRESET"));
        QVERIFY(recv->choices.contains(QStringLiteral("data (n > 0)")));
        QVERIFY(recv->choices.contains(QStringLiteral("0 (end of stream)")));
        QCOMPARE(QStringList(recv->choices).removeDuplicates(), 0);
        // The server's close() with unread data: the next segment is a RST.
        const auto close = ui::predictionAt(events, &closeUnread, callEvent(events, "server", "close"));
        QVERIFY(close);
        QCOMPARE(close->choices, (QStringList{"FIN", "RST", "nothing"}));
        QCOMPARE(truthOf(*close), QStringLiteral("RST"));
        // socket(), bind(), listen() ask nothing.
        QVERIFY(!ui::predictionAt(events, &closeUnread, callEvent(events, "server", "bind")));

        const core::Scenario halfClose = uitest::builtin("half-close");
        const auto hc = runBuiltinEvents("half-close");
        const auto shut = ui::predictionAt(hc, &halfClose, callEvent(hc, "client", "shutdown"));
        QVERIFY(shut);
        QCOMPARE(truthOf(*shut), QStringLiteral("FIN"));
        // The send after the client's own SHUT_WR: EPIPE with SIGPIPE, offered beside the other send results.
        const auto late = ui::predictionAt(hc, &halfClose, callEvent(hc, "client", "send", 1));
        QVERIFY(late);
        QCOMPARE(truthOf(*late), QStringLiteral("-1 EPIPE + SIGPIPE"));
        QVERIFY(late->choices.contains(QStringLiteral("bytes queued (n > 0)")));
        // The truth is not always the first choice: the order is the call's, not the answer's.
        QVERIFY(late->truth > 0);
        const auto zero = ui::predictionAt(hc, &halfClose, callEvent(hc, "server", "recv", 1));
        QVERIFY(zero);
        QCOMPARE(truthOf(*zero), QStringLiteral("0 (end of stream)"));
    }

    void revealHidesLaterFacts()
    {
        ShownLesson lesson;
        auto &[s, events, w, teach, panel] = lesson;
        teach->revealAction()->trigger();
        QVERIFY(teach->revealAction()->isChecked());

        // Cursor on the server's listen() call: the listening socket exists, the client's does not yet.
        const int first = callEvent(events, "server", "listen");
        teach->replay()->moveTo(first);
        QCOMPARE(w.viewState()->revealLimit(), first);
        const ui::SequenceLayout &layout = w.sequenceView()->layout();
        const ui::SequencePainter painter(*w.runModel(), layout, w.viewState()->theme());
        int shownLanes = 0, hiddenLanes = 0;
        for (int l = 0; l < static_cast<int>(layout.lanes().size()); ++l)
            (painter.laneShown(l) ? shownLanes : hiddenLanes)++;
        QVERIFY(shownLanes >= 1);
        QVERIFY(hiddenLanes >= 1); // the client's and the accepted socket's lifelines are not there yet

        // Cursor on the server's close(A): its own step may be told, nothing of the later steps (the client's
        // ECONNRESET), nor the title, the summary, the notes or the step's expected result.
        const int close = callEvent(events, "server", "close");
        teach->replay()->moveTo(close);
        const QString html = panel->html();
        QVERIFY(html.contains(QStringLiteral("What will the kernel do?")));
        QVERIFY(!html.contains(QString::fromStdString(s.title).toHtmlEscaped()));
        QVERIFY(!html.contains(QStringLiteral("ECONNRESET")));
        QVERIFY(!html.contains(QStringLiteral("Notes")));
        QVERIFY(!html.contains(QStringLiteral("= 0"))); // the step's expected result
        const double cursorMs = static_cast<double>(events[static_cast<size_t>(close)].tNs) / 1e6;
        auto *queues = w.findChild<ui::QueueChart *>();
        QVERIFY(queues->seriesCount() > 0);
        for (QAbstractSeries *any : queues->chart()->series())
            if (auto *series = qobject_cast<QLineSeries *>(any); series && series->name() != QStringLiteral("cursor"))
                for (const QPointF &p : series->points())
                    QVERIFY2(p.x() <= cursorMs + 1e-9, qPrintable(series->name()));
        auto *proxy = w.findChild<ui::EventFilterProxy *>();
        QCOMPARE(proxy->rowCount(), close + 1);

        // At the end everything is told.
        teach->replay()->end();
        QVERIFY(panel->html().contains(QString::fromStdString(s.title).toHtmlEscaped()));
        QVERIFY(panel->html().contains(QStringLiteral("Notes")));
        QCOMPARE(proxy->rowCount(), static_cast<int>(events.size()));
        if (!qEnvironmentVariable("SOCKSCOPE_SCREENSHOTS").isEmpty()) {
            teach->replay()->moveTo(close);
            QTest::qWait(200);
            w.grab().save(qEnvironmentVariable("SOCKSCOPE_SCREENSHOTS") + QStringLiteral("/reveal-mode.png"));
        }
    }

    void predictHoldsTheCursorUntilTheAnswer()
    {
        ShownLesson lesson;
        auto &[s, events, w, teach, panel] = lesson;
        teach->predictAction()->trigger();
        QVERIFY(w.viewState()->predicting());
        QVERIFY(teach->revealAction()->isChecked()); // predict needs reveal
        const int recv = callEvent(events, "client", "recv");
        // Stepping forward from the start stops at each question on the way: the first is the client's connect().
        teach->replay()->moveTo(0);
        for (int guard = 0; guard < 200 && w.viewState()->cursor() < recv; ++guard) {
            const int before = w.viewState()->cursor();
            teach->replay()->nextStep();
            if (w.viewState()->cursor() == before) { // held at a question: the class answers 1
                QVERIFY(panel->html().contains(QStringLiteral("Predict")));
                QVERIFY(teach->replay()->answer(0));
            }
        }
        QCOMPARE(w.viewState()->cursor(), recv);
        QVERIFY(panel->html().contains(QStringLiteral("recv() returns:")));
        QVERIFY(!panel->html().contains(QStringLiteral("ECONNRESET: ")));
        const int held = w.viewState()->cursor();
        teach->replay()->nextEvent();
        QCOMPARE(w.viewState()->cursor(), held); // no answer, no truth
        const auto p = ui::predictionAt(events, &s, recv);
        QVERIFY(p);
        QVERIFY(!teach->replay()->answer(p->choices.size())); // no fifth choice
        QVERIFY(teach->replay()->answer(p->truth));
        QCOMPARE(w.viewState()->cursor(), p->answer);
        QCOMPARE(w.viewState()->answerAt(recv), p->truth);
        const QString html = panel->html();
        QVERIFY(html.contains(QStringLiteral("Right.")));
        QVERIFY(html.contains(QStringLiteral("ECONNRESET"))); // the why: the step's narrative
        // P again: predict off, reveal stays as it was.
        teach->predictAction()->trigger();
        QVERIFY(!w.viewState()->predicting());
        if (!qEnvironmentVariable("SOCKSCOPE_SCREENSHOTS").isEmpty()) {
            teach->predictAction()->trigger();
            w.viewState()->clearAnswers(); // the close() question unanswered, as the class sees it
            teach->replay()->moveTo(callEvent(events, "server", "close"));
            QTest::qWait(200);
            w.grab().save(qEnvironmentVariable("SOCKSCOPE_SCREENSHOTS") + QStringLiteral("/predict-mode.png"));
        }
    }
};

QTEST_MAIN(TestPredict)
#include "test_predict.moc"
