// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the watchdog budget of a run: how long the lab may stay silent while it runs steps before the parent
// decides it hangs and kills it. The one home of this rule (the lab client and the window use it).
// Thread-safety: pure functions.

#include "core/scenario/scenario.h"

#include <cstddef>

namespace sockscope::core {

// Added to every budget: namespace set-up, capture ring allocation, settling and the lab's own exit.
inline constexpr int kWatchdogSlackMs = 10000;
// No budget is longer than this (a scenario's declared times are capped at 300 s).
inline constexpr int kWatchdogCeilingMs = 600000;

// The longest one '&' group starting at step `first` may keep the lab silent: each of its steps may wait
// for a blocked actor up to the step timeout, plus its own sleeps, waits and poll timeouts; plus the slack.
int groupBudgetMs(const Scenario &scenario, std::size_t first, int slackMs = kWatchdogSlackMs);

// The lab writes after every group, so the silence while it runs from step `first` to the end is at most
// the largest group budget from there on. `first` past the last step: the end of the run (slack only).
int runBudgetMs(const Scenario &scenario, std::size_t first, int slackMs = kWatchdogSlackMs);

} // namespace sockscope::core
