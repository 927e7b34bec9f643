// SPDX-License-Identifier: GPL-3.0-or-later
// The differential check as a CTest: a fixed range of generated scenarios, each on the real kernel, each must
// be clean (no contradiction, legal transitions, segments on the right sockets, FIN/RST after their cause).
// SOCKSCOPE_DIFF_SEEDS=A-B runs another range. A failing seed's scenario is printed with its failures.
#include "differential.h"
#include "runchecks.h"
#include "scenariogenerator.h"

#include "core/scenario/scenario.h"

#include <gtest/gtest.h>

#include <cstdlib>
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
