// SPDX-License-Identifier: GPL-3.0-or-later
// The event table model and its filter proxy, fed in several batches, under QAbstractItemModelTester.

#include "ui/model/eventfilterproxy.h"
#include "ui/model/eventtablemodel.h"
#include "ui/model/runmodel.h"
#include "uifixture.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace sockscope;

namespace {
// Appends the fixture in batches of `size` events.
void appendInBatches(ui::RunModel &run, const std::vector<core::Event> &events, std::size_t size)
{
    for (std::size_t i = 0; i < events.size(); i += size) {
        const auto end = std::min(events.size(), i + size);
        run.appendEvents(
            std::vector<core::Event>(events.begin() + static_cast<long>(i), events.begin() + static_cast<long>(end)));
    }
}
} // namespace

class TestEventTable : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { m_events = uitest::loadFixture("handmade-ui-close-unread.jsonl"); }

    void modelUnderTester()
    {
        ui::RunModel run;
        ui::EventTableModel model(&run);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        appendInBatches(run, m_events, 7);
        QCOMPARE(model.rowCount(), static_cast<int>(m_events.size()));
        QCOMPARE(inserted.count(), static_cast<int>((m_events.size() + 6) / 7)); // one insert per batch
        run.clear();
        QCOMPARE(model.rowCount(), 0);
        appendInBatches(run, m_events, 25);
        QCOMPARE(model.rowCount(), static_cast<int>(m_events.size()));
    }

    void texts()
    {
        ui::RunModel run;
        ui::EventTableModel model(&run);
        run.appendEvents(std::vector<core::Event>(m_events));
        int econnreset = -1, rst = -1;
        for (int r = 0; r < model.rowCount(); ++r) {
            const QString result = model.index(r, ui::EventTableModel::ColResult).data().toString();
            const QString kind = model.index(r, ui::EventTableModel::ColKind).data().toString();
            if (kind == "syscall" && result.contains("ECONNRESET"))
                econnreset = r;
            if (model.index(r, ui::EventTableModel::ColWhat).data().toString().contains("RST"))
                rst = r;
        }
        QVERIFY(econnreset >= 0);
        QVERIFY(rst >= 0);
        QCOMPARE(model.index(econnreset, ui::EventTableModel::ColWhat).data().toString(), QString("recv(4, 100)"));
        QCOMPARE(model.index(econnreset, ui::EventTableModel::ColActor).data().toString(), QString("client"));
        QCOMPARE(model.index(econnreset, ui::EventTableModel::ColSocket).data().toString(), QString("client.1"));
        QVERIFY(model.index(econnreset, 0).data(ui::EventTableModel::IsErrorRole).toBool());
        QVERIFY(model.index(econnreset, ui::EventTableModel::ColResult).data(Qt::ForegroundRole).isValid());
        QCOMPARE(model.index(rst, ui::EventTableModel::ColWhat).data().toString(),
                 QString("server.1 -> client.1  RST ACK seq=1 ack=101 win=0"));
    }

    void proxyFilters()
    {
        ui::RunModel run;
        ui::EventTableModel model(&run);
        ui::EventFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setErrorsOnly(true);
        appendInBatches(run, m_events, 5); // filters apply to rows as they stream in
        // recv ECONNRESET and send EPIPE (syscall + return each) and the SIGPIPE.
        QCOMPARE(proxy.rowCount(), 5);
        proxy.setActorFilter("server");
        QCOMPARE(proxy.rowCount(), 0);
        proxy.setErrorsOnly(false);
        for (int r = 0; r < proxy.rowCount(); ++r)
            QCOMPARE(proxy.index(r, ui::EventTableModel::ColActor).data().toString(), QString("server"));
        QVERIFY(proxy.rowCount() > 0);
        proxy.setActorFilter({});
        proxy.setKindFilter(core::EventKind::Packet);
        QCOMPARE(proxy.rowCount(), 6);
        proxy.setSocketFilter("server.1");
        QCOMPARE(proxy.rowCount(), 3); // SYN ACK, pure ACK and RST sent by server.1
        proxy.setKindFilter(std::nullopt);
        proxy.setSocketFilter({});
        QCOMPARE(proxy.rowCount(), static_cast<int>(m_events.size()));
        run.clear();
        QCOMPARE(proxy.rowCount(), 0);
    }

private:
    std::vector<core::Event> m_events;
};

QTEST_MAIN(TestEventTable)
#include "test_eventtable.moc"
