// SPDX-License-Identifier: GPL-3.0-or-later
// One recorded run, four readers: the text log, Mermaid, the event table and the sequence diagram's labels
// must show the same time, segment, call and result text for the same event (hand-written below).

#include "core/io/textdiagram.h"
#include "core/io/textlog.h"
#include "ui/model/eventtablemodel.h"
#include "ui/model/runmodel.h"
#include "ui/sequence/sequencelabels.h"
#include "uifixture.h"

#include <QtTest>

using namespace sockscope;

class TestTextAgreement : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        m_events = uitest::loadFixture("run-close-unread-data.jsonl");
        m_log = QString::fromStdString(core::formatLog(m_events)).split(QLatin1Char('\n'));
        m_mermaid = QString::fromStdString(core::toMermaid(m_events)).split(QLatin1Char('\n'));
        m_run.appendEvents(std::vector<core::Event>(m_events));
    }

    void segments_data()
    {
        QTest::addColumn<int>("n");
        QTest::addColumn<QString>("time");
        QTest::addColumn<QString>("ends");
        QTest::addColumn<QString>("segment");
        QTest::addColumn<int>("win");
        // t_ns 5507839: rounding would read +0.005508.
        QTest::newRow("SYN") << 29 << "+0.005507"
                             << "client.1 -> server.1"
                             << "SYN seq=0" << 65495;
        QTest::newRow("SYN ACK") << 32 << "+0.005518"
                                 << "server.1 -> client.1"
                                 << "SYN ACK seq=0 ack=1" << 65483;
        QTest::newRow("data") << 48 << "+0.009491"
                              << "client.1 -> server.1"
                              << "PSH ACK seq=1 ack=1 len=10" << 64;
        // t_ns 9498534: rounding would read +0.009499.
        QTest::newRow("pure ACK") << 49 << "+0.009498"
                                  << "server.1 -> client.1"
                                  << "ACK seq=1 ack=11" << 64;
        QTest::newRow("RST") << 55 << "+0.011541"
                             << "server.1 -> client.1"
                             << "RST ACK seq=1 ack=11" << 64;
    }

    void segments()
    {
        QFETCH(int, n);
        QFETCH(QString, time);
        QFETCH(QString, ends);
        QFETCH(QString, segment);
        QFETCH(int, win);
        const core::Event &e = m_events[static_cast<size_t>(n)];
        QVERIFY(e.as<core::PacketInfo>());
        const QString packet = ends + QStringLiteral("  ") + segment;
        QVERIFY2(m_log.contains(time + QStringLiteral("   ") + packet), qPrintable(packet));
        QVERIFY2(mermaidHas(QStringLiteral(": ") + segment), qPrintable(segment));
        QCOMPARE(tableText(n, ui::EventTableModel::ColTime), time);
        QCOMPARE(tableText(n, ui::EventTableModel::ColWhat), packet + QStringLiteral(" win=%1").arg(win));
        QCOMPARE(ui::relativeTime(e.tNs), time);
        QCOMPARE(ui::segmentLabel(*e.as<core::PacketInfo>()), segment);
    }

    void calls_data()
    {
        QTest::addColumn<int>("n"); // the syscall event; its return follows in the stream
        QTest::addColumn<QString>("time");
        QTest::addColumn<QString>("actor");
        QTest::addColumn<QString>("call");
        QTest::addColumn<QString>("result");      // with the errno's description: log and table
        QTest::addColumn<QString>("shortResult"); // without: diagram and Mermaid
        // t_ns 9478994: rounding would read +0.009479.
        QTest::newRow("send") << 47 << "+0.009478"
                              << "client"
                              << "send(4, 10)"
                              << "= 10"
                              << "= 10";
        QTest::newRow("close") << 54 << "+0.011526"
                               << "server"
                               << "close(5)"
                               << "= 0"
                               << "= 0";
        QTest::newRow("recv") << 63 << "+0.013544"
                              << "client"
                              << "recv(4, 100)"
                              << "= -1 ECONNRESET (Connection reset by peer)"
                              << "= -1 ECONNRESET";
        QTest::newRow("bind") << 10 << "+0.002475"
                              << "server"
                              << "bind(3, 127.0.0.1:5000)"
                              << "= 0"
                              << "= 0";
    }

    void calls()
    {
        QFETCH(int, n);
        QFETCH(QString, time);
        QFETCH(QString, actor);
        QFETCH(QString, call);
        QFETCH(QString, result);
        QFETCH(QString, shortResult);
        const core::Event &e = m_events[static_cast<size_t>(n)];
        QVERIFY(e.as<core::SyscallInfo>());
        const int ret = m_run.returnOf(n);
        QVERIFY(ret > n);
        // The log prints a call at its start time, with its result, in an actor column as wide as "server".
        QVERIFY2(
            m_log.contains(time + QLatin1Char(' ') + actor + QStringLiteral("  ") + call + QLatin1Char(' ') + result),
            qPrintable(call));
        QVERIFY2(mermaidHas(QStringLiteral(": ") + call + QLatin1Char(' ') + shortResult), qPrintable(call));
        QCOMPARE(tableText(n, ui::EventTableModel::ColTime), time);
        QCOMPARE(tableText(n, ui::EventTableModel::ColWhat), call);
        QCOMPARE(tableText(n, ui::EventTableModel::ColResult), result);
        QCOMPARE(tableText(ret, ui::EventTableModel::ColResult), result);
        QCOMPARE(ui::relativeTime(e.tNs), time);
        QCOMPARE(ui::callLabel(*e.as<core::SyscallInfo>()), call);
        QCOMPARE(ui::resultLabel(*m_events[static_cast<size_t>(ret)].as<core::ReturnInfo>()), shortResult);
    }

private:
    QString tableText(int row, int column) const
    {
        ui::EventTableModel model(&m_run);
        return model.index(row, column).data().toString();
    }

    // A Mermaid line (message or note) that ends with `tail`.
    bool mermaidHas(const QString &tail) const
    {
        for (const QString &line : m_mermaid)
            if (line.endsWith(tail))
                return true;
        return false;
    }

    std::vector<core::Event> m_events;
    QStringList m_log;
    QStringList m_mermaid;
    ui::RunModel m_run;
};

QTEST_GUILESS_MAIN(TestTextAgreement)
#include "test_textagreement.moc"
