// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scenario/builtins.h"

#include <stdexcept>
#include <sys/stat.h>

namespace sockscope::core {

const BuiltinScenario *findBuiltin(const std::string &name)
{
    for (const auto &b : builtinScenarios())
        if (b.name == name)
            return &b;
    return nullptr;
}

ParseResult resolveScenario(const std::string &nameOrPath)
{
    struct stat st
    {
    };
    bool isFile = ::stat(nameOrPath.c_str(), &st) == 0;
    if (!isFile) {
        if (const auto *b = findBuiltin(nameOrPath)) {
            ParseResult r = parseScenario(b->source, b->name + ".scn");
            if (r.scenario)
                r.scenario->path = ":builtin/" + b->name + ".scn";
            return r;
        }
    }
    if (!isFile && nameOrPath.find('/') == std::string::npos && nameOrPath.find(".scn") == std::string::npos) {
        ParseResult r;
        r.errors.push_back(
            {nameOrPath, 0, 0, "no built-in scenario or file named \"" + nameOrPath + "\" (see 'sockscope list')"});
        return r;
    }
    return loadScenarioFile(nameOrPath);
}

std::vector<Scenario> parsedBuiltins()
{
    std::vector<Scenario> out;
    for (const auto &b : builtinScenarios()) {
        ParseResult r = parseScenario(b.source, b.name + ".scn");
        if (!r.scenario)
            throw std::runtime_error("built-in scenario does not parse: " + r.errors.front().format());
        r.scenario->path = ":builtin/" + b.name + ".scn";
        out.push_back(std::move(*r.scenario));
    }
    return out;
}

} // namespace sockscope::core
