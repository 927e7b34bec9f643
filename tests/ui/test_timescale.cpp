// SPDX-License-Identifier: GPL-3.0-or-later
// TimeScale: uniform rows, real time, and idle gaps collapsed to a fixed, marked height.

#include "ui/sequence/timescale.h"

#include <QtTest>

using sockscope::ui::TimeScale;

class TestTimeScale : public QObject
{
    Q_OBJECT
private slots:
    void uniformRows_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<double>("rowHeight");
        QTest::addColumn<double>("top");
        QTest::addColumn<int>("row");
        QTest::addColumn<double>("y");
        QTest::newRow("first row centre") << 10 << 22.0 << 0.0 << 0 << 11.0;
        QTest::newRow("third row centre") << 10 << 22.0 << 0.0 << 2 << 55.0;
        QTest::newRow("with top offset") << 10 << 20.0 << 40.0 << 1 << 70.0;
        QTest::newRow("zoomed out") << 50000 << 2.0 << 0.0 << 49999 << 99999.0;
    }
    void uniformRows()
    {
        QFETCH(int, rows);
        QFETCH(double, rowHeight);
        QFETCH(double, top);
        QFETCH(int, row);
        QFETCH(double, y);
        const TimeScale s = TimeScale::uniform(rows, rowHeight, top);
        QCOMPARE(s.yForRow(row), y);
        QCOMPARE(s.rowAt(y), row);
        QCOMPARE(s.rowAt(y - rowHeight / 2 + 0.01), row);
        QCOMPARE(s.rowAt(y + rowHeight / 2 - 0.01), row);
        QCOMPARE(s.height(), top + rows * rowHeight);
        QVERIFY(s.gaps.empty());
    }

    void proportional_data()
    {
        QTest::addColumn<QList<qint64>>("times");
        QTest::addColumn<qint64>("t");
        QTest::addColumn<double>("y");
        QTest::addColumn<int>("gaps");
        // nsPerPx 100, gaps > 5 ms collapse to 30 px, 10 px margin above the first event.
        const QList<qint64> dense{0, 1000, 3000};
        QTest::newRow("origin") << dense << qint64(0) << 10.0 << 0;
        QTest::newRow("linear") << dense << qint64(3000) << 40.0 << 0;
        const QList<qint64> gap{0, 1000, 10'001'000, 10'002'000};
        QTest::newRow("before gap") << gap << qint64(1000) << 20.0 << 1;
        QTest::newRow("middle of gap") << gap << qint64(5'001'000) << 35.0 << 1;
        QTest::newRow("end of gap") << gap << qint64(10'001'000) << 50.0 << 1;
        QTest::newRow("after gap") << gap << qint64(10'002'000) << 60.0 << 1;
        const QList<qint64> edge{0, 5'000'000, 5'000'100};
        QTest::newRow("gap at threshold stays") << edge << qint64(5'000'000) << 50010.0 << 0;
        const QList<qint64> two{0, 6'000'000, 6'000'500, 20'000'500, 20'001'500};
        QTest::newRow("second gap, first band") << two << qint64(6'000'000) << 40.0 << 2;
        QTest::newRow("between gaps") << two << qint64(6'000'500) << 45.0 << 2;
        QTest::newRow("after two gaps") << two << qint64(20'001'500) << 85.0 << 2;
    }
    void proportional()
    {
        QFETCH(QList<qint64>, times);
        QFETCH(qint64, t);
        QFETCH(double, y);
        QFETCH(int, gaps);
        const std::vector<qint64> v(times.begin(), times.end());
        const TimeScale s = TimeScale::proportionalFor(v, 100.0, 5'000'000, 30.0, 10.0);
        QCOMPARE(static_cast<int>(s.gaps.size()), gaps);
        QCOMPARE(s.yForTime(t), y);
        QCOMPARE(s.timeAt(y), t);
        QCOMPARE(s.height(), s.yForTime(v.back()) + 10.0);
    }

    void gapMarkers()
    {
        const std::vector<qint64> v{0, 1000, 10'001'000, 10'002'000};
        const TimeScale s = TimeScale::proportionalFor(v, 100.0, 5'000'000, 30.0, 10.0);
        QCOMPARE(s.gaps.front().t0, qint64(1000));
        QCOMPARE(s.gaps.front().t1, qint64(10'001'000));
        QCOMPARE(s.gaps.front().y, 20.0);
        QVERIFY(s.gapAt(35.0) != nullptr);
        QVERIFY(s.gapAt(19.0) == nullptr);
        QVERIFY(s.gapAt(51.0) == nullptr);
    }

    void monotonic()
    {
        std::vector<qint64> v;
        qint64 t = 0;
        for (int i = 0; i < 2000; ++i) {
            t += (i % 97 == 0) ? 20'000'000 : (i % 7) * 333;
            v.push_back(t);
        }
        const TimeScale s = TimeScale::proportionalFor(v, 50.0, 5'000'000, 24.0, 11.0);
        for (size_t i = 1; i < v.size(); ++i)
            QVERIFY2(s.yForTime(v[i]) >= s.yForTime(v[i - 1]), qPrintable(QString::number(i)));
        QVERIFY(s.height() < 2000 * 24.0 + 2000 * 333 / 50.0);
    }

    void empty()
    {
        const TimeScale u = TimeScale::uniform(0, 22);
        QCOMPARE(u.height(), 0.0);
        const TimeScale p = TimeScale::proportionalFor({}, 100, 5'000'000, 30, 11);
        QVERIFY(p.gaps.empty());
        QCOMPARE(p.height(), 22.0);
    }
};

QTEST_APPLESS_MAIN(TestTimeScale)
#include "test_timescale.moc"
