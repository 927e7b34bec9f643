// SPDX-License-Identifier: GPL-3.0-or-later
// Budget (issue 15): `sockscope run SCENARIO --runs 100` of a 10-step built-in <= 3 s on 2 cores, its outcomes
// the same as serial runs'. Timed from the command line, as a user would: the program itself (labs in
// parallel, core::LabBatch) beside the reference, the same number of separate `sockscope run SCENARIO` one
// after the other. Then LabBatch directly: two labs per CPU (the default), one per CPU and one lab at a time, with
// the outcome groups of each. Each figure is the median and range over REPEATS.
// Usage: bench_core_runs [SCENARIO] [RUNS] [REPEATS]   (defaults: close-unread-data 100 3: its outcome is
// meant to be deterministic, so the groups should match; the 10-step simultaneous-close races by design)
#include "benchutil.h"

#include "core/lab/parent/labbatch.h"
#include "core/model/outcome.h"
#include "core/scenario/builtins.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace sockscope;
using namespace sockscope::core;

namespace {

// Runs argv with stdout and stderr to /dev/null; returns the wall time in ms.
double timeCommand(const std::vector<std::string> &args)
{
    std::vector<char *> argv;
    for (const auto &a : args)
        argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    const double t0 = bench::nowMs();
    const pid_t pid = fork();
    if (pid == 0) {
        std::freopen("/dev/null", "w", stdout);
        std::freopen("/dev/null", "w", stderr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return bench::nowMs() - t0;
}

// The outcome groups of a batch: what TCP did -> how many runs did it.
std::map<std::string, int> outcomes(const Scenario &scenario, int runs, int parallel, double *ms)
{
    LabOptions options;
    options.labBinary = SOCKSCOPE_LAB_BINARY;
    std::map<std::string, int> groups;
    const double t0 = bench::nowMs();
    LabBatch(scenario, options, runs, parallel).run([&](BatchRun &&run) {
        ++groups[run.error.empty() ? tcpBehaviour(run.events).key : "lab failed: " + run.error];
    });
    *ms = bench::nowMs() - t0;
    return groups;
}

} // namespace

int main(int argc, char **argv)
{
    const std::string name = argc > 1 ? argv[1] : "close-unread-data";
    const int runs = argc > 2 ? std::atoi(argv[2]) : 100;
    const int repeats = argc > 3 ? std::atoi(argv[3]) : 3;
    const std::string cli = SOCKSCOPE_CLI_BINARY;
    const Scenario *scenario = nullptr;
    const auto builtins = parsedBuiltins();
    for (const auto &s : builtins)
        if (s.name == name)
            scenario = &s;
    if (!scenario) {
        std::fprintf(stderr, "bench_core_runs: no built-in %s\n", name.c_str());
        return 2;
    }
    std::vector<double> cliBatch, separate, parallelMs, serialMs, twiceMs;
    std::map<std::string, int> parallelGroups, serialGroups, twiceGroups;
    for (int r = 0; r < repeats; ++r) {
        cliBatch.push_back(timeCommand({cli, "run", name, "--runs", std::to_string(runs), "--quiet"}));
        double t = 0;
        for (int i = 0; i < runs; ++i)
            t += timeCommand({cli, "run", name, "--quiet"});
        separate.push_back(t);
        double ms = 0;
        for (const auto &[k, n] : outcomes(*scenario, runs, LabBatch::parallelism(), &ms))
            parallelGroups[k] += n;
        parallelMs.push_back(ms);
        for (const auto &[k, n] : outcomes(*scenario, runs, 1, &ms))
            serialGroups[k] += n;
        serialMs.push_back(ms);
        for (const auto &[k, n] : outcomes(*scenario, runs, 0, &ms)) // the default: kLabsPerCpu per CPU
            twiceGroups[k] += n;
        twiceMs.push_back(ms);
    }
    const auto c = bench::spread(cliBatch), s = bench::spread(separate);
    const auto p = bench::spread(parallelMs), q = bench::spread(serialMs);
    std::printf("%d runs of %s (%zu steps), %d repeats, %d CPUs, ms: median (min-max)\n", runs, name.c_str(),
                scenario->steps.size(), repeats, LabBatch::parallelism());
    std::printf("  sockscope run --runs %d              %s   budget <= 3000 ms\n", runs, bench::format(c, 0).c_str());
    std::printf("  reference: %d separate sockscope run %s   ratio %.2f x\n", runs, bench::format(s, 0).c_str(),
                c.median / s.median);
    std::printf("  LabBatch, one lab per CPU            %s\n", bench::format(p, 0).c_str());
    std::printf("  LabBatch, one lab at a time          %s   ratio %.2f x\n", bench::format(q, 0).c_str(),
                p.median / q.median);
    std::printf("  LabBatch, two labs per CPU (default) %s   ratio %.2f x one per CPU\n",
                bench::format(bench::spread(twiceMs), 0).c_str(), bench::spread(twiceMs).median / p.median);
    std::printf("  outcomes (runs per distinct outcome), parallel vs serial: %s; two per CPU vs serial: %s\n",
                parallelGroups == serialGroups ? "the same" : "DIFFERENT",
                twiceGroups == serialGroups ? "the same" : "DIFFERENT");
    std::map<std::string, std::array<int, 3>> all; // one per CPU, one at a time, two per CPU
    for (const auto &[k, n] : parallelGroups)
        all[k][0] = n;
    for (const auto &[k, n] : serialGroups)
        all[k][1] = n;
    for (const auto &[k, n] : twiceGroups)
        all[k][2] = n;
    for (const auto &[k, n] : all)
        std::printf("    one per CPU %4d  one at a time %4d  two per CPU %4d  %s\n", n[0], n[1], n[2], k.c_str());
    return 0;
}
