// SPDX-License-Identifier: GPL-3.0-or-later
// SequenceView offscreen: streams a real run in batches, click sets the shared cursor, Ctrl+wheel zooms,
// the header stays while scrolling. Grabbed to SOCKSCOPE_RENDER_DIR when set.

#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"
#include "ui/sequence/sequenceview.h"
#include "uifixture.h"

#include <QScrollBar>
#include <QtTest>

using namespace sockscope;

class TestSequenceView : public QObject
{
    Q_OBJECT
private slots:
    void streamClickZoom()
    {
        const auto events = uitest::loadFixture("close-unread-data.jsonl");
        ui::RunModel run;
        ui::ViewState view;
        ui::SequenceView seq(&run, &view);
        seq.resize(1200, 500);
        seq.show();
        for (size_t i = 0; i < events.size(); i += 10)
            run.appendEvents(
                std::vector<core::Event>(events.begin() + static_cast<long>(i),
                                         events.begin() + static_cast<long>(std::min(events.size(), i + 10))));
        QTRY_COMPARE(seq.layout().lastEvent(), run.eventCount() - 1);

        // Click the RST's row: the shared cursor moves to it.
        int rst = -1;
        for (int e = 0; e < run.eventCount(); ++e)
            if (const auto *p = run.event(e).as<core::PacketInfo>();
                p && core::hasFlag(p->flags, core::SegmentFlag::Rst))
                rst = e;
        QVERIFY(rst >= 0);
        view.setCursor(rst); // scrolls it into view
        const QLineF a = seq.layout().arrow(rst);
        const int vy = seq.verticalScrollBar()->value();
        const QPoint click(static_cast<int>((a.x1() + a.x2()) / 2) - seq.horizontalScrollBar()->value(),
                           static_cast<int>(a.y1() - vy + seq.headerHeight()));
        view.setCursor(-1);
        QTest::mouseClick(seq.viewport(), Qt::LeftButton, {}, click);
        QCOMPARE(view.cursor(), rst);

        // Ctrl+wheel zooms rows.
        const double h0 = seq.layout().height();
        QWheelEvent wheel(QPointF(click), seq.viewport()->mapToGlobal(QPointF(click)), {}, {0, 120}, Qt::NoButton,
                          Qt::ControlModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(seq.viewport(), &wheel);
        QVERIFY(seq.layout().height() > h0);

        seq.setLegendVisible(true);
        const QImage img = seq.grab().toImage();
        QCOMPARE(img.size(), seq.size() * img.devicePixelRatio());
        if (const QByteArray dir = qgetenv("SOCKSCOPE_RENDER_DIR"); !dir.isEmpty())
            img.save(QString::fromLocal8Bit(dir) + QStringLiteral("/sequenceview.png"));
    }
};

QTEST_MAIN(TestSequenceView)
#include "test_sequenceview.moc"
