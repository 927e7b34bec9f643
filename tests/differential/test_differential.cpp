// SPDX-License-Identifier: GPL-3.0-or-later
// The differential check as a CTest: a fixed range of generated scenarios, each on the real kernel, each must
// be clean (no contradiction, legal transitions, segments on the right sockets, FIN/RST after their cause).
// SOCKSCOPE_DIFF_SEEDS=A-B runs another range. A failing seed's scenario is printed with its failures.
#include "differential.h"
#include "runchecks.h"
#include "scenariogenerator.h"

#include "core/io/runfile.h"
#include "core/scenario/scenario.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

using namespace sockscope;
using namespace sockscope::differential;

namespace {

std::vector<std::uint64_t> seedRange()
{
    std::uint64_t first = SOCKSCOPE_DIFF_FIRST, last = SOCKSCOPE_DIFF_LAST;
    if (const char *env = std::getenv("SOCKSCOPE_DIFF_SEEDS")) {
        const std::string s = env;
        const size_t dash = s.find('-');
        first = std::stoull(s.substr(0, dash));
        last = dash == std::string::npos ? first : std::stoull(s.substr(dash + 1));
    }
    std::vector<std::uint64_t> seeds;
    for (std::uint64_t s = first; s <= last; ++s)
        seeds.push_back(s);
    return seeds;
}

class Seed : public ::testing::TestWithParam<std::uint64_t>
{
};

} // namespace

TEST(Generator, SameSeedSameScenario)
{
    for (std::uint64_t seed : {1u, 2u, 77u, 4242u})
        EXPECT_EQ(generateScenario(seed), generateScenario(seed));
    EXPECT_NE(generateScenario(1), generateScenario(2));
}

// The generator writes only what the real parser accepts, over many seeds (no lab: parsing only).
TEST(Generator, WritesValidScenarios)
{
    for (std::uint64_t seed = 1; seed <= 2000; ++seed) {
        const std::string text = generateScenario(seed);
        auto parsed = core::parseScenario(text, "seed.scn");
        ASSERT_TRUE(parsed.scenario) << "seed " << seed << ": "
                                     << (parsed.errors.empty() ? "" : parsed.errors.front().format()) << "\n"
                                     << text;
    }
}

TEST(Transitions, TheDiagramAndNothingElse)
{
    using S = core::TcpState;
    EXPECT_TRUE(legalTransition(S::SynSent, S::Established));
    EXPECT_TRUE(legalTransition(S::FinWait1, S::Closing));
    EXPECT_TRUE(legalTransition(S::Listen, S::SynReceived));
    EXPECT_FALSE(legalTransition(S::Closed, S::Established));
    EXPECT_FALSE(legalTransition(S::TimeWait, S::Established));
    EXPECT_FALSE(legalTransition(S::CloseWait, S::FinWait1));
    EXPECT_FALSE(legalTransition(S::Established, S::Established));
}

// The checks themselves, on a recorded passive-close run (tests/fixtures/contradiction.sockrun): clean once its
// hand-made conflict is removed, and each rule catches its own kind of damage.
namespace {
std::vector<core::Event> recordedRun()
{
    core::LoadError error;
    auto run = core::loadRun(std::string(SOCKSCOPE_FIXTURES) + "/contradiction.sockrun", &error);
    if (!run)
        throw std::runtime_error(error.format());
    return run->events;
}
bool anyStartsWith(const std::vector<std::string> &v, const std::string &prefix)
{
    for (const auto &s : v)
        if (s.starts_with(prefix))
            return true;
    return false;
}
} // namespace

TEST(RunChecks, CatchEachKindOfDamage)
{
    auto events = recordedRun();
    EXPECT_TRUE(anyStartsWith(checkRun(events), "contradiction: server.1 kernel FIN_WAIT_2, model CLOSE_WAIT"));
    for (auto &e : events)
        if (auto *s = e.as<core::StateInfo>())
            s->conflict = false;
    const auto clean = checkRun(events);
    EXPECT_TRUE(clean.empty()) << clean.front();

    auto misattributed = events; // the client's FIN credited to the server's socket
    auto fin = std::find_if(misattributed.begin(), misattributed.end(), [](const core::Event &e) {
        const auto *p = e.as<core::PacketInfo>();
        return p && core::hasFlag(p->flags, core::SegmentFlag::Fin);
    });
    ASSERT_NE(fin, misattributed.end());
    const std::string finSender = fin->as<core::PacketInfo>()->from;
    fin->as<core::PacketInfo>()->from = finSender == "client.1" ? "server.1" : "client.1";
    EXPECT_TRUE(anyStartsWith(checkRun(misattributed), "misattributed segment: FIN ACK"));

    auto early = events; // the FIN stamped before any close() or shutdown() of its socket
    for (auto &e : early)
        if (auto *p = e.as<core::PacketInfo>();
            p && core::hasFlag(p->flags, core::SegmentFlag::Fin) && p->from == finSender) {
            e.tNs = 1;
            break;
        }
    EXPECT_TRUE(anyStartsWith(checkRun(early), "FIN before any call that could cause it"));

    auto illegal = events; // a derived jump the diagram does not have
    for (auto &e : illegal)
        if (auto *s = e.as<core::StateInfo>();
            s && s->source == core::StateSource::Derived && s->to == core::TcpState::CloseWait) {
            s->to = core::TcpState::Listen;
            break;
        }
    const auto bad = checkRun(illegal);
    EXPECT_TRUE(anyStartsWith(bad, "illegal transition: ")) << (bad.empty() ? "" : bad.front());
    EXPECT_TRUE(anyStartsWith(bad, "discontinuous states: "));
}

TEST_P(Seed, RunsClean)
{
    SeedResult r = runSeed(GetParam(), SOCKSCOPE_LAB_BINARY);
    std::string all;
    for (const auto &f : r.failures)
        all += "  " + f + "\n";
    EXPECT_TRUE(r.failures.empty()) << "seed " << GetParam() << " failed:\n" << all << "reproducer:\n" << reproducer(r);
}

INSTANTIATE_TEST_SUITE_P(Range, Seed, ::testing::ValuesIn(seedRange()),
                         [](const auto &info) { return "seed_" + std::to_string(info.param); });
