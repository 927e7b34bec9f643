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

    // Each segment reads the same in the log, Mermaid, the table and the diagram's label.
    void segments()
    {
        struct Row
        {
            const char *name;
            int n;
            const char *time, *ends, *segment;
            int win;
        };
        const Row rows[] = {
            // t_ns 5507839: rounding would read +0.005508.
            {"SYN", 29, "+0.005507", "client.1 -> server.1", "SYN seq=0", 65495},
            {"SYN ACK", 32, "+0.005518", "server.1 -> client.1", "SYN ACK seq=0 ack=1", 65483},
            {"data", 48, "+0.009491", "client.1 -> server.1", "PSH ACK seq=1 ack=1 len=10", 64},
            // t_ns 9498534: rounding would read +0.009499.
            {"pure ACK", 49, "+0.009498", "server.1 -> client.1", "ACK seq=1 ack=11", 64},
            {"RST", 55, "+0.011541", "server.1 -> client.1", "RST ACK seq=1 ack=11", 64},
        };
        for (const Row &r : rows) {
            const QString time = QString::fromLatin1(r.time);
            const QString ends = QString::fromLatin1(r.ends);
            const QString segment = QString::fromLatin1(r.segment);
            const core::Event &e = m_events[static_cast<size_t>(r.n)];
            QVERIFY(e.as<core::PacketInfo>());
            const QString packet = ends + QStringLiteral("  ") + segment;
            QVERIFY2(m_log.contains(time + QStringLiteral("   ") + packet), qPrintable(packet));
            QVERIFY2(mermaidHas(QStringLiteral(": ") + segment), qPrintable(segment));
            QCOMPARE(tableText(r.n, ui::EventTableModel::ColTime), time);
            QCOMPARE(tableText(r.n, ui::EventTableModel::ColWhat), packet + QStringLiteral(" win=%1").arg(r.win));
            QCOMPARE(ui::relativeTime(e.tNs), time);
            QCOMPARE(ui::segmentLabel(*e.as<core::PacketInfo>()), segment);
        }
    }

    // Each call and its result read the same in the log, Mermaid, the table and the diagram's labels.
    void calls()
    {
        struct Row
        {
            const char *name;
            int n;
            const char *time, *actor, *call, *result, *shortResult;
        };
        const Row rows[] = {
            // t_ns 9478994: rounding would read +0.009479.
            {"send", 47, "+0.009478", "client", "send(4, 10)", "= 10", "= 10"},
            {"close", 54, "+0.011526", "server", "close(5)", "= 0", "= 0"},
            {"recv", 63, "+0.013544", "client", "recv(4, 100)", "= -1 ECONNRESET (Connection reset by peer)",
             "= -1 ECONNRESET"},
            {"bind", 10, "+0.002475", "server", "bind(3, 127.0.0.1:5000)", "= 0", "= 0"},
        };
        for (const Row &r : rows) {
            const QString time = QString::fromLatin1(r.time);
            const QString actor = QString::fromLatin1(r.actor);
            const QString call = QString::fromLatin1(r.call);
            const QString result = QString::fromLatin1(r.result);
            const QString shortResult = QString::fromLatin1(r.shortResult);
            const core::Event &e = m_events[static_cast<size_t>(r.n)];
            QVERIFY(e.as<core::SyscallInfo>());
            const int ret = m_run.returnOf(r.n);
            QVERIFY(ret > r.n);
            // The log prints a call at its start time, with its result, in an actor column as wide as "server".
            QVERIFY2(m_log.contains(time + QLatin1Char(' ') + actor + QStringLiteral("  ") + call + QLatin1Char(' ') +
                                    result),
                     qPrintable(call));
            QVERIFY2(mermaidHas(QStringLiteral(": ") + call + QLatin1Char(' ') + shortResult), qPrintable(call));
            QCOMPARE(tableText(r.n, ui::EventTableModel::ColTime), time);
            QCOMPARE(tableText(r.n, ui::EventTableModel::ColWhat), call);
            QCOMPARE(tableText(r.n, ui::EventTableModel::ColResult), result);
            QCOMPARE(tableText(ret, ui::EventTableModel::ColResult), result);
            QCOMPARE(ui::relativeTime(e.tNs), time);
            QCOMPARE(ui::callLabel(*e.as<core::SyscallInfo>()), call);
            QCOMPARE(ui::resultLabel(*m_events[static_cast<size_t>(ret)].as<core::ReturnInfo>()), shortResult);
        }
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
