// SPDX-License-Identifier: GPL-3.0-or-later
// Budget (issue 15): a scenario's cost beyond its own sleeps <= 20 ms for a 13-step scenario (median over the
// built-ins), <= 1 ms per step for the per-step sync (bench_core_capture times sync() itself).
// Each built-in runs through the real lab runner REPEATS times; its cost is the time from starting the lab to
// receiving the end event, minus the scenario's own sleep()/wait() time. Beside it, in the same run: the
// fixed cost, a scenario of one socket() call through the same lab (spawn, namespace, capture set-up, teardown up to
// the end event), and the reference `unshare -Urn true` (the namespace alone, as a shell would time it).
// Figures are medians with their range over the repeats.
// Usage: bench_core_scenarios [REPEATS]   (default 5)
#include "benchutil.h"

#include "core/lab/parent/labclient.h"
#include "core/scenario/builtins.h"
#include "core/scenario/scenario.h"

#include <cstdio>
#include <cstdlib>
#include <sys/wait.h>
#include <unistd.h>

using namespace sockscope;
using namespace sockscope::core;

namespace {

// Until the end event arrives: the result is complete then; reaping the exiting lab follows.
double costMs(const Scenario &s, double sleeps)
{
    LabOptions options;
    options.labBinary = SOCKSCOPE_LAB_BINARY;
    double t0 = bench::nowMs();
    double end = 0;
    std::string error;
    runLab(
        s, options,
        [&end](Event &&e) {
            if (e.kind() == EventKind::End)
                end = bench::nowMs();
        },
        &error);
    return end - t0 - sleeps;
}

double unshareMs()
{
    const double t0 = bench::nowMs();
    const pid_t pid = fork();
    if (pid == 0) {
        execlp("unshare", "unshare", "-Urn", "true", static_cast<char *>(nullptr));
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return bench::nowMs() - t0;
}

} // namespace

int main(int argc, char **argv)
{
    const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    std::printf("%-36s %6s %7s  %s\n", "scenario", "steps", "sleeps", "cost ms: median (min-max)");
    // One step that sends nothing: the lab skips the capture sync after it.
    auto parsed = parseScenario("# sockscope scenario\ntitle: fixed cost\ntopic: opening\nsummary: one call that sends "
                                "nothing.\nactors: a\n\na  S = socket(v4)\n",
                                "fixed.scn");
    if (!parsed.scenario) {
        for (const auto &e : parsed.errors)
            std::fprintf(stderr, "%s\n", e.format().c_str());
        return 2;
    }
    const Scenario empty = *parsed.scenario;
    std::vector<double> fixed, unshare;
    std::vector<double> all, thirteen, perStep;
    const auto builtins = parsedBuiltins();
    std::vector<std::vector<double>> costs(builtins.size());
    // Interleaved, so a burst of load on the machine spreads over all of them rather than hitting one.
    for (int r = 0; r < repeats; ++r) {
        unshare.push_back(unshareMs());
        fixed.push_back(costMs(empty, 0));
        for (size_t i = 0; i < builtins.size(); ++i) {
            double sleeps = 0;
            for (const auto &step : builtins[i].steps)
                if (step.call == Call::Sleep || step.call == Call::Wait)
                    sleeps += static_cast<double>(step.number);
            costs[i].push_back(costMs(builtins[i], sleeps));
            if (i % 7 == 6) // the fixed cost sampled among the built-ins, not only at a round's start
                fixed.push_back(costMs(empty, 0));
        }
    }
    const double fixedMedian = bench::spread(fixed).median;
    for (size_t i = 0; i < builtins.size(); ++i) {
        const auto c = bench::spread(costs[i]);
        std::printf(
            "%-36s %6zu %7.0f  %s\n", builtins[i].name.c_str(), builtins[i].steps.size(),
            [&] {
                double sleeps = 0;
                for (const auto &step : builtins[i].steps)
                    if (step.call == Call::Sleep || step.call == Call::Wait)
                        sleeps += static_cast<double>(step.number);
                return sleeps;
            }(),
            bench::format(c).c_str());
        all.push_back(c.median);
        if (builtins[i].steps.size() == 13)
            thirteen.push_back(c.median);
        perStep.push_back((c.median - fixedMedian) / static_cast<double>(builtins[i].steps.size()));
    }
    std::printf("\nreference `unshare -Urn true`          %s ms\n", bench::format(bench::spread(unshare)).c_str());
    std::printf("fixed: one socket() call               %s ms   %.1f x unshare\n",
                bench::format(bench::spread(fixed)).c_str(), fixedMedian / bench::spread(unshare).median);
    std::printf("13-step built-ins, median of medians    %.1f ms   budget <= 20 ms\n", bench::median(thirteen));
    std::printf("all built-ins, median of medians        %.1f ms\n", bench::median(all));
    std::printf("per step beyond the fixed cost, median  %.2f ms (sync, settle, snapshots, blocked-call detection)\n",
                bench::median(perStep));
    return 0;
}
