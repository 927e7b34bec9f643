// SPDX-License-Identifier: GPL-3.0-or-later
// State timelines on the event axis (one step per event, as the diagram): the short states of real runs
// (SYN_SENT, CLOSING, LAST_ACK) become bands many pixels wide where on the time axis they are slivers; a
// click moves the shared cursor; a band's tooltip names its state and duration; class mode turns the event
// axis on and leaving it restores the axis.

#include "ui/mainwindow.h"
#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"
#include "ui/sequence/sequencelabels.h"
#include "ui/teach/classmode.h"
#include "ui/teach/teachactions.h"
#include "ui/timeline/stateplottable.h"
#include "ui/timeline/timelineview.h"
#include "uifixture.h"

#include <qcustomplot.h>

#include <QtTest>

using namespace sockscope;
using Axis = ui::StatePlottable::Axis;

namespace {
// The first band of `state` on the socket's row.
ui::StatePlottable::Band findBand(const ui::RunModel &run, const char *sock, core::TcpState state)
{
    const int row = run.socketIndex(sock);
    if (row < 0)
        return {};
    const auto &spans = run.stateSpans(row);
    for (int i = 0; i < static_cast<int>(spans.size()); ++i)
        if (spans[static_cast<size_t>(i)].state == state)
            return {row, i};
    return {};
}

struct Fixture
{
    ui::RunModel run;
    ui::ViewState view;
    ui::TimelineView timeline{&run, &view};
    explicit Fixture(const char *file)
    {
        run.reset(uitest::loadFixture(file));
        timeline.resize(900, 260);
        timeline.show();
    }
    double widthPx(const ui::StatePlottable::Band &b)
    {
        timeline.plot()->replot();
        QCPAxis *x = timeline.plot()->xAxis;
        return x->coordToPixel(timeline.plottable()->bandEnd(b)) - x->coordToPixel(timeline.plottable()->bandStart(b));
    }
    QPoint centre(const ui::StatePlottable::Band &b)
    {
        timeline.plot()->replot();
        const double key = (timeline.plottable()->bandStart(b) + timeline.plottable()->bandEnd(b)) / 2;
        return {static_cast<int>(timeline.plot()->xAxis->coordToPixel(key)),
                static_cast<int>(timeline.plot()->yAxis->coordToPixel(b.row))};
    }
};
} // namespace

class TestTimelineAxis : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { uitest::useOwnSettings(QStringLiteral("sockscope-test-timelineaxis")); }

    void shortStatesBecomeBands_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("sock");
        QTest::addColumn<int>("state");
        QTest::newRow("SYN_SENT") << "run-three-way-handshake.jsonl"
                                  << "client.1" << static_cast<int>(core::TcpState::SynSent);
        QTest::newRow("CLOSING") << "run-simultaneous-close.jsonl"
                                 << "server.1" << static_cast<int>(core::TcpState::Closing);
        QTest::newRow("LAST_ACK") << "run-passive-close.jsonl"
                                  << "server.1" << static_cast<int>(core::TcpState::LastAck);
    }
    void shortStatesBecomeBands()
    {
        QFETCH(QString, file);
        QFETCH(QString, sock);
        QFETCH(int, state);
        Fixture f(file.toUtf8().constData());
        QVERIFY(QTest::qWaitForWindowExposed(&f.timeline));
        const auto band = findBand(f.run, sock.toUtf8().constData(), static_cast<core::TcpState>(state));
        QVERIFY2(band.row >= 0, "the run has the state");
        QCOMPARE(f.timeline.axis(), Axis::Time); // the default outside class mode
        const double timePx = f.widthPx(band);
        f.timeline.setAxis(Axis::Events);
        QVERIFY(f.timeline.eventAxisAction()->isChecked());
        const double eventPx = f.widthPx(band);
        // One step per event: as wide as the events it lasted, each step at least a few pixels.
        const int events =
            static_cast<int>(f.timeline.plottable()->bandEnd(band) - f.timeline.plottable()->bandStart(band));
        QVERIFY(events >= 1);
        const double pxPerEvent = 800.0 / f.run.eventCount();
        QVERIFY2(eventPx >= events * pxPerEvent * 0.9 && eventPx >= 8,
                 qPrintable(QStringLiteral("%1 px on the event axis, %2 px in time").arg(eventPx).arg(timePx)));
        QVERIFY(eventPx > timePx);

        // The tooltip names the state and its duration.
        const QString tip = f.timeline.toolTipAt(f.centre(band));
        const auto &span = f.run.stateSpans(band.row)[static_cast<size_t>(band.span)];
        QVERIFY2(tip.contains(QString::fromLatin1(core::stateName(span.state).data())), qPrintable(tip));
        QVERIFY2(tip.contains(ui::durationText(span.t1 - span.t0)), qPrintable(tip));
        QVERIFY2(tip.startsWith(sock), qPrintable(tip));
        QVERIFY(f.timeline.toolTipAt(QPoint(2, 2)).isEmpty()); // off every band

        // A click on the band moves the shared cursor into it.
        f.view.setCursor(-1);
        QTest::mouseClick(f.timeline.plot(), Qt::LeftButton, {}, f.centre(band));
        const int cursor = f.view.cursor();
        QVERIFY2(cursor >= f.timeline.plottable()->bandStart(band) && cursor <= f.timeline.plottable()->bandEnd(band),
                 qPrintable(QString::number(cursor)));
        // Back to time: the same click lands on the event at that time.
        f.timeline.eventAxisAction()->trigger();
        QCOMPARE(f.timeline.axis(), Axis::Time);
    }

    void classModeUsesTheEventAxis()
    {
        ui::MainWindow w;
        QVERIFY(uitest::showComplete(w, {1280, 800}));
        w.runModel()->reset(uitest::loadFixture("run-simultaneous-close.jsonl"));
        auto *teach = w.findChild<ui::TeachActions *>();
        QCOMPARE(w.timeline()->axis(), Axis::Time);
        teach->classMode()->setActive(true);
        QCOMPARE(w.timeline()->axis(), Axis::Events);
        teach->classMode()->setActive(false);
        QCOMPARE(w.timeline()->axis(), Axis::Time);
        // Chosen before: kept through class mode.
        w.timeline()->setAxis(Axis::Events);
        teach->classMode()->setActive(true);
        teach->classMode()->setActive(false);
        QCOMPARE(w.timeline()->axis(), Axis::Events);
    }
};

QTEST_MAIN(TestTimelineAxis)
#include "test_timelineaxis.moc"
