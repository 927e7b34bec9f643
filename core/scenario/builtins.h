// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the built-in scenario catalogue (resources/scenarios/*.scn, embedded at build time).
// Thread-safety: read-only after first use.

#include "core/scenario/scenario.h"

#include <optional>
#include <string>
#include <vector>

namespace sockscope::core {

struct BuiltinScenario
{
    std::string name; // file stem
    std::string source;
};

const std::vector<BuiltinScenario> &builtinScenarios();
const BuiltinScenario *findBuiltin(const std::string &name);

// A built-in name or a file path; errors name what was looked for.
ParseResult resolveScenario(const std::string &nameOrPath);
// Every built-in, parsed; a built-in that does not parse is a build defect and throws.
std::vector<Scenario> parsedBuiltins();

} // namespace sockscope::core
