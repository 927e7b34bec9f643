// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the time bounds of a run: the watchdog budget (how long the lab may stay silent while it runs steps
// before the parent decides it hangs and kills it) and the whole run's wall-clock bound (how long it may run in
// all, pauses left out). The one home of these rules (the lab client, the lab and the window use them).
// Thread-safety: pure functions.

#include "core/scenario/scenario.h"

#include <cstddef>
#include <string>

namespace sockscope::core {

// Added to every budget: namespace set-up, capture ring allocation, settling and the lab's own exit.
inline constexpr int kWatchdogSlackMs = 10000;
// No budget and no run bound is longer than this (a scenario's declared sleeps are capped at 300 s, but 9999
// steps of a 60 s step timeout would otherwise allow a week).
inline constexpr int kWatchdogCeilingMs = 600000;
// The parent stops a lab this long after the run's bound (the lab ends itself at the bound).
inline constexpr int kRunBoundGraceMs = 2000;

// The longest one '&' group starting at step `first` may keep the lab silent: each of its steps may wait
// for a blocked actor up to the step timeout, plus its own sleeps, waits and poll timeouts; plus the slack.
int groupBudgetMs(const Scenario &scenario, std::size_t first, int slackMs = kWatchdogSlackMs);

// The lab writes after every group, so the silence while it runs from step `first` to the end is at most
// the largest group budget from there on. `first` past the last step: the end of the run (slack only).
int runBudgetMs(const Scenario &scenario, std::size_t first, int slackMs = kWatchdogSlackMs);

// The whole run's wall-clock bound, from what the scenario declares: every step may wait up to the step timeout,
// plus every sleep, wait and poll timeout, plus every close() or shutdown() lingering up to the longest SO_LINGER
// time the scenario sets; plus the slack; at most kWatchdogCeilingMs.
int runBoundMs(const Scenario &scenario, int slackMs = kWatchdogSlackMs);

// "12 s": a bound in words, rounded up to a whole second.
std::string boundText(int ms);

} // namespace sockscope::core
