// SPDX-License-Identifier: GPL-3.0-or-later
// The explanation texts as plain values: errno, RST cause, states, signals.

#include "core/stream/eventtext.h"
#include "ui/model/explanations.h"
#include "uifixture.h"

#include <QtTest>

using namespace sockscope;

class TestExplanations : public QObject
{
    Q_OBJECT
private slots:
    void errnoTexts()
    {
        const char *const rows[][2] = {
            {"ECONNRESET", "RST"},      {"EPIPE", "SIGPIPE"},        {"ECONNREFUSED", "nobody listens"},
            {"EAGAIN", "non-blocking"}, {"EINPROGRESS", "SO_ERROR"}, {"ENOTCONN", "Not connected"}};
        for (const auto &[err, needle] : rows) {
            const QString text = ui::errnoExplanation(QString::fromLatin1(err));
            QVERIFY2(text.contains(QLatin1String(needle)), qPrintable(QLatin1String(err) + QLatin1String(": ") + text));
        }
    }
    void unknownErrnoIsEmpty() { QVERIFY(ui::errnoExplanation(QStringLiteral("EFOO")).isEmpty()); }

    void everyStateHasText()
    {
        for (int i = 0; i < core::kTcpStateCount; ++i) {
            const auto state = static_cast<core::TcpState>(i);
            const QString name = QString::fromUtf8(core::stateName(state).data(), core::stateName(state).size());
            QVERIFY2(ui::stateExplanation(state).startsWith(name), qPrintable(name));
        }
    }
    void sigpipeDefaultAction() { QVERIFY(ui::signalExplanation(QStringLiteral("SIGPIPE")).contains("terminate")); }

    void rstAfterCloseWithUnreadData()
    {
        const auto events = uitest::loadFixture("handmade-ui-close-unread.jsonl");
        std::size_t rst = events.size();
        for (std::size_t i = 0; i < events.size(); ++i)
            if (const auto *p = events[i].as<core::PacketInfo>(); p && core::hasFlag(p->flags, core::SegmentFlag::Rst))
                rst = i;
        QVERIFY(rst < events.size());
        QCOMPARE(ui::classifyRst(events, rst), ui::RstCause::ClosedWithUnreadData);
        QVERIFY(ui::explainEvent(events, rst).contains("unread"));
    }
    // A derived CLOSED that a timer made: its own retransmission as cause, or none after TIME_WAIT/FIN_WAIT_2.
    void timerCloses()
    {
        std::vector<core::Event> events;
        core::PacketInfo retx;
        retx.from = "client.1";
        retx.to = "server.1";
        retx.flags =
            static_cast<std::uint8_t>(core::SegmentFlag::Psh) | static_cast<std::uint8_t>(core::SegmentFlag::Ack);
        retx.len = 100;
        retx.retx = 3;
        events.push_back(core::Event{0, 10, retx});
        auto state = [](const char *sock, core::TcpState from, std::int64_t cause) {
            core::StateInfo s;
            s.sock = sock;
            s.from = from;
            s.to = core::TcpState::Closed;
            s.source = core::StateSource::Derived;
            s.cause = cause;
            return s;
        };
        events.push_back(core::Event{1, 20, state("client.1", core::TcpState::Established, 0)});
        events.push_back(core::Event{2, 30, state("client.2", core::TcpState::TimeWait, -1)});
        events.push_back(core::Event{3, 40, state("client.3", core::TcpState::FinWait2, -1)});
        events.push_back(
            core::Event{4, 50, state("server.1", core::TcpState::Established, 0)}); // the peer's: not its timer
        QVERIFY2(ui::explainEvent(events, 1).contains("ETIMEDOUT"), qPrintable(ui::explainEvent(events, 1)));
        QVERIFY(ui::explainEvent(events, 2).contains("TIME_WAIT timer expired"));
        QVERIFY(ui::explainEvent(events, 3).contains("tcp_fin_timeout"));
        QVERIFY(!ui::explainEvent(events, 4).contains("timer"));
    }
    // Every timer kind and change has a text; a TIME_WAIT restart says why (the retransmitted FIN) and that no
    // state changes.
    void timerEvents()
    {
        using K = core::TimerKind;
        using C = core::TimerChange;
        for (int k = 1; k < core::kTimerKindCount; ++k)
            for (int c = 0; c < core::kTimerChangeCount; ++c) {
                if (static_cast<C>(c) == C::Stopped)
                    continue;
                const core::TimerInfo t{"client.1", static_cast<K>(k), static_cast<C>(c), 1000, 1, 200};
                const std::vector<core::Event> events{core::Event{0, 5, t}};
                QVERIFY2(!ui::explainEvent(events, 0).isEmpty(), core::timerText(t).c_str());
            }
        const core::TimerInfo restart{"client.1", K::TimeWait, C::Restarted, 60000, 0, 205};
        const QString text = ui::explainEvent(std::vector<core::Event>{core::Event{0, 5, restart}}, 0);
        QVERIFY2(text.contains("retransmitted FIN") && text.contains("205 ms") &&
                     text.contains("state does not change"),
                 qPrintable(text));
        QVERIFY2(text.contains("The kernel's timer of client.1"), qPrintable(text));
    }
    void rstFromClosedPort()
    {
        std::vector<core::Event> events(2);
        events[0].payload = core::PacketInfo{"client.1", "", "127.0.0.1:40000", "127.0.0.1:5000", 0x02, 0, 0, 0, 0, ""};
        events[1].payload = core::PacketInfo{"", "client.1", "127.0.0.1:5000", "127.0.0.1:40000", 0x14, 0, 1, 0, 0, ""};
        QCOMPARE(ui::classifyRst(events, 1), ui::RstCause::ConnectionRefused);
    }
    void rstAfterLingerZero()
    {
        std::vector<core::Event> events(4);
        core::SyscallInfo opt{
            1,
            0,
            "client",
            "setsockopt",
            4,
            "client.1",
            {{"option", "SO_LINGER", false}, {"value", "1", true}, {"linger", "0", true}}}; // as the lab writes it
        events[0].payload = opt;
        events[1].payload = core::ReturnInfo{1, 0, "", 10, std::nullopt};
        events[2].payload = core::SyscallInfo{2, 1, "client", "close", 4, "client.1", {}};
        events[3].payload = core::PacketInfo{"client.1", "server.1", "a", "b", 0x14, 1, 1, 0, 0, ""};
        QCOMPARE(ui::classifyRst(events, 3), ui::RstCause::LingerZero);
    }
    void rstToDataAfterClose()
    {
        std::vector<core::Event> events(4);
        events[0].payload = core::SyscallInfo{1, 0, "server", "close", 5, "server.1", {}};
        events[1].payload = core::PacketInfo{"server.1", "client.1", "a", "b", 0x11, 1, 1, 0, 0, ""};
        events[2].payload = core::PacketInfo{"client.1", "server.1", "b", "a", 0x18, 1, 2, 10, 0, ""};
        events[3].payload = core::PacketInfo{"server.1", "client.1", "a", "b", 0x04, 2, 0, 0, 0, ""};
        QCOMPARE(ui::classifyRst(events, 3), ui::RstCause::SegmentToClosedSocket);
    }
    void errnoReturnIsExplained()
    {
        const auto events = uitest::loadFixture("handmade-ui-close-unread.jsonl");
        bool sawEconnreset = false, sawSigpipe = false;
        for (std::size_t i = 0; i < events.size(); ++i) {
            if (const auto *r = events[i].as<core::ReturnInfo>(); r && r->err == "ECONNRESET")
                sawEconnreset = ui::explainEvent(events, i).contains("reset by peer");
            if (events[i].as<core::SignalInfo>())
                sawSigpipe = ui::explainEvent(events, i).contains("default action");
        }
        QVERIFY(sawEconnreset);
        QVERIFY(sawSigpipe);
    }
};

QTEST_GUILESS_MAIN(TestExplanations)
#include "test_explanations.moc"
