// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/parent/labbudget.h"

#include "core/scenario/stepgroups.h"

#include <algorithm>

namespace sockscope::core {

namespace {

int capped(long ms)
{
    return static_cast<int>(std::clamp<long>(ms, 0, kWatchdogCeilingMs));
}

} // namespace

int groupBudgetMs(const Scenario &scenario, std::size_t first, int slackMs)
{
    long ms = slackMs;
    if (first >= scenario.steps.size())
        return capped(ms);
    for (std::size_t i = first; i <= stepGroupLast(scenario.steps, first); ++i) {
        const Step &step = scenario.steps[i];
        ms += scenario.stepTimeoutMs;
        if (step.call == Call::Sleep || step.call == Call::Wait)
            ms += static_cast<long>(std::min<std::int64_t>(step.number, kWatchdogCeilingMs));
        if (step.call == Call::Poll || step.call == Call::EpollWait)
            ms += std::max(0, step.timeoutMs);
    }
    return capped(ms);
}

int runBudgetMs(const Scenario &scenario, std::size_t first, int slackMs)
{
    int ms = groupBudgetMs(scenario, scenario.steps.size(), slackMs);
    for (std::size_t i = first; i < scenario.steps.size(); i = stepGroupLast(scenario.steps, i) + 1)
        ms = std::max(ms, groupBudgetMs(scenario, i, slackMs));
    return ms;
}

} // namespace sockscope::core
