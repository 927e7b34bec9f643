// SPDX-License-Identifier: GPL-3.0-or-later
// Budget (DESIGN.md): a scenario's cost beyond its own sleeps <= 50 ms (lab start, namespace, capture).
// Each built-in runs through the real lab runner 5 times; the figure is the median time from starting the lab
// to receiving the end event, minus the scenario's own sleep()/wait() time.
#include "benchutil.h"

#include "core/lab/parent/labclient.h"
#include "core/scenario/builtins.h"

#include <cstdio>

using namespace sockscope;
using namespace sockscope::core;

int main()
{
    std::printf("%-36s %8s %8s %10s  (budget: cost <= 50 ms)\n", "scenario", "steps", "sleeps", "cost ms");
    double worst = 0;
    for (const auto &s : parsedBuiltins()) {
        double sleeps = 0;
        for (const auto &step : s.steps)
            if (step.call == Call::Sleep || step.call == Call::Wait)
                sleeps += static_cast<double>(step.number);
        LabOptions options;
        options.labBinary = SOCKSCOPE_LAB_BINARY;
        std::vector<double> costs;
        for (int i = 0; i < 5; ++i) {
            // Until the end event arrives: the result is complete then; reaping the exiting lab follows.
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
            costs.push_back(end - t0 - sleeps);
        }
        double cost = bench::median(costs);
        worst = std::max(worst, cost);
        std::printf("%-36s %8zu %8.0f %10.1f\n", s.name.c_str(), s.steps.size(), sleeps, cost);
    }
    std::printf("worst: %.1f ms\n", worst);
    return 0;
}
