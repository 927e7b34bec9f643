// SPDX-License-Identifier: GPL-3.0-or-later
// StateTracker with hand-written expectations: derived changes and their causes, the SYN/FIN receives that
// wait while the owner holds the socket lock, and the judgement of kernel snapshots, table-driven, with the
// snapshots that must be flagged as contradictions and the ones that must not.
#include "core/model/statetracker.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

using namespace sockscope::core;

namespace {

constexpr std::uint8_t F = 0x01, S = 0x02, R = 0x04, A = 0x10;
constexpr std::int64_t kMs = 1000000;

struct Change
{
    int sock;
    TcpState from, to;
    std::int64_t t;
    long cause;
    bool operator==(const Change &) const = default;
};

std::ostream &operator<<(std::ostream &os, const Change &c)
{
    return os << "{sock " << c.sock << " " << stateName(c.from) << "->" << stateName(c.to) << " t=" << c.t
              << " cause=" << c.cause << "}";
}

struct Fixture
{
    std::vector<Change> changes;
    StateTracker tracker;
    explicit Fixture(bool capture = true)
        : tracker(capture, [this](int sock, TcpState from, TcpState to, std::int64_t t, long cause) {
              changes.push_back({sock, from, to, t, cause});
          })
    {
    }
    // An established active opener: our ISS 1000, the peer's 5000; changes cleared.
    int established(std::int64_t t = 0)
    {
        int s = tracker.add(TcpState::Closed, t);
        tracker.sent(s, {S, 1000, 0, 0}, t + 1, 0);
        tracker.received(s, {S | A, 5000, 1001, 0}, t + 2, 1);
        changes.clear();
        return s;
    }
};

TEST(StateTracker, ReportsEachDerivedChangeWithItsCause)
{
    Fixture f;
    int s = f.tracker.add(TcpState::Closed, 0);
    f.tracker.sent(s, {S, 1000, 0, 0}, 10, 3);
    f.tracker.received(s, {S | A, 5000, 1001, 0}, 20, 4);
    f.tracker.sent(s, {A, 1001, 5001, 0}, 21, 5); // no change, no report
    f.tracker.call(s, MachineCall::Close, 30, 6); // the FIN does it
    f.tracker.sent(s, {F | A, 1001, 5001, 0}, 31, 7);
    const std::vector<Change> want = {
        {s, TcpState::Closed, TcpState::SynSent, 10, 3},
        {s, TcpState::SynSent, TcpState::Established, 20, 4},
        {s, TcpState::Established, TcpState::FinWait1, 31, 7},
    };
    EXPECT_EQ(f.changes, want);
    const std::vector<std::pair<std::int64_t, TcpState>> history = {
        {0, TcpState::Closed}, {10, TcpState::SynSent}, {20, TcpState::Established}, {31, TcpState::FinWait1}};
    EXPECT_EQ(f.tracker.history(s), history);
}

TEST(StateTracker, PassiveChildAndListener)
{
    Fixture f;
    int l = f.tracker.add(TcpState::Closed, 0);
    f.tracker.call(l, MachineCall::Listen, 5, 1);
    int child = f.tracker.add(TcpState::Listen, 10);
    f.tracker.startPassive(child, 10, 2);
    f.tracker.sent(child, {S | A, 5000, 1001, 0}, 11, 3);
    f.tracker.received(child, {A, 1001, 5001, 0}, 12, 4);
    const std::vector<Change> want = {
        {l, TcpState::Closed, TcpState::Listen, 5, 1},
        {child, TcpState::Listen, TcpState::SynReceived, 10, 2},
        {child, TcpState::SynReceived, TcpState::Established, 12, 4},
    };
    EXPECT_EQ(f.changes, want);
    EXPECT_EQ(f.tracker.state(l), TcpState::Listen);
}

// The peer's FIN arrives while our close() holds the lock. When our own FIN acknowledges it, the kernel had
// processed it first: CLOSE_WAIT at the FIN's own time, then LAST_ACK. When it does not, ours went first and
// theirs was processed when the lock was released, at our segment's time: a simultaneous close.
TEST(StateTracker, DeferredFinCountsFirstOnlyWhenOurSendAcknowledgesIt)
{
    struct Row
    {
        std::uint32_t ourAck;
        TcpState first, second; // from ESTABLISHED to first, then to second
        std::int64_t firstT;
        long firstCause, secondCause;
    };
    const Row rows[] = {
        {5002, TcpState::CloseWait, TcpState::LastAck, 105, 10, 11},
        {5001, TcpState::FinWait1, TcpState::Closing, 110, 11, 10},
    };
    for (const Row &r : rows) {
        SCOPED_TRACE(r.ourAck);
        Fixture f;
        int s = f.established();
        f.tracker.callEntered(1, s, Call::Close, 100);
        f.tracker.received(s, {F | A, 5001, 1001, 0}, 105, 10);
        EXPECT_TRUE(f.changes.empty()) << "waits for the lock";
        f.tracker.sent(s, {F | A, 1001, r.ourAck, 0}, 110, 11);
        const std::vector<Change> want = {
            {s, TcpState::Established, r.first, r.firstT, r.firstCause},
            {s, r.first, r.second, 110, r.secondCause},
        };
        EXPECT_EQ(f.changes, want);
    }
}

TEST(StateTracker, DeferredReceiveAppliesAtItsOwnTimeWhenTheCallReturns)
{
    Fixture f;
    int s = f.established();
    f.tracker.callEntered(1, s, Call::Shutdown, 100);
    f.tracker.received(s, {F | A, 5001, 1001, 0}, 105, 10);
    f.tracker.received(s, {A, 5002, 1001, 0}, 106, 11); // FIFO: waits behind the FIN
    EXPECT_TRUE(f.changes.empty());
    f.tracker.callReturned(1, s);
    const std::vector<Change> want = {{s, TcpState::Established, TcpState::CloseWait, 105, 10}};
    EXPECT_EQ(f.changes, want);
    // The lock is free again: the next FIN is applied at once.
    f.tracker.sent(s, {F | A, 1001, 5002, 0}, 120, 12);
    f.tracker.received(s, {A, 5002, 1002, 0}, 121, 13);
    EXPECT_EQ(f.tracker.state(s), TcpState::Closed);
}

TEST(StateTracker, OnlySynAndFinWaitAndOnlyForTheLockHoldersSocket)
{
    struct Row
    {
        std::string name;
        Call call;
        bool sameSocket;
        std::int64_t enteredAt;
        std::uint8_t flags;
        bool waits;
    };
    const std::vector<Row> rows = {
        {"FinDuringClose", Call::Close, true, 100, F | A, true},
        {"FinDuringShutdown", Call::Shutdown, true, 100, F | A, true},
        {"FinDuringConnect", Call::Connect, true, 100, F | A, true},
        {"FinDuringRecv", Call::Recv, true, 100, F | A, false},
        {"FinDuringSend", Call::Send, true, 100, F | A, false},
        {"FinDuringCloseOfAnotherSocket", Call::Close, false, 100, F | A, false},
        {"FinBeforeTheCloseEntered", Call::Close, true, 200, F | A, false},
        {"RstDuringClose", Call::Close, true, 100, R, false},
        {"AckDuringClose", Call::Close, true, 100, A, false},
    };
    for (const auto &r : rows) {
        Fixture f;
        int s = f.established();
        int other = f.established();
        f.tracker.callEntered(1, r.sameSocket ? s : other, r.call, r.enteredAt);
        f.tracker.received(s, {r.flags, 5001, 1001, 0}, 150, 10);
        EXPECT_EQ(f.changes.empty() || r.flags == A, r.waits || r.flags == A) << r.name;
        f.tracker.applyDeferred(); // the end of the batch: nothing stays deferred
        TcpState want = r.flags == A ? TcpState::Established : r.flags == R ? TcpState::Closed : TcpState::CloseWait;
        EXPECT_EQ(stateName(f.tracker.state(s)), stateName(want)) << r.name;
        if (r.flags != A)
            EXPECT_EQ(f.changes.back().t, 150) << r.name;
    }
}

// Kernel snapshots against a derived history, one row per case. The socket's derived history is
// CLOSED(0) -> SYN_SENT(1ms) -> ESTABLISHED(2ms) -> FIN_WAIT_1(10ms) -> TIME_WAIT(10.2ms).
struct JudgeRow
{
    std::string name;
    std::int64_t t0, t1;
    TcpState kernel;
    bool fromFd;
    bool conflict;
    bool capture = true;
    std::optional<TcpState> reported = std::nullopt; // the state the verdict reports, when not `kernel`
};

void PrintTo(const JudgeRow &row, std::ostream *os)
{
    *os << row.name;
}

class KernelJudgement : public testing::TestWithParam<JudgeRow>
{
};

TEST_P(KernelJudgement, FlagsContradictionsOnly)
{
    const JudgeRow &r = GetParam();
    Fixture f(r.capture);
    int s = f.tracker.add(TcpState::Closed, 0);
    f.tracker.sent(s, {S, 1000, 0, 0}, 1 * kMs, 0);
    f.tracker.received(s, {S | A, 5000, 1001, 0}, 2 * kMs, 1);
    f.tracker.sent(s, {A, 1001, 5001, 0}, 2 * kMs + 10000, 1); // processed: acknowledged
    f.tracker.sent(s, {F | A, 1001, 5001, 0}, 10 * kMs, 2);
    f.tracker.received(s, {F | A, 5001, 1002, 0}, 10 * kMs + 200000, 3);
    f.tracker.sent(s, {A, 1002, 5002, 0}, 10 * kMs + 210000, 3);
    ASSERT_EQ(f.tracker.state(s), TcpState::TimeWait);
    f.tracker.observe({s, r.t0, r.t1, r.kernel, r.fromFd});
    auto verdicts = f.tracker.judgeObservations();
    EXPECT_EQ(f.tracker.conflicts(), r.conflict ? 1 : 0);
    const TcpState reported = r.reported.value_or(r.kernel);
    // A first sighting is news unless it is a consistent CLOSED (the state a socket starts in).
    if (!r.conflict && reported == TcpState::Closed) {
        EXPECT_TRUE(verdicts.empty());
        return;
    }
    ASSERT_EQ(verdicts.size(), 1u);
    EXPECT_EQ(verdicts[0].conflict, r.conflict);
    EXPECT_EQ(stateName(verdicts[0].to), stateName(reported));
    EXPECT_EQ(verdicts[0].tNs, r.t1) << "never before the end of the snapshot";
}

INSTANTIATE_TEST_SUITE_P(
    StateTracker, KernelJudgement,
    testing::Values(
        JudgeRow{"AgreesWhileEstablished", 5 * kMs, 5 * kMs, TcpState::Established, true, false},
        JudgeRow{"AgreesFromDiag", 5 * kMs, 6 * kMs, TcpState::Established, false, false},
        JudgeRow{"ContradictsWhileEstablished", 5 * kMs, 5 * kMs, TcpState::CloseWait, true, true},
        JudgeRow{"ContradictsFromDiag", 5 * kMs, 6 * kMs, TcpState::SynSent, false, true},
        JudgeRow{"LaterStateWithinTheTolerance", 9 * kMs + 500000, 9 * kMs + 500000, TcpState::FinWait1, true, false},
        JudgeRow{"EarlierStateWithinTheTolerance", 2 * kMs + 900000, 2 * kMs + 900000, TcpState::SynSent, true, false},
        JudgeRow{"LaterStateTooEarly", 8 * kMs, 8 * kMs, TcpState::FinWait1, true, true},
        JudgeRow{"EarlierStateTooLate", 4 * kMs, 4 * kMs, TcpState::SynSent, true, true},
        JudgeRow{"WideSnapshotSeesEveryStateInside", 3 * kMs, 12 * kMs, TcpState::FinWait1, false, false},
        JudgeRow{"TimeWaitFromDiag", 20 * kMs, 21 * kMs, TcpState::TimeWait, false, false},
        // The fd of a TIME_WAIT connection reads CLOSE from TCP_INFO: the minisocket took over, and the state
        // reported is the one sock_diag lists, TIME_WAIT.
        JudgeRow{"TimeWaitFdReadsClose", 20 * kMs, 20 * kMs, TcpState::Closed, true, false, true, TcpState::TimeWait},
        JudgeRow{"CloseFromDiagIsNotTimeWait", 20 * kMs, 21 * kMs, TcpState::Closed, false, true},
        // ... except from a dump that ran while the minisocket took over: it caught the full socket ending.
        JudgeRow{"CloseFromDiagAtTheHandover", 10 * kMs, 10 * kMs + 300000, TcpState::Closed, false, false, true,
                 TcpState::TimeWait},
        JudgeRow{"CloseFromDiagJustAfterTheHandover", 11 * kMs, 11 * kMs, TcpState::Closed, false, false, true,
                 TcpState::TimeWait},
        // Linux passes FIN_WAIT_2 for an instant between FIN_WAIT_1 and TIME_WAIT.
        JudgeRow{"FinWait2BetweenFinWait1AndTimeWait", 10 * kMs + 100000, 10 * kMs + 100000, TcpState::FinWait2, true,
                 false},
        JudgeRow{"FinWait2LongAfter", 20 * kMs, 20 * kMs, TcpState::FinWait2, true, true},
        JudgeRow{"LastAckNever", 5 * kMs, 5 * kMs, TcpState::LastAck, false, true},
        JudgeRow{"NoCaptureNothingToContradict", 5 * kMs, 5 * kMs, TcpState::CloseWait, true, false, false}),
    [](const testing::TestParamInfo<JudgeRow> &info) { return info.param.name; });

TEST(StateTracker, RepeatedSnapshotsReportOnlyNews)
{
    Fixture f;
    int s = f.tracker.add(TcpState::Closed, 0);
    auto judge = [&](std::int64_t t, TcpState kernel) {
        f.tracker.observe({s, t, t, kernel, true});
        return f.tracker.judgeObservations();
    };
    EXPECT_TRUE(judge(1 * kMs, TcpState::Closed).empty()) << "a just-created socket seen CLOSED says nothing new";
    f.tracker.sent(s, {S, 1000, 0, 0}, 2 * kMs, 0);
    auto v = judge(5 * kMs, TcpState::SynSent);
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].from, TcpState::Closed);
    EXPECT_FALSE(v[0].conflict);
    EXPECT_TRUE(judge(6 * kMs, TcpState::SynSent).empty()) << "same state, still consistent";
    v = judge(7 * kMs, TcpState::Established); // the SYN|ACK was not seen (yet)
    ASSERT_EQ(v.size(), 1u);
    EXPECT_TRUE(v[0].conflict);
    EXPECT_EQ(v[0].derived, TcpState::SynSent);
    EXPECT_TRUE(judge(8 * kMs, TcpState::Established).empty()) << "the same contradiction is counted once";
    EXPECT_EQ(f.tracker.conflicts(), 1);
    f.tracker.received(s, {S | A, 5000, 1001, 0}, 8 * kMs, 1);
    v = judge(20 * kMs, TcpState::Established); // the model caught up: the contradiction ends
    ASSERT_EQ(v.size(), 1u);
    EXPECT_FALSE(v[0].conflict);
    EXPECT_EQ(f.tracker.conflicts(), 1);
}

// Loopback stamps a segment when it queues it for the receive softirq, which a loaded machine runs
// milliseconds later: until the socket shows it processed the segment, the state before it is no
// contradiction. The proofs: its acknowledgement (for a segment that occupies sequence space), a snapshot of
// the state it led to, or, with neither, 50 ms.
TEST(StateTracker, ReceivedSegmentMayWaitForTheSoftirqUntilProvedProcessed)
{
    struct Row
    {
        const char *name;
        bool acknowledged;           // our ACK of their SYN|ACK left at 8 ms
        std::int64_t newStateSeenNs; // a snapshot showed ESTABLISHED then (0: none)
        std::int64_t oldStateSeenNs; // the snapshot of SYN_SENT judged
        bool conflict;
    };
    const Row rows[] = {
        {"NotYetProcessed", false, 0, 6 * kMs, false},
        {"StillUnprocessedNearTheLimit", false, 0, 50 * kMs, false},
        {"LongerThanAnySoftirqDelay", false, 0, 60 * kMs, true},
        {"BeforeOurAcknowledgement", true, 0, 6 * kMs, false},
        {"AfterOurAcknowledgement", true, 0, 12 * kMs, true},
        {"AfterTheKernelShowedTheNewState", false, 9 * kMs, 12 * kMs, true},
    };
    for (const Row &r : rows) {
        Fixture f;
        int s = f.tracker.add(TcpState::Closed, 0);
        f.tracker.sent(s, {S, 1000, 0, 0}, 1 * kMs, 0);
        f.tracker.received(s, {S | A, 5000, 1001, 0}, 2 * kMs, 1);
        if (r.acknowledged)
            f.tracker.sent(s, {A, 1001, 5001, 0}, 8 * kMs, 1);
        if (r.newStateSeenNs)
            f.tracker.observe({s, r.newStateSeenNs, r.newStateSeenNs, TcpState::Established, false});
        f.tracker.observe({s, r.oldStateSeenNs, r.oldStateSeenNs, TcpState::SynSent, false});
        f.tracker.judgeObservations();
        EXPECT_EQ(f.tracker.conflicts(), r.conflict ? 1 : 0) << r.name;
    }
}

// The CI case: the handshake's last ACK occupies no sequence space, so only a snapshot or the limit ends it.
TEST(StateTracker, AcceptedChildMayStillShowSynReceivedJustAfterTheLastAck)
{
    for (std::int64_t snapshotAt : {6 * kMs, 80 * kMs}) {
        Fixture f;
        int child = f.tracker.add(TcpState::Listen, 0);
        f.tracker.startPassive(child, 0, 1);
        f.tracker.sent(child, {S | A, 5000, 1001, 0}, 10000, 2);
        f.tracker.received(child, {A, 1001, 5001, 0}, 20000, 3);
        ASSERT_EQ(f.tracker.state(child), TcpState::Established);
        f.tracker.observe({child, snapshotAt, snapshotAt, TcpState::SynReceived, false});
        f.tracker.judgeObservations();
        EXPECT_EQ(f.tracker.conflicts(), snapshotAt > 50 * kMs ? 1 : 0) << "snapshot at " << snapshotAt;
    }
}

// Seed 109 of the differential run: an orphan in FIN_WAIT_1 gets the ACK of its FIN and, 11 us later, the
// peer's RST. Processed on two CPUs at once, the RST can find the full socket already closed by the handover to
// the FIN_WAIT_2 minisocket and be discarded (the kernel then showed FIN_WAIT_2 52 ms later). The race needs
// the minisocket (an orphan) and a RST the handover did not precede (no snapshot between them).
TEST(StateTracker, RstRacingTheHandoverToAMinisocketMayBeDiscarded)
{
    struct Row
    {
        const char *name;
        bool orphan;               // close() returned before the ACK (shutdown(SHUT_WR) otherwise)
        bool fw2SeenBeforeRst;     // a snapshot proved the ACK processed before the RST came
        std::int64_t closedSeenNs; // a snapshot showed the socket CLOSED then (0: none)
        std::int64_t fw2SeenNs;    // the snapshot of FIN_WAIT_2 judged
        bool conflict;
    };
    const Row rows[] = {
        {"OrphanRstMayHaveBeenDiscarded", true, false, 0, 62 * kMs, false},
        {"LongAfterwards", true, false, 0, 5000 * kMs, false},
        {"AFullSocketTakesTheRst", false, false, 0, 62 * kMs, true},
        {"TheHandoverCameFirst", true, true, 0, 62 * kMs, true},
        {"TheKernelShowedItClosed", true, false, 30 * kMs, 62 * kMs, true},
    };
    for (const Row &r : rows) {
        Fixture f;
        int s = f.established();
        f.tracker.sent(s, {F | A, 1001, 5001, 0}, 5 * kMs, 2);
        f.tracker.call(s, r.orphan ? MachineCall::Close : MachineCall::ShutdownWrite, 5 * kMs + 100, 3);
        f.tracker.received(s, {A, 5001, 1002, 0}, 10 * kMs, 4);
        ASSERT_EQ(f.tracker.state(s), TcpState::FinWait2) << r.name;
        if (r.fw2SeenBeforeRst)
            f.tracker.observe({s, 10 * kMs + 2000, 10 * kMs + 5000, TcpState::FinWait2, false});
        f.tracker.received(s, {R | A, 5001, 1002, 0}, 10 * kMs + 11000, 5);
        ASSERT_EQ(f.tracker.state(s), TcpState::Closed) << r.name;
        if (r.closedSeenNs)
            f.tracker.observe({s, r.closedSeenNs, r.closedSeenNs, TcpState::Closed, false});
        f.tracker.observe({s, r.fw2SeenNs, r.fw2SeenNs, TcpState::FinWait2, false});
        f.tracker.judgeObservations();
        EXPECT_EQ(f.tracker.conflicts(), r.conflict ? 1 : 0) << r.name;
    }
}

// The same race on the way into TIME_WAIT (a minisocket with or without a descriptor left); its fd's CLOSE read
// afterwards stays CLOSE, since with the RST processed that is exactly what the kernel shows.
TEST(StateTracker, RstRacingTheHandoverToTimeWaitMayBeDiscarded)
{
    Fixture f;
    int s = f.established();
    f.tracker.sent(s, {F | A, 1001, 5001, 0}, 5 * kMs, 2);
    f.tracker.received(s, {F | A, 5001, 1002, 0}, 10 * kMs, 3);
    ASSERT_EQ(f.tracker.state(s), TcpState::TimeWait);
    f.tracker.received(s, {R, 5002, 0, 0}, 10 * kMs + 11000, 4);
    ASSERT_EQ(f.tracker.state(s), TcpState::Closed);
    f.tracker.observe({s, 70 * kMs, 70 * kMs, TcpState::TimeWait, false});
    f.tracker.observe({s, 80 * kMs, 80 * kMs, TcpState::Closed, true});
    std::vector<TcpState> reported;
    for (const auto &v : f.tracker.judgeObservations())
        reported.push_back(v.to);
    EXPECT_EQ(f.tracker.conflicts(), 0);
    EXPECT_EQ(reported, (std::vector<TcpState>{TcpState::TimeWait, TcpState::Closed}));
}

// The issue-9 case: TCP_INFO of the fd reads CLOSE while sock_diag lists TIME_WAIT; neither contradicts.
TEST(StateTracker, TimeWaitFdAndDiagTogetherAreConsistent)
{
    Fixture f;
    int s = f.established();
    f.tracker.sent(s, {F | A, 1001, 5001, 0}, 10 * kMs, 2);
    f.tracker.received(s, {F | A, 5001, 1002, 0}, 10 * kMs + 100, 3);
    std::vector<TcpState> reported;
    for (int i = 0; i < 3; ++i) {
        std::int64_t t = (20 + 10 * i) * kMs;
        f.tracker.observe({s, t, t, TcpState::Closed, true});
        f.tracker.observe({s, t + 1, t + 2, TcpState::TimeWait, false});
        for (const auto &v : f.tracker.judgeObservations()) {
            EXPECT_FALSE(v.conflict) << "at " << t << ": kernel " << stateName(v.to);
            reported.push_back(v.to);
        }
    }
    EXPECT_EQ(f.tracker.conflicts(), 0);
    // One kernel state, reported once: no CLOSED/TIME_WAIT flapping.
    EXPECT_EQ(reported, std::vector<TcpState>{TcpState::TimeWait});
}

// close() or shutdown() behind unsent data: the call returns (or lingers) before its FIN leaves.
TEST(StateTracker, FinQueuedBehindDataChangesTheStateAtTheCall)
{
    Fixture f;
    int s = f.established();
    f.tracker.callEntered(7, s, Call::Close, 10 * kMs);
    f.tracker.finCallEntered(7, s, 10 * kMs, 20);
    f.tracker.callReturned(7, s, true);
    const std::vector<Change> want = {{s, TcpState::Established, TcpState::FinWait1, 10 * kMs, 20}};
    EXPECT_EQ(f.changes, want);
    f.tracker.sent(s, {F | A, 301001, 5001, 0}, 50 * kMs, 21); // the FIN, long after: no change
    f.tracker.received(s, {A, 5001, 301002, 0}, 51 * kMs, 22);
    ASSERT_EQ(f.changes.size(), 2u);
    EXPECT_EQ(f.changes[1], (Change{s, TcpState::FinWait1, TcpState::FinWait2, 51 * kMs, 22}));
}

// A FIN or RST that leaves inside the call changes the state at the segment: shutdown()'s FIN, or close()'s RST
// with unread data (which is no FIN_WAIT_1).
// close() sets LAST_ACK before it builds the FIN; preempted in between, a snapshot taken after the call began
// and before the FIN left shows LAST_ACK: no contradiction. Before the call began it would be one.
TEST(StateTracker, FinCallsNewStateMayShowBeforeItsFinLeaves)
{
    for (std::int64_t snapshotAt : {11 * kMs, 8 * kMs}) { // 8 ms: before the call, beyond the 1 ms tolerance
        Fixture f;
        int s = f.established();
        f.tracker.received(s, {F | A, 5001, 1001, 0}, 5 * kMs, 10);
        f.tracker.sent(s, {A, 1001, 5002, 0}, 5 * kMs + 10, 10);
        ASSERT_EQ(f.tracker.state(s), TcpState::CloseWait);
        f.tracker.callEntered(7, s, Call::Close, 10 * kMs);
        f.tracker.finCallEntered(7, s, 10 * kMs, 20);
        f.tracker.sent(s, {F | A, 1001, 5002, 0}, 13 * kMs, 21); // 3 ms after the call began
        f.tracker.callReturned(7, s, true, 13 * kMs + 10);
        ASSERT_EQ(f.tracker.history(s).back().first, 13 * kMs) << "still dated at the FIN";
        f.tracker.observe({s, snapshotAt, snapshotAt, TcpState::LastAck, false});
        f.tracker.judgeObservations();
        EXPECT_EQ(f.tracker.conflicts(), snapshotAt < 10 * kMs ? 1 : 0) << "snapshot at " << snapshotAt;
    }
}

// Differential seed 192: connect() entered at 10 ms, the kernel showed SYN_SENT at 10.3 ms, and the SYN was
// stamped at 11.5 ms (the thread was preempted between setting the state and sending the SYN).
TEST(StateTracker, ConnectsSynSentMayShowBeforeItsSynLeaves)
{
    for (std::int64_t snapshotAt : {10 * kMs + 300000, 8 * kMs}) { // 8 ms: before the call, beyond the tolerance
        Fixture f;
        int s = f.tracker.add(TcpState::Closed, 0);
        f.tracker.callEntered(7, s, Call::Connect, 10 * kMs);
        f.tracker.sent(s, {S, 1000, 0, 0}, 11 * kMs + 500000, 1);
        f.tracker.received(s, {R | A, 0, 1001, 0}, 11 * kMs + 500100, 2);
        f.tracker.callReturned(7, s, false, 11 * kMs + 600000);
        f.tracker.observe({s, snapshotAt, snapshotAt, TcpState::SynSent, false});
        f.tracker.judgeObservations();
        EXPECT_EQ(f.tracker.conflicts(), snapshotAt < 10 * kMs ? 1 : 0) << "snapshot at " << snapshotAt;
    }
}

TEST(StateTracker, SegmentInsideTheCallChangesTheStateAtTheSegment)
{
    struct Row
    {
        const char *what;
        std::optional<Call> entered; // the call's entry as the scheduler saw it, if it did
        std::uint8_t flags;
        TcpState to;
    };
    const Row rows[] = {
        {"FIN inside shutdown()", Call::Shutdown, F | A, TcpState::FinWait1},
        {"RST inside close()", std::nullopt, R | A, TcpState::Closed},
    };
    for (const Row &r : rows) {
        SCOPED_TRACE(r.what);
        Fixture f;
        int s = f.established();
        if (r.entered)
            f.tracker.callEntered(7, s, *r.entered, 10 * kMs);
        f.tracker.finCallEntered(7, s, 10 * kMs, 20);
        f.tracker.sent(s, {r.flags, 1001, 5001, 0}, 10 * kMs + 5, 21);
        f.tracker.callReturned(7, s, true);
        const std::vector<Change> want = {{s, TcpState::Established, r.to, 10 * kMs + 5, 21}};
        EXPECT_EQ(f.changes, want);
    }
}

TEST(StateTracker, LingeringCloseIsInFinWait1WhileItBlocks)
{
    Fixture f;
    int s = f.established();
    f.tracker.finCallEntered(7, s, 10 * kMs, 20);
    f.tracker.applyDeferred(); // the batch ends, close() still blocks
    const std::vector<Change> want = {{s, TcpState::Established, TcpState::FinWait1, 10 * kMs, 20}};
    EXPECT_EQ(f.changes, want);
    f.tracker.observe({s, 12 * kMs, 12 * kMs, TcpState::FinWait1, false});
    EXPECT_FALSE(f.tracker.judgeObservations().at(0).conflict);
    f.tracker.callReturned(7, s, true); // decided already: no second change
    EXPECT_EQ(f.changes, want);
}

// Differential seed 2007 (repro/exit-behind-lingering-close.scn): exit() closes its fds in order; the first
// lingers, so a socket after it is still ESTABLISHED while the call blocks, and is released when it is reached:
// both states are possible until its FIN leaves; the one that lingers is in FIN_WAIT_1 from the call's start.
TEST(StateTracker, ExitsLaterClosesWaitBehindALingeringOne)
{
    for (TcpState shown : {TcpState::Established, TcpState::FinWait1}) {
        SCOPED_TRACE(stateName(shown));
        Fixture f;
        int first = f.established();
        int later = f.established();
        f.tracker.callEntered(7, first, Call::Exit, 10 * kMs);
        f.tracker.finCallEntered(7, first, 10 * kMs, 20);
        f.tracker.callEntered(7, later, Call::Exit, 10 * kMs);
        f.tracker.finCallEntered(7, later, 10 * kMs, 20, true);
        f.tracker.applyDeferred(); // the batch ends, exit() still blocks
        const std::vector<Change> lingering = {{first, TcpState::Established, TcpState::FinWait1, 10 * kMs, 20}};
        EXPECT_EQ(f.changes, lingering) << "the later socket's close is not dated yet";
        f.tracker.observe({later, 12 * kMs, 12 * kMs, shown, false});
        f.tracker.observe({first, 12 * kMs, 12 * kMs, TcpState::Established, false});
        const auto verdicts = f.tracker.judgeObservations();
        ASSERT_EQ(verdicts.size(), 2u);
        EXPECT_FALSE(verdicts[0].conflict) << "the later socket may or may not be reached";
        EXPECT_TRUE(verdicts[1].conflict) << "the lingering socket left ESTABLISHED at the call's start";
        f.tracker.sent(later, {F | A, 1001, 5001, 0}, 14 * kMs, 21); // reached: its FIN leaves
        ASSERT_EQ(f.changes.size(), 2u);
        EXPECT_EQ(f.changes[1], (Change{later, TcpState::Established, TcpState::FinWait1, 14 * kMs, 21}));
        f.tracker.observe({later, 15 * kMs, 15 * kMs, TcpState::Established, false});
        EXPECT_TRUE(f.tracker.judgeObservations().at(0).conflict) << "its FIN left: ESTABLISHED no longer";
    }
}

TEST(StateTracker, FailedShutdownChangesNothing)
{
    Fixture f;
    int s = f.tracker.add(TcpState::Closed, 0);
    f.tracker.finCallEntered(7, s, 10 * kMs, 20);
    f.tracker.callReturned(7, s, false); // ENOTCONN

    EXPECT_TRUE(f.changes.empty());
    int e = f.established();
    f.tracker.finCallEntered(8, e, 10 * kMs, 20);
    f.tracker.callReturned(8, e, false);
    EXPECT_TRUE(f.changes.empty());
}

} // namespace

// An orphan entering FIN_WAIT_2 becomes a minisocket too: a dump that caught the full socket ending reads
// CLOSE, reported as FIN_WAIT_2; a CLOSE long after the handover is a contradiction.
TEST(StateTracker, OrphanFinWait2HandoverReadsCloseOnlyAtTheHandover)
{
    Fixture f;
    int s = f.established();
    f.tracker.sent(s, {F | A, 1001, 5001, 0}, 10 * kMs, 2);
    f.tracker.received(s, {A, 5001, 1002, 0}, 10 * kMs + 100000, 3);
    ASSERT_EQ(f.tracker.state(s), TcpState::FinWait2);
    f.tracker.observe({s, 10 * kMs + 120000, 10 * kMs + 150000, TcpState::Closed, false});
    auto v = f.tracker.judgeObservations();
    ASSERT_EQ(v.size(), 1u);
    EXPECT_FALSE(v[0].conflict);
    EXPECT_EQ(v[0].to, TcpState::FinWait2);
    f.tracker.observe({s, 10 * kMs + 200000, 10 * kMs + 210000, TcpState::FinWait2, false});
    EXPECT_TRUE(f.tracker.judgeObservations().empty()) << "the minisocket's FIN_WAIT_2 is no news: no flapping";
    f.tracker.observe({s, 30 * kMs, 31 * kMs, TcpState::Closed, false});
    v = f.tracker.judgeObservations();
    ASSERT_EQ(v.size(), 1u);
    EXPECT_TRUE(v[0].conflict);
    EXPECT_EQ(f.tracker.conflicts(), 1);
}

// A segment that waited for the socket lock is dated at its arrival, but the kernel processed it when the
// lock was released, at the latest when the call returned: until then a snapshot of the state before it is
// consistent; after that it is a contradiction.
TEST(StateTracker, DeferredReceiveMayShowTheOldStateUntilTheCallReturns)
{
    // 3 ms: before the return. 60 ms: after it, and after the longest softirq delay allowed for (no ACK proves it)
    for (std::int64_t snapshotAt : {3 * kMs, 60 * kMs}) {
        Fixture f;
        int s = f.tracker.add(TcpState::Closed, 0);
        f.tracker.callEntered(1, s, Call::Connect, 10);
        f.tracker.sent(s, {S, 1000, 0, 0}, 20, 0);
        f.tracker.received(s, {S, 5000, 0, 0}, 30, 1); // simultaneous open: the peer's SYN
        f.tracker.sent(s, {S | A, 1000, 5001, 0}, 40, 2);
        f.tracker.received(s, {S | A, 5000, 1001, 0}, 150, 3); // waits for connect()'s lock
        f.tracker.callReturned(1, s, true, 5 * kMs);
        ASSERT_EQ(f.tracker.state(s), TcpState::Established);
        EXPECT_EQ(f.tracker.history(s).back().first, 150) << "dated at its arrival";
        f.tracker.observe({s, snapshotAt, snapshotAt, TcpState::SynReceived, false});
        auto v = f.tracker.judgeObservations();
        ASSERT_EQ(v.size(), 1u);
        EXPECT_EQ(v[0].conflict, snapshotAt > 50 * kMs) << "snapshot at " << snapshotAt;
    }
}

// listen() is dated at its return, but the kernel's LISTEN begins inside the call: the lab's sampler, dumping
// every millisecond while the call runs, may see LISTEN before the return is stamped (a loaded machine once
// preempted the actor for over a millisecond there, and the run reported `the kernel says LISTEN, the model says
// CLOSED`). Inside the call that is consistent; before the call it is a contradiction.
TEST(StateTracker, ListenSeenInsideTheCallIsConsistent)
{
    for (std::int64_t snapshotAt : {4 * kMs, 1 * kMs}) {
        Fixture f;
        int s = f.tracker.add(TcpState::Closed, 0);
        f.tracker.callChangedDuring(s, MachineCall::Listen, 3 * kMs, 8 * kMs, 1);
        ASSERT_EQ(f.tracker.state(s), TcpState::Listen);
        EXPECT_EQ(f.tracker.history(s).back().first, 8 * kMs) << "dated at the return";
        f.tracker.observe({s, snapshotAt, snapshotAt, TcpState::Listen, false});
        auto v = f.tracker.judgeObservations();
        ASSERT_EQ(v.size(), 1u);
        EXPECT_EQ(v[0].conflict, snapshotAt < 2 * kMs) << "snapshot at " << snapshotAt;
    }
}
