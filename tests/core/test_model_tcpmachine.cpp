// SPDX-License-Identifier: GPL-3.0-or-later
// TcpMachine, table-driven: every RFC 9293 transition it implements, including the ones no built-in reaches,
// with hand-written expectations. Each row drives one machine through a sequence of segments and calls and
// names the state after each. Our ISS is 1000 on active opens and 5000 on passive ones; the peer uses the other.
#include "core/model/tcpmachine.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace sockscope::core;

namespace {

constexpr std::uint8_t F = 0x01, S = 0x02, R = 0x04, A = 0x10;
using St = TcpState;

enum class Do
{
    Send,
    Recv,
    Listen,
    Close,
    ShutRd,
    ShutWr,
    FinQueued,
    TupleTaken,
    Passive
};

struct Input
{
    Do what;
    std::uint8_t flags = 0;
    std::uint32_t seq = 0, ack = 0, len = 0;
    St after = St::Closed;
};

Input send(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, St after, std::uint32_t len = 0)
{
    return {Do::Send, flags, seq, ack, len, after};
}
Input recv(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, St after, std::uint32_t len = 0)
{
    return {Do::Recv, flags, seq, ack, len, after};
}
Input call(Do what, St after)
{
    return {what, 0, 0, 0, 0, after};
}

// Active open to ESTABLISHED: our SYN 1000, the peer's SYN|ACK 5000 acking 1001.
std::vector<Input> established(std::vector<Input> then)
{
    std::vector<Input> all{send(S, 1000, 0, St::SynSent), recv(S | A, 5000, 1001, St::Established)};
    all.insert(all.end(), then.begin(), then.end());
    return all;
}
// Passive open to SYN_RECEIVED: the listener's child, our SYN|ACK 5000 answering the peer's 1000.
std::vector<Input> synReceived(std::vector<Input> then)
{
    std::vector<Input> all{call(Do::Passive, St::SynReceived), send(S | A, 5000, 1001, St::SynReceived)};
    all.insert(all.end(), then.begin(), then.end());
    return all;
}

struct Row
{
    std::string name;
    std::vector<Input> inputs;
    St initial = St::Closed;
};

std::vector<Row> rows()
{
    return {
        // Opening
        {"ActiveOpenSendsSyn", {send(S, 1000, 0, St::SynSent)}},
        {"SynSentSynAckAckingSynEstablishes",
         {send(S, 1000, 0, St::SynSent), recv(S | A, 5000, 1001, St::Established)}},
        {"SynSentSynAckWithUnacceptableAckIsIgnored",
         {send(S, 1000, 0, St::SynSent), recv(S | A, 5000, 1234, St::SynSent),
          recv(S | A, 5000, 1001, St::Established)}},
        {"SynSentRetransmittedSynStays", {send(S, 1000, 0, St::SynSent), send(S, 1000, 0, St::SynSent)}},
        {"SynSentRstWithAcceptableAckCloses", {send(S, 1000, 0, St::SynSent), recv(R | A, 0, 1001, St::Closed)}},
        {"SynSentRstWithUnacceptableAckIsIgnored", {send(S, 1000, 0, St::SynSent), recv(R | A, 0, 1000, St::SynSent)}},
        {"SynSentAnswersUnacceptableAckWithRstAndStays",
         {send(S, 1000, 0, St::SynSent), recv(A, 5000, 777, St::SynSent), send(R, 777, 0, St::SynSent),
          send(S, 1000, 0, St::SynSent), recv(S | A, 5000, 1001, St::Established)}},
        {"SynSentRstWithoutAckIsIgnored", {send(S, 1000, 0, St::SynSent), recv(R, 5000, 0, St::SynSent)}},
        {"SynSentFinWithoutSynIsIgnored", {send(S, 1000, 0, St::SynSent), recv(F | A, 5001, 1001, St::SynSent)}},
        {"SynSentCloseEndsTheAttempt", {send(S, 1000, 0, St::SynSent), call(Do::Close, St::Closed)}},
        {"SimultaneousOpenSynSentSynToSynReceived",
         {send(S, 1000, 0, St::SynSent), recv(S, 5000, 0, St::SynReceived), send(S | A, 1000, 5001, St::SynReceived),
          recv(S | A, 5000, 1001, St::Established)}},
        {"SimultaneousOpenCompletedByPlainAck",
         {send(S, 1000, 0, St::SynSent), recv(S, 5000, 0, St::SynReceived), send(S | A, 1000, 5001, St::SynReceived),
          recv(A, 5001, 1001, St::Established)}},
        {"SimultaneousOpenSynAckNotAckingOurSynStays",
         {send(S, 1000, 0, St::SynSent), recv(S, 5000, 0, St::SynReceived), recv(S | A, 5000, 999, St::SynReceived)}},
        {"NewConnectAfterRefusalStartsOverWithNewIss",
         {send(S, 1000, 0, St::SynSent), recv(R | A, 0, 1001, St::Closed), send(S, 7000, 0, St::SynSent),
          recv(R | A, 0, 1001, St::SynSent), recv(S | A, 5000, 7001, St::Established)}},
        {"ListenFromClosed", {call(Do::Listen, St::Listen)}},
        {"ListenIgnoresRst", {call(Do::Listen, St::Listen), recv(R, 1, 0, St::Listen)}},
        {"ListenAnswersWithRstAndStays", {call(Do::Listen, St::Listen), send(R | A, 0, 1001, St::Listen)}},
        {"ListenCloseEnds", {call(Do::Listen, St::Listen), call(Do::Close, St::Closed)}},
        {"ListenOnlyFromClosed", established({call(Do::Listen, St::Established)})},
        {"PassiveChildStartsInSynReceived", {call(Do::Passive, St::SynReceived)}, St::Listen},
        {"SynReceivedAckOfOurSynEstablishes", synReceived({recv(A, 1001, 5001, St::Established)})},
        {"SynReceivedAckNotCoveringOurSynStays", synReceived({recv(A, 1001, 5000, St::SynReceived)})},
        {"SynReceivedRetransmittedSynStays", synReceived({recv(S, 1000, 0, St::SynReceived)})},
        {"SynReceivedRstCloses", synReceived({recv(R, 1001, 0, St::Closed)})},
        {"SynReceivedFinAckEntersCloseWait", synReceived({recv(F | A, 1001, 5001, St::CloseWait)})},
        {"SynReceivedFinWithoutAckIsDropped", synReceived({recv(F, 1001, 0, St::SynReceived)})},
        {"SynReceivedCloseSendsFin", synReceived({send(F | A, 5001, 1001, St::FinWait1)})},
        {"SynReceivedSendsRstAndCloses", synReceived({send(R, 5001, 0, St::Closed)})},
        // Data does not move a synchronised connection.
        {"EstablishedDataStays",
         established({send(A, 1001, 5001, St::Established, 100), recv(A, 5001, 1101, St::Established, 50)})},
        {"EstablishedCloseCallWaitsForTheFin", established({call(Do::Close, St::Established)})},
        // Active close
        {"ActiveCloseThroughFinWait2",
         established({send(F | A, 1001, 5001, St::FinWait1), recv(A, 5001, 1002, St::FinWait2),
                      recv(F | A, 5001, 1002, St::TimeWait)})},
        {"FinWait1AckNotCoveringFinStays",
         established({send(F | A, 1001, 5001, St::FinWait1), recv(A, 5001, 1001, St::FinWait1)})},
        {"FinWait1FinAckCoveringFinToTimeWait",
         established({send(F | A, 1001, 5001, St::FinWait1), recv(F | A, 5001, 1002, St::TimeWait)})},
        {"FinAfterDataIsAckedOnlyPastTheData",
         established({send(F | A, 1001, 5001, St::FinWait1, 10), recv(A, 5001, 1011, St::FinWait1),
                      recv(A, 5001, 1012, St::FinWait2)})},
        {"SimultaneousCloseThroughClosing",
         established({send(F | A, 1001, 5001, St::FinWait1), recv(F | A, 5001, 1001, St::Closing),
                      recv(F | A, 5001, 1001, St::Closing), recv(A, 5002, 1002, St::TimeWait)})},
        {"TimeWaitIgnoresRetransmittedFin",
         established({send(F | A, 1001, 5001, St::FinWait1), recv(F | A, 5001, 1002, St::TimeWait),
                      recv(F | A, 5001, 1002, St::TimeWait), send(A, 1002, 5002, St::TimeWait)})},
        // Passive close
        {"PassiveCloseThroughLastAck",
         established({recv(F | A, 5001, 1001, St::CloseWait), send(F | A, 1001, 5002, St::LastAck),
                      recv(A, 5002, 1002, St::Closed)})},
        {"LastAckAckNotCoveringFinStays",
         established({recv(F | A, 5001, 1001, St::CloseWait), send(F | A, 1001, 5002, St::LastAck),
                      recv(A, 5002, 1001, St::LastAck)})},
        {"CloseWaitDataStays",
         established({recv(F | A, 5001, 1001, St::CloseWait), send(A, 1001, 5002, St::CloseWait, 10)})},
        // Resets
        {"EstablishedRstCloses", established({recv(R, 5001, 0, St::Closed)})},
        {"EstablishedSendsRstAndCloses", established({send(R | A, 1001, 5001, St::Closed)})},
        {"FinWait1RstCloses", established({send(F | A, 1001, 5001, St::FinWait1), recv(R, 5001, 0, St::Closed)})},
        {"FinWait2RstCloses", established({send(F | A, 1001, 5001, St::FinWait1), recv(A, 5001, 1002, St::FinWait2),
                                           recv(R, 5001, 0, St::Closed)})},
        {"CloseWaitRstCloses", established({recv(F | A, 5001, 1001, St::CloseWait), recv(R, 5002, 0, St::Closed)})},
        {"ClosingRstCloses", established({send(F | A, 1001, 5001, St::FinWait1), recv(F | A, 5001, 1001, St::Closing),
                                          recv(R, 5002, 0, St::Closed)})},
        {"LastAckRstCloses", established({recv(F | A, 5001, 1001, St::CloseWait), send(F | A, 1001, 5002, St::LastAck),
                                          recv(R, 5002, 0, St::Closed)})},
        // Linux's default (tcp_rfc1337 = 0) lets a RST end TIME_WAIT.
        {"TimeWaitRstCloses", established({send(F | A, 1001, 5001, St::FinWait1), recv(F | A, 5001, 1002, St::TimeWait),
                                           recv(R, 5002, 0, St::Closed)})},
        {"TimeWaitAnswersWithRstAndStays",
         established({send(F | A, 1001, 5001, St::FinWait1), recv(F | A, 5001, 1002, St::TimeWait),
                      send(R, 1002, 0, St::TimeWait)})},
        {"ClosedAnswersWithRstAndStays", {send(R | A, 0, 1001, St::Closed)}},
        {"ClosedIgnoresRst", {recv(R, 0, 0, St::Closed)}},
        {"ClosedCloseDoesNothing", {call(Do::Close, St::Closed)}},
        // shutdown(): a listener stops listening (and may listen again), a connect() in progress ends.
        {"ListenShutdownReadEnds", {call(Do::Listen, St::Listen), call(Do::ShutRd, St::Closed)}},
        {"ListenShutdownWriteKeepsListening", {call(Do::Listen, St::Listen), call(Do::ShutWr, St::Listen)}},
        {"ListenAgainAfterShutdown",
         {call(Do::Listen, St::Listen), call(Do::ShutRd, St::Closed), call(Do::Listen, St::Listen)}},
        {"SynSentShutdownReadEndsTheAttempt", {send(S, 1000, 0, St::SynSent), call(Do::ShutRd, St::Closed)}},
        {"SynSentShutdownWriteEndsTheAttempt", {send(S, 1000, 0, St::SynSent), call(Do::ShutWr, St::Closed)}},
        {"EstablishedShutdownCallWaitsForItsFin",
         established({call(Do::ShutWr, St::Established), call(Do::ShutRd, St::Established)})},
        // close()/shutdown() behind unsent data: the state changes at the call, the FIN leaves later.
        {"EstablishedFinQueuedToFinWait1",
         established({call(Do::FinQueued, St::FinWait1), send(F | A, 1001, 5001, St::FinWait1, 300),
                      recv(A, 5001, 1302, St::FinWait2)})},
        {"CloseWaitFinQueuedToLastAck",
         established({recv(F | A, 5001, 1001, St::CloseWait), call(Do::FinQueued, St::LastAck),
                      send(F | A, 1001, 5002, St::LastAck), recv(A, 5002, 1002, St::Closed)})},
        {"SynReceivedFinQueuedToFinWait1", synReceived({call(Do::FinQueued, St::FinWait1)})},
        {"ListenFinQueuedDoesNothing", {call(Do::Listen, St::Listen), call(Do::FinQueued, St::Listen)}},
        {"FinWait1FinQueuedAgainStays",
         established({call(Do::FinQueued, St::FinWait1), call(Do::FinQueued, St::FinWait1)})},
        // A new connect() took the 4-tuple: the TIME_WAIT minisocket (also an orphan's FIN_WAIT_2) is killed; a
        // full socket keeps it (the connect() fails with EADDRNOTAVAIL, so this never happens to one).
        {"TimeWaitTupleTakenCloses",
         established({send(F | A, 1001, 5001, St::FinWait1), recv(F | A, 5001, 1002, St::TimeWait),
                      call(Do::TupleTaken, St::Closed)})},
        {"FinWait2TupleTakenCloses",
         established({send(F | A, 1001, 5001, St::FinWait1), recv(A, 5001, 1002, St::FinWait2),
                      call(Do::TupleTaken, St::Closed)})},
        {"EstablishedTupleTakenStays", established({call(Do::TupleTaken, St::Established)})},
        // A socket connected to itself: each segment is sent and received by the same machine.
        {"SelfConnectThroughClosingToTimeWait",
         {send(S, 1000, 0, St::SynSent), recv(S, 1000, 0, St::SynReceived), send(S | A, 1000, 1001, St::SynReceived),
          recv(S | A, 1000, 1001, St::Established), send(F | A, 1001, 1001, St::FinWait1),
          recv(F | A, 1001, 1001, St::Closing), send(A, 1002, 1002, St::Closing), recv(A, 1002, 1002, St::TimeWait)}},
        // Serial-number arithmetic: the FIN's sequence number wraps past 2^32.
        {"FinAckedAcrossSequenceWrap",
         {send(S, 0xfffffff0u, 0, St::SynSent), recv(S | A, 5000, 0xfffffff1u, St::Established),
          send(F | A, 0xfffffff1u, 5001, St::FinWait1, 15), recv(A, 5001, 0xffffffffu, St::FinWait1),
          recv(A, 5001, 0x00000001u, St::FinWait2)}},
    };
}

void PrintTo(const Row &row, std::ostream *os)
{
    *os << row.name;
}

class Transitions : public testing::TestWithParam<Row>
{
};

TEST_P(Transitions, FollowRfc9293)
{
    const Row &row = GetParam();
    TcpMachine m(row.initial);
    for (size_t i = 0; i < row.inputs.size(); ++i) {
        const Input &in = row.inputs[i];
        const TcpState before = m.state();
        std::optional<TcpState> changed;
        switch (in.what) {
        case Do::Send:
            changed = m.onSend(in.flags, in.seq, in.ack, in.len);
            break;
        case Do::Recv:
            changed = m.onReceive(in.flags, in.seq, in.ack, in.len);
            break;
        case Do::Listen:
            changed = m.onCall(MachineCall::Listen);
            break;
        case Do::Close:
            changed = m.onCall(MachineCall::Close);
            break;
        case Do::ShutRd:
            changed = m.onCall(MachineCall::ShutdownRead);
            break;
        case Do::ShutWr:
            changed = m.onCall(MachineCall::ShutdownWrite);
            break;
        case Do::FinQueued:
            changed = m.onCall(MachineCall::FinQueued);
            break;
        case Do::TupleTaken:
            changed = m.onCall(MachineCall::TupleTaken);
            break;
        case Do::Passive:
            m.startPassive();
            changed = m.state() != before ? std::optional(m.state()) : std::nullopt;
            break;
        }
        EXPECT_EQ(stateName(m.state()), stateName(in.after)) << "after input " << i + 1;
        // The return value reports exactly the changes, so the builder emits one event per change.
        EXPECT_EQ(changed.has_value(), in.after != before) << "after input " << i + 1;
        if (changed)
            EXPECT_EQ(stateName(*changed), stateName(in.after)) << "after input " << i + 1;
    }
}

INSTANTIATE_TEST_SUITE_P(TcpMachine, Transitions, testing::ValuesIn(rows()),
                         [](const testing::TestParamInfo<Row> &info) { return info.param.name; });

} // namespace

// TCP_DEFER_ACCEPT on the listener: the child stays SYN_RECEIVED over the handshake's pure ACK (the kernel drops
// it) and is established by the first data, or by a FIN; without it the pure ACK establishes.
TEST(TcpMachine, DeferAcceptWaitsForData)
{
    for (bool defer : {true, false}) {
        TcpMachine m;
        m.startPassive(defer);
        m.onSend(kTcpSyn | kTcpAck, 5000, 1001, 0);
        m.onReceive(kTcpAck, 1001, 5001, 0);
        EXPECT_EQ(m.state(), defer ? TcpState::SynReceived : TcpState::Established) << defer;
        m.onReceive(kTcpAck, 1001, 5001, 3);
        EXPECT_EQ(m.state(), TcpState::Established) << defer;
    }
    TcpMachine fin;
    fin.startPassive(true);
    fin.onSend(kTcpSyn | kTcpAck, 5000, 1001, 0);
    fin.onReceive(kTcpFin | kTcpAck, 1001, 5001, 0);
    EXPECT_EQ(fin.state(), TcpState::CloseWait);
}
