// SPDX-License-Identifier: GPL-3.0-or-later
// Reveal gives nothing away outside the explanation either, on a REAL run of close-unread-data: with the cursor
// mid-lesson the window title, the scenario browser, the status bar, the state timelines (no row for a socket
// not created yet, no band length or axis past the cursor), the lifeline headers and the diagram's tooltips tell
// nothing of what comes next; at the end of the run everything is told again. All of them ask RevealRule.

#include "tests/ui/uilab.h"
#include "ui/mainwindow.h"
#include "ui/model/eventfilterproxy.h"
#include "ui/model/eventtablemodel.h"
#include "ui/model/revealrule.h"
#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"
#include "ui/panels/scenariobrowser.h"
#include "ui/sequence/sequencelabels.h"
#include "ui/sequence/sequencepainter.h"
#include "ui/sequence/sequenceview.h"
#include "ui/teach/replaycontroller.h"
#include "ui/teach/teachactions.h"
#include "ui/timeline/timelineview.h"
#include "uifixture.h"

#include <QAction>
#include <QLabel>
#include <QStatusBar>
#include <QTreeWidget>
#include <QtTest>

#include <qcustomplot.h>

using namespace sockscope;

namespace {

int callEvent(const std::vector<core::Event> &events, const std::string &actor, const std::string &call)
{
    for (int i = 0; i < static_cast<int>(events.size()); ++i)
        if (const auto *c = events[static_cast<size_t>(i)].as<core::SyscallInfo>();
            c && c->actor == actor && c->call == call)
            return i;
    return -1;
}

// Everything the status bar shows, joined.
QString statusTexts(ui::MainWindow &w)
{
    QStringList texts{w.statusBar()->currentMessage()};
    for (const QLabel *l : w.statusBar()->findChildren<QLabel *>())
        texts << l->text();
    return texts.join(QLatin1Char('|'));
}

QStringList rowLabels(ui::TimelineView *t)
{
    QStringList labels;
    const auto ticker = t->plot()->yAxis->ticker().dynamicCast<QCPAxisTickerText>();
    for (const QString &l : ticker->ticks())
        labels << l;
    return labels;
}

} // namespace

class TestRevealLeaks : public QObject
{
    Q_OBJECT
    const core::Scenario m_s = uitest::builtin("close-unread-data");
    const std::vector<core::Event> m_events = uitest::runBuiltinEvents("close-unread-data");

private slots:
    void initTestCase() { uitest::useOwnSettings(QStringLiteral("sockscope-test-revealleaks")); }

    void titleAndStatusHideTheName()
    {
        ui::MainWindow w;
        QVERIFY(uitest::showComplete(w, {1280, 800}));
        w.runModel()->reset(m_events);
        w.runModel()->setScenario(m_s);
        const QString name = QString::fromStdString(m_s.name), title = QString::fromStdString(m_s.title);
        QVERIFY(w.windowTitle().contains(name)); // reveal off: the run is named

        auto *teach = w.findChild<ui::TeachActions *>();
        teach->revealAction()->trigger();
        teach->replay()->moveTo(callEvent(m_events, "server", "close"));
        QVERIFY2(!w.windowTitle().contains(name) && !w.windowTitle().contains(title), qPrintable(w.windowTitle()));
        QVERIFY(w.windowTitle().contains(ui::RevealRule::neutralName()));
        QVERIFY(!statusTexts(w).contains(name));

        teach->replay()->end(); // the whole run revealed: everything is told
        QVERIFY(w.windowTitle().contains(name));
    }

    void browserIsConcealed()
    {
        ui::MainWindow w;
        QVERIFY(uitest::showComplete(w, {1280, 800}));
        QVERIFY(w.browser()->select(QStringLiteral("close-unread-data")));
        w.runModel()->reset(m_events);
        w.runModel()->setScenario(m_s);
        QVERIFY(!w.browser()->isConcealed());
        QVERIFY(w.browser()->tree()->isVisible());

        auto *teach = w.findChild<ui::TeachActions *>();
        teach->revealAction()->trigger();
        teach->replay()->moveTo(callEvent(m_events, "server", "close"));
        // The browser's names, titles and tooltips would tell the answer: none of them is on screen.
        QVERIFY(w.browser()->isConcealed());
        QVERIFY(!w.browser()->tree()->isVisible());

        teach->replay()->end();
        QVERIFY(!w.browser()->isConcealed());
        QVERIFY(w.browser()->tree()->isVisible());
    }

    void timelineShowsOnlyCreatedSockets()
    {
        ui::MainWindow w;
        QVERIFY(uitest::showComplete(w, {1280, 800}));
        w.runModel()->reset(m_events);
        w.runModel()->setScenario(m_s);
        ui::TimelineView *timeline = w.timeline();
        const int sockets = static_cast<int>(w.runModel()->sockets().size());
        QVERIFY(sockets >= 3); // server.listen, the client's, the accepted one
        QCOMPARE(timeline->plottable()->shownRows(), sockets);

        auto *teach = w.findChild<ui::TeachActions *>();
        teach->revealAction()->trigger();
        // At the server's listen() only the listening socket exists: one row, and its label only.
        teach->replay()->moveTo(callEvent(m_events, "server", "listen"));
        QCOMPARE(timeline->plottable()->shownRows(), 1);
        QCOMPARE(rowLabels(timeline), QStringList{QStringLiteral("server.listen")});
        QCOMPARE(timeline->plot()->yAxis->range().upper, 0.5);
        // The client's socket appears with its socket() call's return, not before.
        const int connect = callEvent(m_events, "client", "connect");
        teach->replay()->moveTo(connect);
        QCOMPARE(timeline->plottable()->shownRows(), 2);
        QVERIFY(rowLabels(timeline).contains(QStringLiteral("client.1")));
        // A state that lasts past the cursor has no length yet (it would tell when it changes).
        const ui::StatePlottable *p = timeline->plottable();
        const int client = w.runModel()->socketIndex("client.1");
        const auto &spans = w.runModel()->stateSpans(client);
        for (int i = 0; i < static_cast<int>(spans.size()); ++i)
            if (const bool begun = spans[static_cast<size_t>(i)].firstEvent <= connect,
                ended =
                    i + 1 < static_cast<int>(spans.size()) && spans[static_cast<size_t>(i) + 1].firstEvent <= connect;
                begun && !ended) {
                const QString tip = p->bandToolTip({client, i});
                QVERIFY2(!tip.contains(QStringLiteral(" for ")) && !tip.contains(QStringLiteral("to the end")),
                         qPrintable(tip));
            }

        // Nor does the axis: shown whole, it ends at the cursor, not at the run's end (its length would tell).
        const double connectKey = p->keyOfEvent(connect);
        QVERIFY(connectKey < p->keyOfEvent(static_cast<int>(m_events.size()) - 1));
        QCOMPARE(p->endKey(), connectKey);
        bool found = false;
        QCOMPARE(p->getKeyRange(found).upper, connectKey);

        teach->replay()->end();
        QCOMPARE(timeline->plottable()->shownRows(), sockets);
        QCOMPARE(rowLabels(timeline).size(), sockets);
    }

    void headersAndTooltipsStopAtTheCursor()
    {
        ui::MainWindow w;
        QVERIFY(uitest::showComplete(w, {1280, 800}));
        w.runModel()->reset(m_events);
        w.runModel()->setScenario(m_s);
        auto *teach = w.findChild<ui::TeachActions *>();
        teach->revealAction()->trigger();
        const ui::RunModel &run = *w.runModel();

        // Before the client's first call its actor is not named in the header.
        const int listen = callEvent(m_events, "server", "listen");
        teach->replay()->moveTo(listen);
        QVERIFY(!ui::RevealRule(run, *w.viewState()).showsActor("client"));
        QVERIFY(ui::RevealRule(run, *w.viewState()).showsActor("server"));
        QVERIFY(ui::RevealRule(run, -1).showsActor("client"));

        // The client's socket just created: the address its connect() binds is not known yet.
        const int connect = callEvent(m_events, "client", "connect");
        teach->replay()->moveTo(connect);
        const int client = run.socketIndex("client.1");
        QVERIFY(!run.sockets()[static_cast<size_t>(client)].local.empty());
        QVERIFY(ui::RevealRule(run, *w.viewState()).socketAsShown(client).local.empty());

        // The recv() that meets the RST: its tooltip tells neither its return nor the step's expected result.
        const int recv = callEvent(m_events, "client", "recv");
        teach->replay()->moveTo(recv);
        QVERIFY(ui::eventDetails(run, recv).contains(QStringLiteral("ECONNRESET"))); // reveal off: all of it
        const QString tip = ui::eventDetails(run, recv, w.viewState()->revealLimit());
        QVERIFY2(!tip.contains(QStringLiteral("ECONNRESET")), qPrintable(tip));
        QVERIFY2(!tip.contains(QStringLiteral("= -1")), qPrintable(tip));
        // The event table's rows up to the cursor: the call's result cell is empty, not red, and its step's row
        // shows the call without the expected result.
        auto *proxy = w.findChild<ui::EventFilterProxy *>();
        auto *table = qobject_cast<ui::EventTableModel *>(proxy->sourceModel());
        QCOMPARE(proxy->rowCount(), recv + 1);
        QCOMPARE(table->data(table->index(recv, ui::EventTableModel::ColResult)).toString(), QString());
        QVERIFY(!table->isError(recv));
        const int step = run.stepEvent(run.stepOf(recv));
        const QString stepText = table->data(table->index(step, ui::EventTableModel::ColWhat)).toString();
        QVERIFY2(stepText.contains(QStringLiteral("recv(")) && !stepText.contains(QStringLiteral("ECONNRESET")),
                 qPrintable(stepText));
        proxy->setErrorsOnly(true);
        QCOMPARE(proxy->rowCount(), 0); // nothing has failed yet as far as the class knows
        proxy->setErrorsOnly(false);

        teach->replay()->end();
        QVERIFY(ui::RevealRule(run, *w.viewState()).socketAsShown(client).local ==
                run.sockets()[static_cast<size_t>(client)].local);
        QVERIFY(ui::eventDetails(run, recv, w.viewState()->revealLimit()).contains(QStringLiteral("ECONNRESET")));
        QVERIFY(table->data(table->index(recv, ui::EventTableModel::ColResult)).toString().contains("ECONNRESET"));
        QVERIFY(table->isError(recv));
    }
};

QTEST_MAIN(TestRevealLeaks)
#include "test_revealleaks.moc"
