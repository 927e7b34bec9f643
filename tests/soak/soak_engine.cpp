// SPDX-License-Identifier: GPL-3.0-or-later
// Soak of the engine API (issue 11, item 6): N consecutive runs of a built-in through core::runLab in one process.
// Prints descriptors, threads, children and RSS after a first run and after the last; any growth fails (exit 1).
// Every run must pass and write the same number of events. Usage: soak_engine [RUNS] [SCENARIO]
#include "processcounts.h"

#include "core/io/verdict.h"
#include "core/lab/parent/labclient.h"
#include "core/scenario/builtins.h"

#include <cstdlib>
#include <iostream>

using namespace sockscope;

int main(int argc, char **argv)
{
    const int runs = argc > 1 ? std::atoi(argv[1]) : 1000;
    const std::string name = argc > 2 ? argv[2] : "close-unread-data";
    core::ParseResult parsed = core::resolveScenario(name);
    if (!parsed.scenario) {
        std::cerr << "soak_engine: no scenario " << name << "\n";
        return 2;
    }
    auto once = [&](std::size_t *events) {
        std::vector<core::Event> all;
        std::string error;
        core::runLab(
            *parsed.scenario, core::LabOptions{}, [&](core::Event &&e) { all.push_back(std::move(e)); }, &error);
        *events = all.size();
        const core::RunVerdict v = core::judgeRun(all);
        if (!error.empty() || !v.ok())
            std::cerr << "soak_engine: run failed: " << (error.empty() ? v.error : error) << "\n";
        return error.empty() && v.ok();
    };
    std::size_t firstEvents = 0, events = 0;
    int failed = once(&firstEvents) ? 0 : 1; // the first run loads what every run shares
    const test::ProcessCounts before = test::ProcessCounts::now();
    int differing = 0;
    for (int i = 1; i < runs; ++i) {
        failed += once(&events) ? 0 : 1;
        differing += events != firstEvents;
    }
    const test::ProcessCounts after = test::ProcessCounts::now();
    std::cout << "soak_engine: " << runs << " runs of " << name << " through runLab: " << failed << " failed, "
              << differing << " with another event count than the first (" << firstEvents << ")\n"
              << "  after run 1:    " << before.text() << "\n"
              << "  after run " << runs << ": " << after.text() << "\n";
    const bool leak = test::grew(before, after, 2048);
    if (leak)
        std::cout << "soak_engine: FAILED: the process grew\n";
    return failed || leak ? 1 : 0; // another event count is reported, not a failure: timing may add a segment
}
