// SPDX-License-Identifier: GPL-3.0-or-later
// The clock without the teacher's pauses, by hand: idle pause time is taken out of later stamps, what the
// kernel did during a pause keeps its distance from the pause's start.
#include "core/lab/pauseclock.h"

#include <gtest/gtest.h>

using sockscope::core::PauseClock;

namespace {

struct Row
{
    const char *name;
    std::vector<std::pair<std::int64_t, std::int64_t>> pauses; // [begin, end)
    std::vector<std::int64_t> events;                          // in time order
    std::vector<std::int64_t> placed;                          // expected
};

} // namespace

TEST(PauseClock, PlacesEventsWithoutTheIdlePartOfPauses)
{
    const Row rows[] = {
        {"no pause", {}, {0, 10, 500}, {0, 10, 500}},
        {"before a pause", {{100, 1100}}, {50, 100}, {50, 100}},
        {"after an empty pause", {{100, 1100}}, {50, 1100, 1200}, {50, 100, 200}},
        {"a retransmission inside the pause keeps its place", {{100, 1100}}, {50, 400, 1200}, {50, 400, 500}},
        {"two events inside, the later one counts", {{100, 1100}}, {300, 600, 1100}, {300, 600, 600}},
        {"two pauses", {{100, 1100}, {1500, 3500}}, {300, 1200, 4000}, {300, 400, 1200}},
    };
    for (const Row &r : rows) {
        PauseClock clock;
        for (auto [begin, end] : r.pauses) {
            clock.pauseBegan(begin);
            clock.pauseEnded(end);
        }
        std::vector<std::int64_t> got;
        for (std::int64_t t : r.events)
            got.push_back(clock.place(t));
        EXPECT_EQ(got, r.placed) << r.name;
    }
}

TEST(PauseClock, DurationsAndAnOpenPause)
{
    PauseClock clock;
    clock.pauseBegan(100);
    EXPECT_EQ(clock.at(600), 100); // all idle so far
    clock.pauseEnded(1100);
    // A call entered at 50 that returned after the pause, with nothing in between: 150 ns, not 1150.
    EXPECT_EQ(clock.place(1200) - clock.at(50), 150);

    PauseClock kept;
    kept.pauseBegan(100);
    kept.pauseEnded(1100);
    // A blocked call released during the pause (its return at 400): 350 ns from its entry at 50.
    EXPECT_EQ(kept.place(400) - kept.at(50), 350);
    EXPECT_EQ(kept.at(50), 50);
}
