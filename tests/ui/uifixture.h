// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Loads a JSON Lines fixture for the UI tests (header-only: tests/ui globs test_*.cpp into executables).

#include "core/stream/eventjson.h"

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace sockscope::uitest {

inline std::vector<core::Event> loadFixture(const std::string &name)
{
    std::ifstream in(std::string(SOCKSCOPE_FIXTURES) + "/" + name);
    if (!in)
        throw std::runtime_error("cannot open fixture " + name);
    std::vector<core::Event> events;
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.empty())
            continue;
        auto r = core::fromJsonLine(line);
        if (!r.event)
            throw std::runtime_error(name + ":" + std::to_string(lineNo) + ": " + r.error);
        events.push_back(std::move(*r.event));
    }
    return events;
}

} // namespace sockscope::uitest
