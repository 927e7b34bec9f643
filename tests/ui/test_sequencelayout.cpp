// SPDX-License-Identifier: GPL-3.0-or-later
// SequenceLayout: event -> row / lane / y, uniform vs real time, gap collapsing, lanes grouped by actor,
// merged call rows and blocked spans. No window: the layout is a pure function.

#include "ui/model/runmodel.h"
#include "ui/sequence/sequencelayout.h"
#include "ui/sequence/sequencepainter.h"
#include "uifixture.h"

#include <QImage>
#include <QPainter>
#include <QtTest>

using namespace sockscope;
using core::Event;

namespace {

Event ev(std::int64_t n, std::int64_t t, core::EventPayload p)
{
    return Event{n, t, std::move(p)};
}

core::SyscallInfo call(std::int64_t id, std::string actor, std::string name, std::string sock, int fd = 3)
{
    core::SyscallInfo s;
    s.id = id;
    s.actor = std::move(actor);
    s.call = std::move(name);
    s.sock = std::move(sock);
    s.fd = fd;
    return s;
}

core::PacketInfo packet(std::string from, std::string to, std::uint8_t flags)
{
    core::PacketInfo p;
    p.from = std::move(from);
    p.to = std::move(to);
    p.flags = flags;
    return p;
}

constexpr std::uint8_t kSyn = 0x02, kAck = 0x10, kRst = 0x04;

} // namespace

class TestSequenceLayout : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { m_run.reset(uitest::loadFixture("handmade-rst.jsonl")); }

    // Rows and lanes of the hand-made close-with-unread-data run.
    void fixtureRows_data()
    {
        QTest::addColumn<int>("event");
        QTest::addColumn<int>("row");
        QTest::addColumn<QString>("lane");  // socket drawn on ("" for none)
        QTest::addColumn<QString>("lane2"); // packet receiver
        QTest::addColumn<bool>("merged");
        struct Row
        {
            const char *name;
            int event, row;
            const char *lane, *lane2;
            bool merged;
        };
        const Row rows[] = {
            {"server socket() merged", 2, 0, "", "", true},
            {"its return has no row", 3, -1, "", "", true},
            {"bind", 6, 1, "server.listen", "", true},
            {"LISTEN state", 11, 3, "server.listen", "", false},
            {"accept blocks", 14, 4, "server.listen", "", false},
            {"socket event: no row", 18, -1, "client.1", "", false},
            {"connect, handshake follows", 20, 6, "client.1", "", false},
            {"SYN to the listener", 21, 7, "client.1", "server.listen", false},
            {"SYN ACK from the child", 23, 9, "server.1", "client.1", false},
            {"connect returns on its own row", 28, 14, "client.1", "", false},
            {"accept returns", 30, 15, "server.listen", "", false},
            {"kernel state", 32, 16, "client.1", "", false},
            {"RST", 42, 22, "server.1", "client.1", false},
            {"recv ECONNRESET merged", 48, 26, "client.1", "", true},
            {"SIGPIPE", 54, 28, "client.1", "", false},
        };
        for (const Row &r : rows)
            QTest::newRow(r.name) << r.event << r.row << QString::fromLatin1(r.lane) << QString::fromLatin1(r.lane2)
                                  << r.merged;
    }
    void fixtureRows()
    {
        QFETCH(int, event);
        QFETCH(int, row);
        QFETCH(QString, lane);
        QFETCH(QString, lane2);
        QFETCH(bool, merged);
        const auto L = ui::SequenceLayout::compute(m_run, {});
        const auto &it = L.item(event);
        QCOMPARE(it.row, row);
        QCOMPARE(laneName(m_run, L, it.lane), lane);
        QCOMPARE(laneName(m_run, L, it.lane2), lane2);
        QCOMPARE(it.merged, merged);
        if (row >= 0) {
            QCOMPARE(L.rowEvents()[static_cast<size_t>(row)], event);
            QCOMPARE(double(it.y), L.scale().yForRow(row));
        }
    }

    void fixtureColumns()
    {
        ui::SequenceOptions o;
        const auto L = ui::SequenceLayout::compute(m_run, o);
        QCOMPARE(L.rowCount(), 30);
        QCOMPARE(L.lanes().size(), size_t(3));
        QCOMPARE(laneName(m_run, L, 0), QStringLiteral("server.listen"));
        QCOMPARE(laneName(m_run, L, 1), QStringLiteral("server.1"));
        QCOMPARE(laneName(m_run, L, 2), QStringLiteral("client.1"));
        QCOMPARE(L.groups().size(), size_t(2));
        QCOMPARE(L.groups()[0].side, ui::CallSide::Left);
        QCOMPARE(L.groups()[1].side, ui::CallSide::Right);
        // Lanes left to right; the arrow of the SYN ACK points left to right.
        QVERIFY(L.lanes()[0].x < L.lanes()[1].x && L.lanes()[1].x < L.lanes()[2].x);
        QCOMPARE(L.lanes()[1].x - L.lanes()[0].x, o.lanePitch);
        QVERIFY(L.groups()[1].x0 - L.groups()[0].x1 >= o.groupGap - 0.01);
        const QLineF a = L.arrow(23);
        QCOMPARE(a.x1(), L.lanes()[1].x);
        QCOMPARE(a.x2(), L.lanes()[2].x);
        QCOMPARE(a.y1(), a.y2());
        QCOMPARE(L.height(), 30 * o.rowHeight);
        QCOMPARE(L.width(), L.groups()[1].x1 + o.margin);
        // accept(), connect(), send() and close() have packets before their return: each spans to it.
        QCOMPARE(L.spans().size(), size_t(4));
        QCOMPARE(L.spans()[0].call, 14);
        QCOMPARE(L.spans()[0].ret, 30);
        // Hit testing: the RST's row, between the lanes.
        QCOMPARE(L.eventAt(QPointF((a.x1() + a.x2()) / 2, L.item(42).y + 3)), 42);
        QCOMPARE(L.laneAt(L.lanes()[2].x + 10), 2);
    }

    void revealLimitBlocks()
    {
        ui::SequenceOptions o;
        o.revealLimit = 20; // accept() and connect() have not returned yet
        const auto L = ui::SequenceLayout::compute(m_run, o);
        QCOMPARE(L.lastEvent(), 20);
        QCOMPARE(L.rowCount(), 7);
        QCOMPARE(L.spans().size(), size_t(2));
        for (const auto &s : L.spans()) {
            QCOMPARE(s.ret, -1);
            QCOMPARE(double(s.y1), L.height());
        }
        // Lanes never move while events are revealed; server.1 has no lifeline yet.
        const auto full = ui::SequenceLayout::compute(m_run, {});
        QCOMPARE(L.lanes()[2].x, full.lanes()[2].x);
        QVERIFY(L.laneTop(1) < 0);
        QVERIFY(L.laneTop(0) >= 0);
    }

    void proportionalTime()
    {
        ui::SequenceOptions o;
        o.mode = ui::TimeMode::Proportional;
        o.nsPerPx = 1000;
        const auto L = ui::SequenceLayout::compute(m_run, o);
        QVERIFY(L.scale().proportional);
        // Idle 10 ms before the client starts, 50 ms before close(): both collapsed.
        QCOMPARE(L.scale().gaps.size(), size_t(2));
        QCOMPARE(L.scale().gaps[0].t0, m_run.event(14).tNs);
        QCOMPARE(L.scale().gaps[0].t1, m_run.event(16).tNs);
        double prev = -1;
        for (int e : L.rowEvents()) {
            const float y = L.item(e).y;
            QCOMPARE(y, float(L.scale().yForTime(m_run.event(e).tNs)));
            QVERIFY(y >= prev);
            prev = y;
        }
        // Real time between two rows that are not separated by a gap.
        QVERIFY(qAbs(double(L.item(23).y - L.item(21).y) - double(m_run.event(23).tNs - m_run.event(21).tNs) / 1000.0) <
                0.01);
        // A merged return sits on its call's row.
        QCOMPARE(L.item(49).y, L.item(48).y);

        // Automatic scale: busy time fills about what the uniform rows would, plus the two gap bands.
        o.nsPerPx = 0;
        const auto A = ui::SequenceLayout::compute(m_run, o);
        QCOMPARE(A.height(), A.rowCount() * o.rowHeight + 2 * o.gapPx + o.rowHeight);
        o.timeZoom = 2;
        const auto Z = ui::SequenceLayout::compute(m_run, o);
        QCOMPARE(Z.scale().nsPerPx, A.scale().nsPerPx / 2);
    }

    // Sockets named in packets before their socket event still land under their actor, actors in
    // first-appearance order, sockets in first-appearance order within an actor.
    void laneOrderByActor_data()
    {
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("grouped") << QStringList{"server.listen", "server.1", "server.2", "client.1", "client.2", ""};
    }
    void laneOrderByActor()
    {
        QFETCH(QStringList, expected);
        std::vector<Event> v;
        std::int64_t n = 0;
        v.push_back(ev(n++, 10, core::StepInfo{0, "server", "L = socket(v4)", 1, {}}));
        v.push_back(ev(n++, 20, core::SocketInfo{"server.listen", "server", "listen", 3, "127.0.0.1:5000", ""}));
        v.push_back(ev(n++, 30, core::SocketInfo{"client.1", "client", "connect", 3, "", ""}));
        v.push_back(ev(n++, 40, packet("client.1", "server.listen", kSyn)));
        v.push_back(ev(n++, 50, packet("server.1", "client.1", kSyn | kAck)));
        v.push_back(ev(n++, 60, core::SocketInfo{"client.2", "client", "connect", 4, "", ""}));
        v.push_back(ev(n++, 70, packet("server.2", "client.2", kSyn | kAck)));
        v.push_back(ev(n++, 80, packet("", "client.2", kRst | kAck)));
        ui::RunModel run;
        run.reset(std::move(v));
        const auto L = ui::SequenceLayout::compute(run, {});
        QStringList got;
        for (int l = 0; l < static_cast<int>(L.lanes().size()); ++l)
            got << laneName(run, L, l);
        QCOMPARE(got, expected);
        QCOMPARE(L.laneOfNoSocket(), 5);
        QCOMPARE(L.groups().size(), size_t(3));
        QCOMPARE(L.groups()[1].side, ui::CallSide::Left); // three groups: every call column on the left
        QCOMPARE(L.item(7).lane, qint16(5));
        QCOMPARE(L.item(7).lane2, qint16(4));
    }

    void incrementalAppendMatchesReset()
    {
        const auto all = uitest::loadFixture("handmade-rst.jsonl");
        ui::RunModel run;
        int batches = 0;
        QObject::connect(&run, &ui::RunModel::eventsAppended, [&batches](int, int) { ++batches; });
        for (size_t i = 0; i < all.size(); i += 7)
            run.appendEvents(std::vector<Event>(all.begin() + static_cast<long>(i),
                                                all.begin() + static_cast<long>(std::min(all.size(), i + 7))));
        QCOMPARE(batches, static_cast<int>((all.size() + 6) / 7));
        const auto a = ui::SequenceLayout::compute(run, {});
        const auto b = ui::SequenceLayout::compute(m_run, {});
        QCOMPARE(a.rowCount(), b.rowCount());
        for (int e = 0; e <= a.lastEvent(); ++e) {
            QCOMPARE(a.item(e).row, b.item(e).row);
            QCOMPARE(a.item(e).lane, b.item(e).lane);
        }
    }

    // A streamed run laid out by append() batch after batch is the layout compute() gives the whole run: every
    // item, row, span and lifeline, in uniform rows and in real time at a fixed scale, batches of every size (a
    // call and its return in two batches, a blocked call that returns batches later).
    void appendMatchesCompute_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("batch");
        for (const char *name : {"handmade-rst", "run-close-unread-data", "run-backlog-full", "run-fin-then-rst",
                                 "run-reset-before-accept", "run-simultaneous-close"})
            for (int batch : {1, 2, 7, 40}) {
                QTest::addRow("%s uniform %d", name, batch)
                    << QString::fromLatin1(name) << int(ui::TimeMode::Uniform) << batch;
                QTest::addRow("%s real time %d", name, batch)
                    << QString::fromLatin1(name) << int(ui::TimeMode::Proportional) << batch;
            }
    }
    void appendMatchesCompute()
    {
        QFETCH(QString, fixture);
        QFETCH(int, mode);
        QFETCH(int, batch);
        const auto all = uitest::loadFixture(fixture.toStdString() + ".jsonl");
        ui::SequenceOptions o;
        o.mode = static_cast<ui::TimeMode>(mode);
        if (o.mode == ui::TimeMode::Proportional)
            o.nsPerPx = 20'000; // append() keeps a fixed scale only
        ui::RunModel run;
        ui::SequenceLayout L = ui::SequenceLayout::compute(run, o);
        int appended = 0;
        for (size_t i = 0; i < all.size(); i += static_cast<size_t>(batch)) {
            run.appendEvents(std::vector<Event>(all.begin() + static_cast<long>(i),
                                                all.begin() + static_cast<long>(std::min(all.size(), i + batch))));
            if (L.append(run))
                ++appended;
            else
                L = ui::SequenceLayout::compute(run, o);
        }
        QVERIFY2(appended * 2 > static_cast<int>(all.size()) / batch, "most batches bring no new socket");
        const auto W = ui::SequenceLayout::compute(run, o);
        QCOMPARE(L.lastEvent(), W.lastEvent());
        QVERIFY(L.rowEvents() == W.rowEvents());
        for (int e = 0; e <= W.lastEvent(); ++e) {
            const auto &a = L.item(e), &b = W.item(e);
            QVERIFY2(a.row == b.row && a.y == b.y && a.lane == b.lane && a.lane2 == b.lane2 && a.group == b.group &&
                         a.merged == b.merged,
                     qPrintable(QStringLiteral("event %1: row %2/%3 y %4/%5 merged %6/%7")
                                    .arg(e)
                                    .arg(a.row)
                                    .arg(b.row)
                                    .arg(a.y)
                                    .arg(b.y)
                                    .arg(a.merged)
                                    .arg(b.merged)));
        }
        QCOMPARE(L.spans().size(), W.spans().size());
        for (size_t k = 0; k < W.spans().size(); ++k) {
            const auto &a = L.spans()[k], &b = W.spans()[k];
            QVERIFY2(a.call == b.call && a.ret == b.ret && a.y0 == b.y0 && a.y1 == b.y1,
                     qPrintable(QStringLiteral("span %1: call %2/%3 ret %4/%5 y1 %6/%7")
                                    .arg(k)
                                    .arg(a.call)
                                    .arg(b.call)
                                    .arg(a.ret)
                                    .arg(b.ret)
                                    .arg(a.y1)
                                    .arg(b.y1)));
        }
        for (double y = 0; y < W.height(); y += W.height() / 37)
            QCOMPARE(L.firstSpanReaching(y), W.firstSpanReaching(y));
        QCOMPARE(L.height(), W.height());
        QCOMPARE(L.scale().gaps.size(), W.scale().gaps.size());
        for (int l = 0; l < static_cast<int>(W.lanes().size()); ++l) {
            QCOMPARE(L.laneTop(l), W.laneTop(l));
            QCOMPARE(L.laneBottom(l), W.laneBottom(l));
        }
    }

    // Where append() cannot keep the columns or the scale, it says so and leaves the layout as it was.
    void appendRefusesNewColumns()
    {
        const auto all = uitest::loadFixture("handmade-rst.jsonl");
        ui::RunModel run;
        run.appendEvents(std::vector<Event>(all.begin(), all.begin() + 3));
        auto L = ui::SequenceLayout::compute(run, {});
        const int before = L.lastEvent();
        run.appendEvents(std::vector<Event>(all.begin() + 3, all.end())); // brings the client's sockets
        QVERIFY(!L.append(run));
        QCOMPARE(L.lastEvent(), before);
        ui::SequenceOptions automatic;
        automatic.mode = ui::TimeMode::Proportional; // nsPerPx 0: the scale depends on the whole run
        ui::RunModel more;
        more.reset(std::vector<Event>(all.begin(), all.end() - 1));
        auto Q = ui::SequenceLayout::compute(more, automatic);
        more.appendEvents({all.back()});
        QVERIFY(!Q.append(more));
    }

    // The whole run painted for an export: a non-empty picture of the reported size. Written to
    // SOCKSCOPE_RENDER_DIR when set, to look at.
    void paintWholeRun_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("uniform") << int(ui::TimeMode::Uniform);
        QTest::newRow("proportional") << int(ui::TimeMode::Proportional);
    }
    void paintWholeRun()
    {
        QFETCH(int, mode);
        ui::SequenceOptions o;
        o.mode = static_cast<ui::TimeMode>(mode);
        const auto L = ui::SequenceLayout::compute(m_run, o);
        const ui::Theme theme = ui::Theme::print();
        ui::SequencePainter painter(m_run, L, theme);
        ui::SequencePainter::WholeOptions w;
        w.title = m_run.title();
        const QSizeF size = painter.wholeSize(w);
        QVERIFY(size.width() > 600 && size.height() > L.height());
        QImage img(size.toSize(), QImage::Format_ARGB32_Premultiplied);
        img.fill(Qt::transparent);
        {
            QPainter p(&img);
            painter.paintAll(p, QRectF(QPointF(0, 0), size), w);
        }
        // The RST's colour is on the picture.
        bool red = false;
        for (int y = 0; y < img.height() && !red; y += 1)
            for (int x = 0; x < img.width() && !red; x += 2)
                red = QColor(img.pixel(x, y)) == theme.segmentRst;
        QVERIFY(red);
        if (const QByteArray dir = qgetenv("SOCKSCOPE_RENDER_DIR"); !dir.isEmpty())
            img.save(QString::fromLocal8Bit(dir) + QStringLiteral("/sequence-%1.png").arg(QTest::currentDataTag()));
    }

    // Runs recorded by the real engine (sockscope run NAME --json): every drawn event has a place, rows go
    // down the page, and the whole run paints. PNGs land in SOCKSCOPE_RENDER_DIR when set.
    void realRuns_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<int>("mode");
        for (const char *name : {"close-unread-data", "connect-refused", "three-way-handshake", "passive-close",
                                 "active-close-time-wait", "simultaneous-open", "backlog-full"}) {
            QTest::addRow("%s uniform", name) << QString::fromLatin1(name) << int(ui::TimeMode::Uniform);
            QTest::addRow("%s real time", name) << QString::fromLatin1(name) << int(ui::TimeMode::Proportional);
        }
    }
    void realRuns()
    {
        QFETCH(QString, fixture);
        QFETCH(int, mode);
        ui::RunModel run;
        run.reset(uitest::loadFixture(fixture.toStdString() + ".jsonl"));
        ui::SequenceOptions o;
        o.mode = static_cast<ui::TimeMode>(mode);
        const auto L = ui::SequenceLayout::compute(run, o);
        QVERIFY(L.rowCount() > 0);
        float prev = -1;
        for (int e : L.rowEvents()) {
            const auto &it = L.item(e);
            QVERIFY(it.y >= prev);
            prev = it.y;
            switch (run.event(e).kind()) {
            case core::EventKind::Packet:
                QVERIFY2(it.lane >= 0 && it.lane2 >= 0, qPrintable(QString::number(e)));
                break;
            case core::EventKind::Syscall:
            case core::EventKind::Signal:
                QVERIFY2(it.group >= 0, qPrintable(QString::number(e)));
                break;
            case core::EventKind::State:
                QVERIFY2(it.lane >= 0, qPrintable(QString::number(e)));
                break;
            default:
                break;
            }
        }
        // Every socket has a lane, in actor order.
        int lastActor = -1;
        for (const auto &lane : L.lanes()) {
            if (lane.socketRow < 0)
                continue;
            const int a = run.actorIndex(run.sockets()[static_cast<size_t>(lane.socketRow)].actor);
            QVERIFY(a >= lastActor);
            lastActor = a;
        }
        const ui::Theme theme = ui::Theme::print();
        ui::SequencePainter painter(run, L, theme);
        ui::SequencePainter::WholeOptions w;
        w.title = run.title();
        const QSize size = painter.wholeSize(w).toSize();
        QImage img(size, QImage::Format_ARGB32_Premultiplied);
        {
            QPainter p(&img);
            painter.paintAll(p, QRectF(QPointF(0, 0), QSizeF(size)), w);
        }
        QCOMPARE(QColor(img.pixel(1, 1)), theme.background);
        if (const QByteArray dir = qgetenv("SOCKSCOPE_RENDER_DIR"); !dir.isEmpty())
            img.save(QString::fromLocal8Bit(dir) + QLatin1Char('/') +
                     QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-')) +
                     QStringLiteral(".png"));
    }

private:
    static QString laneName(const ui::RunModel &run, const ui::SequenceLayout &L, int lane)
    {
        if (lane < 0)
            return {};
        const int row = L.lanes()[static_cast<size_t>(lane)].socketRow;
        return row < 0 ? QString() : QString::fromStdString(run.sockets()[static_cast<size_t>(row)].sock);
    }
    ui::RunModel m_run;
};

QTEST_MAIN(TestSequenceLayout)
#include "test_sequencelayout.moc"
