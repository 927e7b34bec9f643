// SPDX-License-Identifier: GPL-3.0-or-later
// Every generated sentence follows from the run's own events: one test per rule of the step narrative and the
// event explanations, each on a REAL lab run of a built-in, asserting the facts the sentence claims (the
// RST that reached the socket, the shutdown before a write, the bytes queued, the FINs that crossed). Notes
// keep their sentences whole.

#include "core/scenario/builtins.h"
#include "tests/ui/uilab.h"
#include "ui/model/explanations.h"
#include "ui/model/notetext.h"
#include "ui/model/stepnarrative.h"

#include <QtTest>

using namespace sockscope;

namespace {

using uitest::runBuiltinEvents;

struct Sentence
{
    QString text;
    int first = 0; // the step range it was generated from
    int last = 0;
};

// Every step's sentences, as the explanation panel shows them.
std::vector<Sentence> narrate(const std::vector<core::Event> &events)
{
    std::vector<Sentence> out;
    int lastRange = -1;
    for (int i = 0; i < static_cast<int>(events.size()); ++i) {
        if (!events[static_cast<size_t>(i)].as<core::StepInfo>())
            continue;
        const auto [first, last] = ui::stepRange(events, i);
        if (first <= lastRange)
            continue;
        lastRange = last;
        for (const QString &t : ui::narrateEvents(events, first, last))
            out.push_back({t, first, last});
    }
    return out;
}

std::vector<Sentence> containing(const std::vector<Sentence> &all, const QString &needle)
{
    std::vector<Sentence> out;
    for (const Sentence &s : all)
        if (s.text.contains(needle))
            out.push_back(s);
    return out;
}

// The index of the return of the first call `call` on any socket whose return has errno `err` ("" = success)
// and value `ret`, within [first, last]; -1 if none.
struct CallAt
{
    int ret = -1;
    const core::SyscallInfo *call = nullptr;
};
CallAt findReturn(const std::vector<core::Event> &events, int first, int last, const std::string &call,
                  const std::string &err, std::int64_t ret)
{
    for (int i = first; i <= last; ++i)
        if (const auto *r = events[static_cast<size_t>(i)].as<core::ReturnInfo>(); r && r->err == err && r->ret == ret)
            for (const auto &e : events)
                if (const auto *c = e.as<core::SyscallInfo>(); c && c->id == r->id && c->call == call)
                    return {i, c};
    return {};
}

bool packetBefore(const std::vector<core::Event> &events, int before, const std::string &to, core::SegmentFlag flag)
{
    for (int i = 0; i < before; ++i)
        if (const auto *p = events[static_cast<size_t>(i)].as<core::PacketInfo>();
            p && p->to == to && core::hasFlag(p->flags, flag))
            return true;
    return false;
}

bool sentIn(const std::vector<core::Event> &events, int first, int last, const std::string &from,
            core::SegmentFlag flag)
{
    for (int i = first; i <= last; ++i)
        if (const auto *p = events[static_cast<size_t>(i)].as<core::PacketInfo>();
            p && p->from == from && core::hasFlag(p->flags, flag))
            return true;
    return false;
}

bool entered(const std::vector<core::Event> &events, core::TcpState state)
{
    return std::any_of(events.begin(), events.end(), [&](const core::Event &e) {
        const auto *s = e.as<core::StateInfo>();
        return s && s->to == state;
    });
}

// Data bytes that reached `sock` before `before`, minus those its reads returned.
std::int64_t unreadData(const std::vector<core::Event> &events, int before, const std::string &sock)
{
    std::int64_t got = 0, read = 0;
    std::vector<std::int64_t> reads;
    for (int i = 0; i < before; ++i) {
        const core::Event &e = events[static_cast<size_t>(i)];
        if (const auto *p = e.as<core::PacketInfo>(); p && p->to == sock)
            got += p->len;
        if (const auto *c = e.as<core::SyscallInfo>(); c && c->sock == sock && c->call == "recv")
            reads.push_back(c->id);
        if (const auto *r = e.as<core::ReturnInfo>();
            r && r->ret > 0 && std::find(reads.begin(), reads.end(), r->id) != reads.end())
            read += r->ret;
    }
    return got - read;
}

// Bytes send() took on `sock` before `before`.
std::int64_t writtenBefore(const std::vector<core::Event> &events, int before, const std::string &sock)
{
    std::vector<std::int64_t> sends;
    std::int64_t written = 0;
    for (int i = 0; i < before; ++i) {
        const core::Event &e = events[static_cast<size_t>(i)];
        if (const auto *c = e.as<core::SyscallInfo>(); c && c->sock == sock && c->call == "send")
            sends.push_back(c->id);
        if (const auto *r = e.as<core::ReturnInfo>();
            r && r->ret > 0 && std::find(sends.begin(), sends.end(), r->id) != sends.end())
            written += r->ret;
    }
    return written;
}

// The one sentence of a built-in's narrative that says "= -1 EPIPE", and the send() it is about (no call when
// there is not exactly one such sentence).
struct EpipeSaid
{
    std::vector<core::Event> events;
    std::vector<Sentence> said;
    CallAt at;
};
EpipeSaid epipeSaid(const char *builtin)
{
    EpipeSaid e;
    e.events = runBuiltinEvents(builtin);
    e.said = containing(narrate(e.events), QStringLiteral("= -1 EPIPE"));
    if (e.said.size() == 1)
        e.at = findReturn(e.events, e.said[0].first, e.said[0].last, "send", "EPIPE", -1);
    return e;
}

} // namespace

class TestTruthfulNarrative : public QObject
{
    Q_OBJECT
private slots:
    // half-close: the client's send after its own shutdown(SHUT_WR) fails with EPIPE; no RST was ever seen.
    void epipeAfterOwnShutdownNamesTheShutdown()
    {
        const EpipeSaid e = epipeSaid("half-close");
        QVERIFY(e.at.call);
        const QString &text = e.said[0].text;
        QVERIFY(!packetBefore(e.events, e.at.ret, e.at.call->sock, core::SegmentFlag::Rst));
        QVERIFY2(!text.contains(QStringLiteral("reset")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("shut down its own sending direction")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("raised SIGPIPE")), qPrintable(text));
    }

    // reset-then-send: the second send meets EPIPE after the peer's RST reached the socket.
    void epipeAfterRstNamesTheRst()
    {
        const EpipeSaid e = epipeSaid("reset-then-send");
        QVERIFY(e.at.call);
        const QString &text = e.said[0].text;
        QVERIFY(packetBefore(e.events, e.at.ret, e.at.call->sock, core::SegmentFlag::Rst));
        QVERIFY2(text.contains(QStringLiteral("RST from the peer")), qPrintable(text));
    }

    // reset-then-recv: ECONNRESET is said to come from a RST that did reach the socket; the later recv() = 0
    // is not called a FIN (none came).
    void econnresetAndRecvZeroAfterRst()
    {
        const auto events = runBuiltinEvents("reset-then-recv");
        const auto all = narrate(events);
        const auto reset = containing(all, QStringLiteral("= -1 ECONNRESET: a RST had arrived"));
        QCOMPARE(reset.size(), size_t(1));
        const CallAt at = findReturn(events, reset[0].first, reset[0].last, "recv", "ECONNRESET", -1);
        QVERIFY(at.call && packetBefore(events, at.ret, at.call->sock, core::SegmentFlag::Rst));
        const auto zero = containing(all, QStringLiteral("recv() = 0"));
        QCOMPARE(zero.size(), size_t(1));
        const CallAt z = findReturn(events, zero[0].first, zero[0].last, "recv", "", 0);
        QVERIFY(z.call);
        QVERIFY(!packetBefore(events, z.ret, z.call->sock, core::SegmentFlag::Fin));
        QVERIFY2(!zero[0].text.contains(QStringLiteral("FIN")), qPrintable(zero[0].text));
        QVERIFY2(zero[0].text.contains(QStringLiteral("reset")), qPrintable(zero[0].text));
        // "A RST reached X: ... reset (CLOSED)": the state change's cause is that RST.
        for (const Sentence &s : containing(all, QStringLiteral("A RST reached"))) {
            const QString sock = s.text.section(QLatin1Char(' '), 3, 3).chopped(1);
            QVERIFY2(sentIn(events, s.first, s.last, "", core::SegmentFlag::Rst) ||
                         packetBefore(events, s.last + 1, sock.toStdString(), core::SegmentFlag::Rst),
                     qPrintable(s.text));
        }
    }

    // half-close: "recv() = 0: ... FIN had arrived" only after the peer's FIN; "close() sends a FIN" only
    // where the socket sent one in that step; CLOSE_WAIT is said to come from a FIN.
    void finSentencesFollowTheFins()
    {
        const auto events = runBuiltinEvents("half-close");
        const auto all = narrate(events);
        const auto zero = containing(all, QStringLiteral("FIN had arrived"));
        QVERIFY(!zero.empty());
        for (const Sentence &s : zero) {
            const CallAt z = findReturn(events, s.first, s.last, "recv", "", 0);
            QVERIFY(z.call && packetBefore(events, z.ret, z.call->sock, core::SegmentFlag::Fin));
        }
        const auto fins = containing(all, QStringLiteral("close() sends a FIN: "));
        QVERIFY(!fins.empty());
        for (const Sentence &s : fins) {
            const std::string sock =
                s.text.section(QStringLiteral(": "), 1).section(QLatin1Char(' '), 0, 0).toStdString();
            QVERIFY2(sentIn(events, s.first, s.last, sock, core::SegmentFlag::Fin), qPrintable(s.text));
        }
        QVERIFY(!containing(all, QStringLiteral("CLOSE_WAIT")).empty());
        QVERIFY(entered(events, core::TcpState::CloseWait));
    }

    // close-unread-data: "close() with N unread bytes ... RST" where N data bytes were unread and the socket
    // sent the RST in that step.
    void closeWithUnreadDataCountsTheBytes()
    {
        const auto events = runBuiltinEvents("close-unread-data");
        const auto said = containing(narrate(events), QStringLiteral("unread bytes"));
        QCOMPARE(said.size(), size_t(1));
        for (int i = said[0].first; i <= said[0].last; ++i)
            if (const auto *c = events[static_cast<size_t>(i)].as<core::SyscallInfo>(); c && c->call == "close") {
                const std::int64_t n = unreadData(events, i, c->sock);
                QCOMPARE(n, std::int64_t(10));
                QVERIFY2(said[0].text.startsWith(QStringLiteral("close() with %1 unread bytes").arg(n)),
                         qPrintable(said[0].text));
                QVERIFY(sentIn(events, i, said[0].last, c->sock, core::SegmentFlag::Rst));
                return;
            }
        QFAIL("no close() in the step that said so");
    }

    // Queue reports: "N bytes received" only for data unread, "N bytes sent by the application" only for data
    // the application wrote and the peer has not acknowledged (connect-refused's kernel reports send_q 3 on a
    // socket that never sent data; half-close's FIN counts as one in both queues).
    void queueSentencesOnlyForQueuedBytes_data()
    {
        QTest::addColumn<QString>("scenario");
        for (const char *s : {"connect-refused", "half-close", "close-unread-data"})
            QTest::newRow(s) << QString::fromLatin1(s);
    }
    void queueSentencesOnlyForQueuedBytes()
    {
        QFETCH(QString, scenario);
        const auto events = runBuiltinEvents(scenario.toLatin1().constData());
        QRegularExpression received(QStringLiteral("(\\d+) bytes received")), sent(QStringLiteral("(\\d+) bytes sent"));
        int reports = 0, nonEmptyKernelFigures = 0;
        for (size_t i = 0; i < events.size(); ++i) {
            const auto *q = events[i].as<core::QueueInfo>();
            if (!q)
                continue;
            ++reports;
            const QString text = ui::explainEvent(events, i);
            const std::int64_t unread = unreadData(events, static_cast<int>(i), q->sock);
            const auto r = received.match(text);
            QCOMPARE(r.hasMatch(), unread > 0 && q->recvQ > 0);
            if (r.hasMatch())
                QCOMPARE(r.captured(1).toLongLong(), std::min(unread, q->recvQ));
            QVERIFY2(!text.contains(QStringLiteral("would send a RST")) || unread > 0, qPrintable(text));
            if (const auto s = sent.match(text); s.hasMatch()) {
                const std::int64_t written = writtenBefore(events, static_cast<int>(i), q->sock);
                QVERIFY2(s.captured(1).toLongLong() <= written, qPrintable(text));
            }
            nonEmptyKernelFigures += q->sendQ > 0 || q->recvQ > 0;
        }
        QVERIFY(reports > 0);
        QVERIFY(nonEmptyKernelFigures > 0);
    }

    // simultaneous-close: "The FINs crossed" only in runs where a socket went through CLOSING; the step note
    // that describes the crossing gets a caveat exactly when they did not cross.
    void crossingFinsOnlyWhereTheyCrossed()
    {
        const core::Scenario s = uitest::builtin("simultaneous-close");
        QString note;
        for (const auto &step : s.steps)
            if (!step.note.empty())
                note = QString::fromStdString(step.note);
        QVERIFY(note.contains(QStringLiteral("CLOSING")));
        for (int run = 0; run < 4; ++run) {
            const auto events = runBuiltinEvents("simultaneous-close");
            const bool crossed = entered(events, core::TcpState::Closing);
            QCOMPARE(!containing(narrate(events), QStringLiteral("The FINs crossed")).empty(), crossed);
            QCOMPARE(ui::noteCaveat(events, note).isEmpty(), crossed);
        }
        // The same note against a run that cannot cross (half-close): the caveat names CLOSING only.
        const auto halfClose = runBuiltinEvents("half-close");
        QVERIFY(!entered(halfClose, core::TcpState::Closing));
        const QString caveat = ui::noteCaveat(halfClose, note);
        QVERIFY2(caveat.contains(QStringLiteral("no socket entered CLOSING ")), qPrintable(caveat));
    }

    // Every built-in's summary, notes and step notes: each paragraph is whole sentences.
    void notesKeepSentencesWhole()
    {
        int paragraphs = 0;
        for (const core::Scenario &s : core::parsedBuiltins()) {
            QStringList texts{QString::fromStdString(s.summary), QString::fromStdString(s.notes)};
            for (const auto &step : s.steps)
                texts << QString::fromStdString(step.note);
            for (const QString &text : std::as_const(texts))
                for (const QString &p : ui::noteParagraphs(text)) {
                    ++paragraphs;
                    QVERIFY2(p.endsWith(QLatin1Char('.')) || p.endsWith(QLatin1Char('?')) ||
                                 p.endsWith(QLatin1Char('!')) || p.endsWith(QStringLiteral(".)")) ||
                                 p.endsWith(QStringLiteral(".\"")),
                             qPrintable(QString::fromStdString(s.name) + QStringLiteral(": ") + p));
                }
        }
        QVERIFY(paragraphs > 50);
    }
};

QTEST_GUILESS_MAIN(TestTruthfulNarrative)
#include "test_truthfulnarrative.moc"
