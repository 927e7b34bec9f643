// SPDX-License-Identifier: GPL-3.0-or-later
// Class mode fits any projector: at 1024x768, 1280x720 and 1920x1080, with two and three actors, every
// lifeline and the whole text (no elision) of every call and result lies inside the diagram's viewport at the
// default class type size. Also: the label wrapping itself, the view following the cursor on entering class
// mode, sideways scrolling by key, and choosing another scenario without leaving class mode.

#include "core/scenario/builtins.h"
#include "tests/ui/uilab.h"
#include "ui/mainwindow.h"
#include "ui/model/labworker.h"
#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"
#include "ui/panels/scenariobrowser.h"
#include "ui/sequence/calllabel.h"
#include "ui/sequence/sequencelayout.h"
#include "ui/sequence/sequenceview.h"
#include "ui/teach/classmode.h"
#include "ui/teach/teachactions.h"
#include "ui/timeline/timelineview.h"
#include "uifixture.h"

#include <QScrollBar>
#include <QSignalSpy>
#include <QtTest>

#include <qcustomplot.h>

using namespace sockscope;

using uitest::builtin;

class TestClassFit : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { uitest::useOwnSettings(QStringLiteral("sockscope-test-classfit")); }

    void wrapsAfterCommasThenTheResult()
    {
        QFont font;
        font.setPointSize(12);
        const QFontMetricsF fm(font);
        const QString call = QStringLiteral("setsockopt(3, SO_REUSEADDR, 1)");
        const QString result = QStringLiteral("= 0");
        const double full = fm.horizontalAdvance(call + QStringLiteral(" ") + result);
        QCOMPARE(ui::wrapCallLabel(call, result, fm, full + 1, 4).size(), size_t(1));
        // A little narrower: the result goes to a line of its own.
        auto lines = ui::wrapCallLabel(call, result, fm, fm.horizontalAdvance(call) + 1, 4);
        QCOMPARE(lines.size(), size_t(2));
        QCOMPARE(lines[0].text, call);
        QCOMPARE(lines[1].text, QString());
        QCOMPARE(lines[1].result, result);
        // Narrower still: after the commas, nothing lost.
        bool elided = true;
        lines = ui::wrapCallLabel(call, result, fm, fm.horizontalAdvance(QStringLiteral("SO_REUSEADDR, 1)")) + 1, 4,
                                  &elided);
        QVERIFY(!elided);
        QStringList joined;
        for (const auto &l : lines)
            joined << l.text;
        QCOMPARE(joined.join(QLatin1Char(' ')).simplified(), call);
        QCOMPARE(lines.back().result, result);
        const double narrow = ui::narrowestWidth(call, result, fm, 3);
        QVERIFY(narrow < full);
        QVERIFY(!ui::wrapCallLabel(call, result, fm, narrow, 3).empty());
        ui::wrapCallLabel(call, result, fm, narrow, 3, &elided);
        QVERIFY(!elided);
        ui::wrapCallLabel(call, result, fm, narrow - 8, 3, &elided);
        QVERIFY(elided);
    }

    void fitsTheProjector_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QSize>("size");
        const QSize sizes[] = {{1024, 768}, {1280, 720}, {1920, 1080}};
        const std::pair<const char *, const char *> runs[] = {
            {"run-backlog-full.jsonl", "backlog-full"},                               // three actors
            {"run-close-unread-data.jsonl", "close-unread-data"},                     // two
            {"run-connect-refused-nonblocking.jsonl", "connect-refused-nonblocking"}, // two, long results
            {"run-simultaneous-close.jsonl", "simultaneous-close"},                   // two, & steps
        };
        for (const auto &[file, name] : runs)
            for (const QSize &s : sizes)
                QTest::addRow("%s %dx%d", name, s.width(), s.height()) << file << name << s;
    }
    void fitsTheProjector()
    {
        QFETCH(QString, fixture);
        QFETCH(QString, scenario);
        QFETCH(QSize, size);
        ui::MainWindow w;
        QVERIFY(uitest::showComplete(w, size));
        w.runModel()->reset(uitest::loadFixture(fixture.toStdString()));
        w.runModel()->setScenario(builtin(scenario.toUtf8().constData()));
        auto *teach = w.findChild<ui::TeachActions *>();
        QCOMPARE(teach->classMode()->scale(), ui::ClassMode::kDefaultScale);
        teach->classMode()->setActive(true);
        // The projector's screen: offscreen, full screen is the platform's own size, so set it.
        w.setWindowState(Qt::WindowNoState);
        w.setGeometry(QRect(QPoint(0, 0), size));
        ui::SequenceView *view = w.sequenceView();
        QTRY_COMPARE(w.size(), size);
        QTest::qWait(100); // the relayout after a resize is debounced
        const double vpw = view->viewport()->width();
        QVERIFY2(vpw > size.width() * 0.9, qPrintable(QString::number(vpw)));
        const ui::SequenceLayout &layout = view->layout();
        QVERIFY(layout.lastEvent() == w.runModel()->eventCount() - 1);
        QVERIFY2(layout.width() <= vpw,
                 qPrintable(QStringLiteral("diagram %1 px, viewport %2").arg(layout.width()).arg(vpw)));
        QCOMPARE(view->horizontalScrollBar()->maximum(), 0);
        for (const ui::SequenceLane &lane : layout.lanes())
            QVERIFY2(lane.x > 0 && lane.x < vpw, qPrintable(QString::number(lane.x)));
        const QFontMetricsF fm(w.viewState()->theme().font);
        int labels = 0;
        for (int e = 0; e <= layout.lastEvent(); ++e) {
            const ui::CallLabel label = ui::callLabelAt(*w.runModel(), layout, e, fm);
            if (label.lines.empty())
                continue;
            ++labels;
            const auto [call, result] = ui::callLabelTexts(*w.runModel(), layout, e);
            const QString what = QStringLiteral("%1 %2 at [%3, %4] of %5")
                                     .arg(call, result)
                                     .arg(label.rect.left())
                                     .arg(label.rect.right())
                                     .arg(vpw);
            QVERIFY2(!label.elided, qPrintable(what));
            QVERIFY2(label.rect.left() >= 0 && label.rect.right() <= vpw, qPrintable(what));
            // Inside its own column: it runs into neither the gutter nor a lifeline.
            const ui::SequenceGroup &g = layout.groups()[static_cast<size_t>(layout.item(e).group)];
            QVERIFY2(label.rect.left() >= g.callX0 && label.rect.right() <= g.callX1, qPrintable(what));
            // Within its row: a wrapped label made its row tall enough.
            const ui::SequenceItem &it = layout.item(e);
            if (it.row >= 0 && label.lines.size() > 1) {
                const double top = layout.scale().rowTop(it.row), bottom = layout.scale().rowTop(it.row + 1);
                QVERIFY2(label.rect.top() >= top - 0.5 && label.rect.bottom() <= bottom + 0.5, qPrintable(what));
            }
        }
        QVERIFY(labels >= 4);
        // The state timelines' caption, centred under their axis, lies inside the plot (not cut at its edge).
        QCustomPlot *plot = w.timeline()->plot();
        plot->replot(QCustomPlot::rpImmediateRefresh);
        QTest::qWait(50); // a caption that did not fit is replaced in a queued replot
        plot->replot(QCustomPlot::rpImmediateRefresh);
        const QString caption = plot->xAxis->label();
        const double half = QFontMetricsF(plot->xAxis->labelFont()).horizontalAdvance(caption) / 2;
        const double centre = plot->axisRect()->rect().center().x();
        QVERIFY2(!caption.isEmpty() && centre - half >= 0 && centre + half <= plot->width(),
                 qPrintable(
                     QStringLiteral("\"%1\" at %2 +- %3 in %4").arg(caption).arg(centre).arg(half).arg(plot->width())));
        for (const auto &l : w.timeline()->plot()->yAxis->tickVectorLabels()) // socket names
            QVERIFY2(QFontMetricsF(plot->yAxis->tickLabelFont()).horizontalAdvance(l) <= plot->axisRect()->left(),
                     qPrintable(l));
        teach->classMode()->setActive(false);
    }

    void followsTheCursorAndScrollsSideways()
    {
        ui::MainWindow w;
        QVERIFY(uitest::showComplete(w, {1024, 768}));
        w.runModel()->reset(uitest::loadFixture("run-backlog-full.jsonl"));
        w.runModel()->setScenario(builtin("backlog-full"));
        ui::SequenceView *view = w.sequenceView();
        view->verticalScrollBar()->setValue(0);
        const int last = w.runModel()->eventCount() - 1;
        w.viewState()->setCursor(last);
        view->verticalScrollBar()->setValue(0); // the cursor is off screen
        auto *teach = w.findChild<ui::TeachActions *>();
        teach->classMode()->setActive(true);
        w.setWindowState(Qt::WindowNoState);
        w.setGeometry(0, 0, 1024, 768);
        QTest::qWait(100);
        auto cursorOnScreen = [&] {
            const double y = view->layout().item(last).y - view->verticalScrollBar()->value() + view->headerHeight();
            return y >= view->headerHeight() && y <= view->viewport()->height();
        };
        QTRY_VERIFY2(cursorOnScreen(), qPrintable(QStringLiteral("cursor %1 y %2 scroll %3/%4 header %5 viewport %6")
                                                      .arg(w.viewState()->cursor())
                                                      .arg(view->layout().item(last).y)
                                                      .arg(view->verticalScrollBar()->value())
                                                      .arg(view->verticalScrollBar()->maximum())
                                                      .arg(view->headerHeight())
                                                      .arg(view->viewport()->height())));
        // Much larger type: wider than the screen; Shift+Right / Shift+Left scroll sideways.
        teach->classMode()->setScale(3.0);
        QTRY_VERIFY(view->horizontalScrollBar()->maximum() > 0);
        QVERIFY(cursorOnScreen());
        view->horizontalScrollBar()->setValue(0);
        QApplication::setActiveWindow(&w);
        QTest::keyClick(&w, Qt::Key_Right, Qt::ShiftModifier);
        const int scrolled = view->horizontalScrollBar()->value();
        QVERIFY(scrolled > 0);
        QTest::keyClick(&w, Qt::Key_Left, Qt::ShiftModifier);
        QVERIFY(view->horizontalScrollBar()->value() < scrolled);
        teach->classMode()->setScale(ui::ClassMode::kDefaultScale);
        teach->classMode()->setActive(false);
    }

    void choosesAnotherScenarioInClassMode()
    {
        ui::MainWindow w;
        QVERIFY(uitest::showComplete(w, {1024, 768}));
        w.labWorker()->setOptions(uitest::realLab());
        auto *teach = w.findChild<ui::TeachActions *>();
        teach->classMode()->setActive(true);
        QSignalSpy paused(w.labWorker(), &ui::LabWorker::runPaused);
        QVERIFY(!teach->classMode()->switchTo(QStringLiteral("no-such-scenario")));
        QVERIFY(teach->classMode()->switchTo(QStringLiteral("passive-close")));
        QTRY_VERIFY_WITH_TIMEOUT(paused.count() >= 1, 20000);
        QCOMPARE(w.browser()->current()->name, std::string("passive-close"));
        // And from that paused lesson to the next one, still in class mode.
        QVERIFY(teach->classMode()->switchTo(QStringLiteral("half-close")));
        QTRY_VERIFY_WITH_TIMEOUT(paused.count() >= 2 && w.labWorker()->scenario()->name == "half-close", 20000);
        QVERIFY(teach->classMode()->isActive());
        w.labWorker()->stop();
        QTRY_VERIFY_WITH_TIMEOUT(!w.labWorker()->isRunning(), 20000);
        teach->classMode()->setActive(false);
    }
};

QTEST_MAIN(TestClassFit)
#include "test_classfit.moc"
