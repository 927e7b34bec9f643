// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/model/runphase.h"

#include <iterator>

namespace sockscope::ui {

bool isLive(RunPhase phase)
{
    switch (phase) {
    case RunPhase::Running:
    case RunPhase::Stepping:
    case RunPhase::Paused:
    case RunPhase::Stopping:
    case RunPhase::Restarting:
        return true;
    case RunPhase::Idle:
    case RunPhase::Finished:
    case RunPhase::Stopped:
    case RunPhase::Failed:
        return false;
    }
    return false;
}

bool canMove(RunPhase from, RunPhase to)
{
    const bool starts = to == RunPhase::Running || to == RunPhase::Stepping;
    const bool ends = to == RunPhase::Finished || to == RunPhase::Stopped || to == RunPhase::Failed;
    switch (from) {
    case RunPhase::Idle:
    case RunPhase::Finished:
    case RunPhase::Stopped:
    case RunPhase::Failed:
        return starts;
    case RunPhase::Running:
        return ends || to == RunPhase::Stopping || to == RunPhase::Restarting;
    case RunPhase::Stepping:
        // Continue from a pause runs free; a step ends in the next pause or the end.
        return ends || to == RunPhase::Paused || to == RunPhase::Stopping || to == RunPhase::Restarting;
    case RunPhase::Paused:
        return ends || to == RunPhase::Stepping || to == RunPhase::Running || to == RunPhase::Stopping ||
               to == RunPhase::Restarting;
    case RunPhase::Stopping:
        // The lab may pause once more before it read the stop; it is told again.
        return ends || to == RunPhase::Restarting;
    case RunPhase::Restarting:
        return starts || ends || to == RunPhase::Stopping; // Stop during a restart cancels the restart
    }
    return false;
}

const char *phaseName(RunPhase phase)
{
    // Indexed by RunPhase, in its order.
    static constexpr const char *kNames[] = {"idle",       "running",  "stepping", "paused", "stopping",
                                             "restarting", "finished", "stopped",  "failed"};
    static_assert(std::size(kNames) == static_cast<std::size_t>(RunPhase::Failed) + 1);
    const auto i = static_cast<std::size_t>(phase);
    return i < std::size(kNames) ? kNames[i] : "?";
}

} // namespace sockscope::ui
