// SPDX-License-Identifier: GPL-3.0-or-later
// The timeline, queue chart, explanation panel and event table page built from a fixture, offscreen;
// each is grabbed to a PNG in the build dir so it can be looked at.

#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"
#include "ui/panels/eventtable.h"
#include "ui/panels/explanationpanel.h"
#include "ui/panels/queuechart.h"
#include "ui/timeline/stateplottable.h"
#include "ui/timeline/timelineview.h"
#include "uifixture.h"

#include <QLineSeries>
#include <QTableView>
#include <QtTest>
#include <qcustomplot.h>

using namespace sockscope;

class TestViews : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        m_events = uitest::loadFixture("handmade-ui-close-unread.jsonl");
        for (std::size_t i = 0; i < m_events.size(); ++i)
            if (const auto *p = m_events[i].as<core::PacketInfo>();
                p && core::hasFlag(p->flags, core::SegmentFlag::Rst))
                m_rst = static_cast<int>(i);
    }

    void timeline()
    {
        uitest::RunView<ui::TimelineView> f;
        auto &[run, view, timeline] = f;
        timeline.resize(900, 260);
        for (std::size_t i = 0; i < m_events.size(); i += 9)
            run.appendEvents(
                std::vector<core::Event>(m_events.begin() + static_cast<long>(i),
                                         m_events.begin() + static_cast<long>(std::min(i + 9, m_events.size()))));
        QCOMPARE(static_cast<int>(run.sockets().size()), 3);
        // One plottable draws everything: no QCPItem per band or marker.
        QCOMPARE(timeline.plot()->plottableCount(), 1);
        QCOMPARE(timeline.plot()->itemCount(), 0);
        const auto &marks = timeline.plottable()->marks();
        const auto errors = std::count_if(marks.begin(), marks.end(), [](const auto &m) {
            return m.kind == ui::StatePlottable::MarkKind::CallError;
        });
        QCOMPARE(errors, 2); // recv ECONNRESET, send EPIPE
        QCOMPARE(std::count_if(marks.begin(), marks.end(),
                               [](const auto &m) { return m.kind == ui::StatePlottable::MarkKind::Signal; }),
                 1);
        view.setCursor(m_rst);
        timeline.plot()->replot();
        QVERIFY(timeline.grab().save(QStringLiteral("timeline.png")));
        // Zoom keeps the range in the shared view state.
        timeline.zoomIn();
        QVERIFY(view.hasVisibleRange());
        timeline.zoomReset();
        QVERIFY(!view.hasVisibleRange());
        // Dark theme paints too.
        view.setTheme(ui::Theme::screenDark());
        timeline.plot()->replot();
        QVERIFY(timeline.grab().save(QStringLiteral("timeline-dark.png")));
    }

    void queueChart()
    {
        uitest::RunView<ui::QueueChart> f;
        auto &[run, view, chart] = f;
        chart.resize(700, 300);
        // A first batch with only the run event (t = 0), as a live run delivers it, then the rest.
        run.appendEvents(std::vector<core::Event>(m_events.begin(), m_events.begin() + 1));
        QCoreApplication::processEvents();
        run.appendEvents(std::vector<core::Event>(m_events.begin() + 1, m_events.begin() + 40));
        run.appendEvents(std::vector<core::Event>(m_events.begin() + 40, m_events.end()));
        QCOMPARE(chart.seriesCount(), 4); // server.1 and client.1, recv_q and send_q
        QLineSeries *recv = chart.series(QStringLiteral("server.1 recv_q"));
        QVERIFY(recv);
        // 100 unread bytes until the close, then 0 (a step), held to the end.
        double maxY = 0;
        for (const QPointF &p : recv->points())
            maxY = std::max(maxY, p.y());
        QCOMPARE(maxY, 100.0);
        QCOMPARE(recv->points().constLast().y(), 0.0);
        view.setCursor(m_rst);
        QVERIFY(chart.grab().save(QStringLiteral("queuechart.png")));
    }

    void explanationFollowsCursor()
    {
        uitest::RunView<ui::ExplanationPanel> f;
        auto &[run, view, panel] = f;
        run.appendEvents(std::vector<core::Event>(m_events));
        view.setCursor(m_rst);
        QVERIFY2(panel.html().contains("unread"), qPrintable(panel.html()));
        QVERIFY(panel.html().contains("Linux sends RST")); // the step's note
        panel.resize(360, 420);
        QVERIFY(panel.grab().save(QStringLiteral("explanation.png")));
    }

    void tableFollowsCursorAndSetsIt()
    {
        uitest::RunView<ui::EventTable> f;
        auto &[run, view, table] = f;
        table.resize(900, 400);
        run.appendEvents(std::vector<core::Event>(m_events));
        view.setCursor(m_rst);
        QCOMPARE(table.tableView()->currentIndex().row(), m_rst);
        table.tableView()->setCurrentIndex(table.tableView()->model()->index(3, 0));
        QCOMPARE(view.cursor(), 3);
        QVERIFY(table.grab().save(QStringLiteral("eventtable.png")));
    }

private:
    std::vector<core::Event> m_events;
    int m_rst = -1;
};

QTEST_MAIN(TestViews)
#include "test_views.moc"
