// SPDX-License-Identifier: GPL-3.0-or-later
// Every view built from every recorded built-in run (tests/fixtures/run-*.jsonl, re-recorded by
// tests/fixtures/record.sh), offscreen: each view paints something, and the layouts agree with the events
// (one lane and one timeline row per socket, an arrow between the right lanes for every segment, a row for
// every call). Grabs go to allbuiltins/ in the build dir so they can be looked at.

#include "ui/model/eventtablemodel.h"
#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"
#include "ui/panels/eventtable.h"
#include "ui/panels/explanationpanel.h"
#include "ui/panels/queuechart.h"
#include "ui/sequence/sequenceview.h"
#include "ui/timeline/timelineview.h"
#include "uifixture.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QTableView>
#include <QtTest>
#include <qcustomplot.h>

#include <set>

using namespace sockscope;

namespace {

// A grab that is more than a flat fill: at least a few distinct colours in a sample of its pixels.
bool isPainted(const QImage &image)
{
    if (image.isNull() || image.width() < 10 || image.height() < 10)
        return false;
    std::set<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    return colours.size() >= 4;
}

void save(const QImage &image, const QString &fixture, const char *view)
{
    QDir().mkpath(QStringLiteral("allbuiltins"));
    image.save(QStringLiteral("allbuiltins/%1-%2.png").arg(QFileInfo(fixture).completeBaseName(), QLatin1String(view)));
}

} // namespace

class TestAllBuiltins : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        const QStringList files = QDir(QStringLiteral(SOCKSCOPE_FIXTURES))
                                      .entryList({QStringLiteral("run-*.jsonl")}, QDir::Files, QDir::Name);
        // One fixture per built-in: record.sh writes 21; fewer means a recording went missing.
        QVERIFY2(files.size() >= 21, qPrintable(files.join(QLatin1Char(' '))));
    }

    void views_data()
    {
        QTest::addColumn<QString>("fixture");
        const QStringList files = QDir(QStringLiteral(SOCKSCOPE_FIXTURES))
                                      .entryList({QStringLiteral("run-*.jsonl")}, QDir::Files, QDir::Name);
        for (const QString &f : files)
            QTest::newRow(qPrintable(f)) << f;
    }

    void views()
    {
        QFETCH(QString, fixture);
        std::vector<core::Event> events = uitest::loadFixture(fixture.toStdString());
        QVERIFY(events.size() > 5);
        QCOMPARE(events.front().kind(), core::EventKind::Run);
        QCOMPARE(events.back().kind(), core::EventKind::End);

        ui::RunModel run;
        ui::ViewState view;
        ui::SequenceView sequence(&run, &view);
        ui::TimelineView timeline(&run, &view);
        ui::EventTable table(&run, &view);
        QAbstractItemModelTester modelTester(table.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(table.tableView()->model(),
                                             QAbstractItemModelTester::FailureReportingMode::QtTest);
        ui::QueueChart queues(&run, &view);
        ui::ExplanationPanel explanation(&run, &view);
        sequence.resize(1200, 800);
        timeline.resize(1000, 260);
        table.resize(1000, 400);
        queues.resize(600, 300);
        explanation.resize(360, 500);

        // Streamed in a few batches, as a live run arrives.
        const size_t batch = std::max<size_t>(1, events.size() / 4);
        for (size_t i = 0; i < events.size(); i += batch)
            run.appendEvents(
                std::vector<core::Event>(events.begin() + static_cast<long>(i),
                                         events.begin() + static_cast<long>(std::min(i + batch, events.size()))));
        QCOMPARE(run.eventCount(), static_cast<int>(events.size()));
        QTRY_COMPARE(sequence.layout().lastEvent(), run.eventCount() - 1);

        // Sequence diagram: one lane per socket, an arrow for every segment, a row for every call.
        const ui::SequenceLayout &L = sequence.layout();
        const int sockets = static_cast<int>(run.sockets().size());
        QVERIFY(sockets >= 1);
        std::set<int> lanes;
        for (int s = 0; s < sockets; ++s) {
            const int lane = L.laneOfSocketRow(s);
            QVERIFY2(lane >= 0, run.sockets()[static_cast<size_t>(s)].sock.c_str());
            lanes.insert(lane);
        }
        QCOMPARE(static_cast<int>(lanes.size()), sockets);
        QCOMPARE(static_cast<int>(L.lanes().size()), sockets + (L.laneOfNoSocket() >= 0 ? 1 : 0));
        auto laneX = [&](const std::string &sock) {
            const int lane = sock.empty() ? L.laneOfNoSocket() : L.laneOfSocketRow(run.socketIndex(sock));
            return lane < 0 ? -1.0 : L.lanes()[static_cast<size_t>(lane)].x;
        };
        int packets = 0, syscalls = 0;
        for (int i = 0; i < run.eventCount(); ++i) {
            const core::Event &e = run.event(i);
            if (const auto *p = e.as<core::PacketInfo>()) {
                ++packets;
                const QLineF a = L.arrow(i);
                QVERIFY2(!a.isNull(), qPrintable(QStringLiteral("packet %1 has no arrow").arg(i)));
                QCOMPARE(a.x1(), laneX(p->from));
                QCOMPARE(a.x2(), laneX(p->to));
                QCOMPARE(a.y1(), static_cast<double>(L.item(i).y));
                QVERIFY(L.item(i).row >= 0);
            } else if (const auto *s = e.as<core::SyscallInfo>()) {
                ++syscalls;
                QVERIFY2(L.item(i).row >= 0, qPrintable(QStringLiteral("syscall %1 has no row").arg(i)));
                QVERIFY(L.item(i).group >= 0);
                QCOMPARE(QString::fromStdString(L.groups()[static_cast<size_t>(L.item(i).group)].actor),
                         QString::fromStdString(s->actor));
            }
        }
        QVERIFY(syscalls > 0);
        if (run.runInfo().capture)
            QVERIFY(packets > 0);
        // Rows are in stream order, top to bottom.
        for (int r = 1; r < L.rowCount(); ++r)
            QVERIFY(L.item(L.rowEvents()[static_cast<size_t>(r)]).y >=
                    L.item(L.rowEvents()[static_cast<size_t>(r - 1)]).y);

        // Timeline: one row per socket, named after it, in the model's order.
        QCustomPlot *plot = timeline.plot();
        QCOMPARE(plot->plottableCount(), 1);
        QCOMPARE(plot->itemCount(), 0);
        auto *ticker = dynamic_cast<QCPAxisTickerText *>(plot->yAxis->ticker().data());
        QVERIFY(ticker);
        QCOMPARE(ticker->ticks().size(), sockets);
        for (int s = 0; s < sockets; ++s)
            QCOMPARE(ticker->ticks().value(s), QString::fromStdString(run.sockets()[static_cast<size_t>(s)].sock));
        QCOMPARE(plot->yAxis->range().size(), static_cast<double>(std::max(sockets, 1)));

        // Event table: one row per event.
        QCOMPARE(table.model()->rowCount(), run.eventCount());
        QCOMPARE(table.tableView()->model()->rowCount(), run.eventCount()); // no filter set

        // Explanation panel: the cursor on the first event of every kind in the run.
        std::set<core::EventKind> kinds;
        for (int i = 0; i < run.eventCount(); ++i) {
            if (!kinds.insert(run.event(i).kind()).second)
                continue;
            view.setCursor(i);
            const QString html = explanation.html();
            QVERIFY2(!html.trimmed().isEmpty(), qPrintable(QStringLiteral("event %1").arg(i)));
            QCOMPARE(table.tableView()->currentIndex().row(), i);
        }
        QVERIFY(kinds.size() >= 5);

        // The cursor on the last segment (the interesting end of most scenarios), then grab every view.
        for (int i = run.eventCount() - 1; i >= 0; --i)
            if (run.event(i).kind() == core::EventKind::Packet) {
                view.setCursor(i);
                break;
            }
        QCoreApplication::processEvents();
        plot->replot();
        const std::pair<QWidget *, const char *> widgets[] = {{&sequence, "sequence"},
                                                              {&timeline, "timeline"},
                                                              {&table, "table"},
                                                              {&queues, "queues"},
                                                              {&explanation, "explanation"}};
        for (const auto &[widget, name] : widgets) {
            const QImage image = widget->grab().toImage();
            save(image, fixture, name);
            QVERIFY2(isPainted(image), name);
        }
    }
};

QTEST_MAIN(TestAllBuiltins)
#include "test_allbuiltins.moc"
