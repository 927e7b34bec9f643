// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: helpers shared by the core tests (running a scenario through the real lab).

#include "core/scenario/scenario.h"
#include "core/stream/event.h"

#include <string>
#include <vector>

namespace sockscope::test {

std::string builtinScenarioPath(const std::string &name);
core::Scenario loadBuiltin(const std::string &name);
// Runs the scenario through the real lab binary and returns every event.
std::vector<core::Event> runScenario(const core::Scenario &scenario);

} // namespace sockscope::test
