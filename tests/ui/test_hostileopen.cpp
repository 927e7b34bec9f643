// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile files in the window: Open refuses each with file:line:column and the run on show stays; RunModel's
// loader goes through the same reader; rows stay grouped by actor however many sockets a file brings.
#include "core/io/runfile.h"
#include "core/stream/eventjson.h"
#include "ui/export/exportactions.h"
#include "ui/mainwindow.h"
#include "ui/model/runmodel.h"
#include "uifixture.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

using namespace sockscope;

namespace {

const QByteArray kHeader = R"({"sockscope_run":1,"saved":"s","scenario_name":"x","scenario_path":"x.scn",)"
                           R"("scenario_source":""})";
const QByteArray kRun = R"({"n":0,"t_ns":0,"kind":"run","version":1,"scenario":"x","title":"","kernel":"k",)"
                        R"("isolation":"netns","capture":true})";
const QByteArray kEnd = R"({"n":900000,"t_ns":9,"kind":"end","ok":true,"duration_ns":9,"packets":0,"drops":0})";

QString write(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(bytes);
    return path;
}

QByteArray socketLine(int n, const std::string &sock, const std::string &actor)
{
    return QByteArray::fromStdString(R"({"n":)" + std::to_string(n) + R"(,"t_ns":0,"kind":"socket","sock":")" + sock +
                                     R"(","actor":")" + actor +
                                     R"(","role":"connect","fd":3,"local":null,"remote":null})");
}

} // namespace

class TestHostileOpen : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void openRefusesAndKeepsTheRun_data()
    {
        QTest::addColumn<QByteArray>("bad");
        QTest::addColumn<QString>("expected"); // after "path:"
        QTest::newRow("number overflow") << QByteArray(R"({"n":1,"t_ns":1e999,"kind":"step"})")
                                         << "3:15: error: invalid JSON: number overflow parsing '1e999'";
        QTest::newRow("deep nesting") << QByteArray(R"({"n":1,"t_ns":1,"kind":"step","x":)") + QByteArray(50000, '[') +
                                             QByteArray(50000, ']') + "}"
                                      << "3:50: error: JSON nested deeper than 16 levels";
        QTest::newRow("huge step") << QByteArray(R"({"n":1,"t_ns":1,"kind":"step","step":2000000000,"actor":"a",)"
                                                 R"("text":"t","line":1})")
                                   << "3:31: error: step event: field \"step\" is out of range: 2000000000 (allowed 0 "
                                      "to 9999)";
    }
    void openRefusesAndKeepsTheRun()
    {
        QFETCH(QByteArray, bad);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        ui::MainWindow window;
        const auto events = uitest::loadFixture("close-unread-data.jsonl");
        window.runModel()->reset(events);
        const QString path =
            write(dir, QStringLiteral("forged.sockrun"), kHeader + "\n" + kRun + "\n" + bad + "\n" + kEnd + "\n");
        QString error;
        QVERIFY(!ui::openRunFile(window, path, &error, true));
        QCOMPARE(error, path + ":" + expected);
        QCOMPARE(window.runModel()->eventCount(), static_cast<int>(events.size()));
        QCOMPARE(core::toJsonLine(window.runModel()->event(0)), core::toJsonLine(events[0]));
    }

    void loadJsonlUsesTheSameReader()
    {
        QTemporaryDir dir;
        ui::RunModel model;
        model.reset(uitest::loadFixture("close-unread-data.jsonl"));
        const int before = model.eventCount();
        QString error;
        const QString deep = write(dir, QStringLiteral("deep.jsonl"),
                                   kRun + "\n" + QByteArray(R"({"n":1,"t_ns":0,"kind":"queue","x":)") +
                                       QByteArray(100000, '[') + QByteArray(100000, ']') + "}\n");
        QVERIFY(!model.loadJsonl(deep, &error));
        QCOMPARE(error, deep + ":2:51: JSON nested deeper than 16 levels");
        const QString twice = write(dir, QStringLiteral("twice.jsonl"),
                                    kRun + "\n" + socketLine(1, "s.1", "a") + "\n" + socketLine(2, "s.1", "b") + "\n");
        QVERIFY(!model.loadJsonl(twice, &error));
        QCOMPARE(error, twice + ":3:1: socket \"s.1\" belongs to actor \"a\" and cannot be declared by \"b\"");
        QCOMPARE(model.eventCount(), before);
        const QString fifo = dir.filePath(QStringLiteral("fifo"));
        QVERIFY(::mkfifo(fifo.toLocal8Bit().constData(), 0600) == 0);
        QVERIFY(!model.loadJsonl(fifo, &error));
        QVERIFY2(error.startsWith(fifo + ":0:0: not a regular file"), qPrintable(error));
    }

    // Rows are grouped by actor in first-appearance order, then by first appearance, whether the sockets come in
    // one batch or many (the rows are ordered once per batch, not by an insertion per socket).
    void socketRowsStayGroupedByActor()
    {
        std::vector<core::Event> events;
        const std::vector<std::pair<std::string, std::string>> sockets = {
            {"server.listen", "server"}, {"client.1", "client"}, {"server.1", "server"}, {"spy.1", "spy"},
            {"client.2", "client"},      {"server.2", "server"}};
        const QStringList expected = {QStringLiteral("server.listen"), QStringLiteral("server.1"),
                                      QStringLiteral("server.2"),      QStringLiteral("client.1"),
                                      QStringLiteral("client.2"),      QStringLiteral("spy.1")};
        for (std::size_t i = 0; i < sockets.size(); ++i)
            events.push_back(
                core::fromJsonLine(socketLine(static_cast<int>(i), sockets[i].first, sockets[i].second).toStdString())
                    .event.value());
        auto rows = [](const ui::RunModel &m) {
            QStringList out;
            for (const auto &r : m.sockets())
                out << QString::fromStdString(r.sock);
            return out;
        };
        ui::RunModel whole;
        whole.reset(events);
        QCOMPARE(rows(whole), expected);
        ui::RunModel oneByOne;
        for (const auto &e : events)
            oneByOne.appendEvents({e});
        QCOMPARE(rows(oneByOne), expected);
        for (int i = 0; i < static_cast<int>(expected.size()); ++i)
            QCOMPARE(oneByOne.socketIndex(expected[i].toStdString()), i);
        QCOMPARE(oneByOne.actorIndex("spy"), 2);
    }

    // 60000 sockets of 1000 actors in turns: every socket lands mid-list. Linear loading keeps this to well under
    // a second; inserting each in place took minutes.
    void manySocketsLoad()
    {
        QTemporaryDir dir;
        QByteArray text = kHeader + "\n" + kRun + "\n";
        for (int i = 1; i <= 60000; ++i) {
            const std::string actor = "a" + std::to_string(i % 1000);
            text += socketLine(i, actor + "." + std::to_string(i), actor) + "\n";
        }
        text += kEnd + "\n";
        const QString path = write(dir, QStringLiteral("many.sockrun"), text);
        ui::MainWindow window;
        QString error;
        QVERIFY2(ui::openRunFile(window, path, &error, true), qPrintable(error));
        const auto &rows = window.runModel()->sockets();
        QCOMPARE(static_cast<int>(rows.size()), 60000);
        QCOMPARE(rows.front().sock, std::string("a1.1"));
        QCOMPARE(rows.back().sock, std::string("a0.60000"));
    }
};

QTEST_MAIN(TestHostileOpen)
#include "test_hostileopen.moc"
