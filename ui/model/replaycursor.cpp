// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/model/replaycursor.h"

#include "core/scenario/stepgroups.h"
#include "ui/model/runmodel.h"
#include "ui/model/stepnarrative.h"

#include <algorithm>

namespace sockscope::ui {

namespace {
// The first step event of an '&' group: by the scenario's own rule when the run has its scenario, else by the
// recorded stream (the steps of one group arrive as consecutive step events).
bool isGroupStart(const RunModel &run, int i)
{
    const auto *step = run.event(i).as<core::StepInfo>();
    if (!step)
        return false;
    const core::Scenario *scenario = run.scenario();
    if (scenario && step->step >= 0 && static_cast<std::size_t>(step->step) < scenario->steps.size()) {
        const auto k = static_cast<std::size_t>(step->step);
        return core::stepGroupFirst(scenario->steps, k) == k;
    }
    return stepRange(run.events(), i).first == i;
}
} // namespace

int ReplayCursor::count() const
{
    return m_run ? m_run->eventCount() : 0;
}

int ReplayCursor::nextEvent(int cursor) const
{
    return count() == 0 ? -1 : std::clamp(cursor + 1, 0, count() - 1);
}

int ReplayCursor::prevEvent(int cursor) const
{
    return count() == 0 ? -1 : std::clamp(cursor - 1, 0, count() - 1);
}

int ReplayCursor::home() const
{
    return count() == 0 ? -1 : 0;
}

int ReplayCursor::end() const
{
    return count() - 1;
}

int ReplayCursor::stepEnd(int index) const
{
    return count() == 0 ? -1 : stepRange(m_run->events(), index).second;
}

int ReplayCursor::nextStep(int cursor) const
{
    const int n = count();
    if (n == 0)
        return -1;
    const int first = m_run->stepEvent(0);
    if (first < 0)
        return n - 1;
    if (cursor < first)
        return stepEnd(first);
    const int endHere = stepEnd(std::max(cursor, 0));
    if (cursor < endHere)
        return endHere; // finish the current step first
    return endHere + 1 < n ? stepEnd(endHere + 1) : n - 1;
}

int ReplayCursor::prevStep(int cursor) const
{
    if (count() == 0)
        return -1;
    // The start of the cursor's step (group), then the end of the step before it.
    const int start = stepRange(m_run->events(), cursor).first;
    return start == 0 ? 0 : start - 1;
}

int ReplayCursor::groupCount() const
{
    return groupOf(count() - 1);
}

int ReplayCursor::groupOf(int index) const
{
    int groups = 0;
    for (int i = 0; i <= std::min(index, count() - 1); ++i)
        groups += isGroupStart(*m_run, i) ? 1 : 0;
    return groups;
}

} // namespace sockscope::ui
