// SPDX-License-Identifier: GPL-3.0-or-later
// The merge of one raw batch into time order, the numbering of its events (n, cause, times that never go
// back) and relative seq/ack, with hand-written expectations.
#include "core/model/batchmerge.h"
#include "core/model/eventnumbering.h"
#include "core/model/relativeseq.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace sockscope::core;

namespace {

using Kind = BatchItem::Kind;

std::string describe(const std::vector<BatchItem> &items)
{
    static const char *names[] = {"step", "enter", "packet", "exit", "fd", "diag"};
    std::string out;
    for (const auto &it : items)
        out += std::string(out.empty() ? "" : " ") + names[static_cast<int>(it.kind)] + std::to_string(it.index) + "@" +
               std::to_string(it.tNs);
    return out;
}

TEST(BatchMerge, TimeOrderThenKindOrder)
{
    RawBatch b;
    b.diags = {{50, 90, {}}, {10, 20, {}}};
    b.fds = {{50, 3, {}}, {10, 4, {}}};
    b.exits.resize(2);
    b.exits[0].tNs = 50;
    b.exits[1].tNs = 40;
    b.enters.resize(1);
    b.enters[0].tNs = 50;
    b.steps = {{50, 0}};
    std::vector<RawPacket> packets(3);
    packets[0].tNs = 50;
    packets[1].tNs = 30;
    packets[2].tNs = 50;
    EXPECT_EQ(describe(mergeBatch(b, packets)),
              // a dump sits at its end; at one time: step, enter, packets in capture order, exit, fd, diag
              "fd1@10 diag1@20 packet1@30 exit1@40 step0@50 enter0@50 packet0@50 packet2@50 exit0@50 fd0@50 "
              "diag0@90");
}

TEST(BatchMerge, EmptyBatch)
{
    EXPECT_TRUE(mergeBatch(RawBatch{}, {}).empty());
}

struct Sent
{
    std::int64_t n, tNs;
    EventKind kind;
    std::int64_t cause;
};

TEST(EventNumbering, SortsNumbersAndRemapsCauses)
{
    std::vector<Sent> sent;
    EventNumbering out(1000, [&](Event &&e) {
        const auto *st = e.as<StateInfo>();
        sent.push_back({e.n, e.tNs, e.kind(), st ? st->cause : -2});
    });
    out.sendNow(0, RunInfo{});
    size_t seg = out.add(1300, PacketInfo{}); // local 0
    out.add(1100, StepInfo{});                // local 1
    out.add(1300, StateInfo{"c", TcpState::Closed, TcpState::SynSent, StateSource::Derived, static_cast<long>(seg)});
    out.add(1200, StateInfo{"c", TcpState::Closed, TcpState::Closed, StateSource::Kernel, -1}); // local 3
    out.flush();
    const std::vector<std::tuple<std::int64_t, std::int64_t, EventKind, std::int64_t>> want = {
        {0, 0, EventKind::Run, -2},
        {1, 100, EventKind::Step, -2},
        {2, 200, EventKind::State, -1}, // no cause stays none
        {3, 300, EventKind::Packet, -2},
        {4, 300, EventKind::State, 3}, // same time: add order; the cause now names the packet's n
    };
    ASSERT_EQ(sent.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(sent[i].n, std::get<0>(want[i])) << i;
        EXPECT_EQ(sent[i].tNs, std::get<1>(want[i])) << i;
        EXPECT_EQ(sent[i].kind, std::get<2>(want[i])) << i;
        EXPECT_EQ(sent[i].cause, std::get<3>(want[i])) << i;
    }
    EXPECT_EQ(out.lastRelNs(), 300);
    EXPECT_EQ(out.startNs(), 1000);
}

TEST(EventNumbering, TimeNeverGoesBackAcrossBatches)
{
    std::vector<Sent> sent;
    EventNumbering out(0, [&](Event &&e) { sent.push_back({e.n, e.tNs, e.kind(), -2}); });
    out.add(500, StepInfo{});
    out.flush();
    out.add(400, StepInfo{}); // recorded earlier, but only in the next batch
    out.add(600, StepInfo{});
    out.flush();
    out.flush(); // an empty batch sends nothing
    out.sendNow(out.lastRelNs(), EndInfo{});
    ASSERT_EQ(sent.size(), 4u);
    EXPECT_EQ(sent[0].n, 0);
    EXPECT_EQ(sent[1].n, 1);
    EXPECT_EQ(sent[1].tNs, 500);
    EXPECT_EQ(sent[2].n, 2);
    EXPECT_EQ(sent[2].tNs, 600);
    EXPECT_EQ(sent[3].n, 3);
    EXPECT_EQ(sent[3].kind, EventKind::End);
}

TEST(RelativeSeq, FromEachDirectionsSyn)
{
    const std::string c = "127.0.0.1:40000", s = "127.0.0.1:5000";
    RelativeSeq seq;
    EXPECT_EQ(seq.seq(c, s, 1234), 1234u) << "absolute until the SYN is seen";
    seq.sawSyn(c, s, 1000);
    EXPECT_EQ(seq.seq(c, s, 1000), 0u);
    EXPECT_EQ(seq.seq(c, s, 1001), 1u);
    EXPECT_EQ(seq.ack(s, c, 1001), 1u) << "the answer acknowledges the client's SYN";
    EXPECT_EQ(seq.seq(s, c, 7777), 7777u) << "the other direction has its own ISN";
    seq.sawSyn(s, c, 0xfffffff0u);
    EXPECT_EQ(seq.seq(s, c, 0x00000010u), 0x20u) << "across the wrap";
    EXPECT_EQ(seq.ack(c, s, 0xfffffff1u), 1u);
    seq.sawSyn(c, s, 9000); // a new connection on the same tuple
    EXPECT_EQ(seq.seq(c, s, 9001), 1u);
}

} // namespace
