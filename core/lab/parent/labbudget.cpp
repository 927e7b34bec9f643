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
        ms += std::max(0, step.timeoutMs); // poll, epoll_wait, select; 0 for every other call
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

int runBoundMs(const Scenario &scenario, int slackMs)
{
    std::int64_t lingerMs = 0;
    for (const Step &step : scenario.steps)
        if (step.call == Call::Setsockopt && step.option == "SO_LINGER" && step.number != 0)
            lingerMs = std::max<std::int64_t>(lingerMs, step.number2 * 1000);
    long ms = slackMs;
    for (const Step &step : scenario.steps) {
        ms += scenario.stepTimeoutMs;
        if (step.call == Call::Sleep || step.call == Call::Wait)
            ms += static_cast<long>(std::min<std::int64_t>(step.number, kWatchdogCeilingMs));
        ms += std::max(0, step.timeoutMs); // poll, epoll_wait, select; 0 for every other call
        if (step.call == Call::Close || step.call == Call::Shutdown)
            ms += static_cast<long>(std::min<std::int64_t>(lingerMs, kWatchdogCeilingMs));
        if (ms >= kWatchdogCeilingMs)
            break;
    }
    return capped(ms);
}

std::string boundText(int ms)
{
    return std::to_string((std::max(0, ms) + 999) / 1000) + " s";
}

} // namespace sockscope::core
