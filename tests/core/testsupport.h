// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: helpers shared by the core tests (running a scenario through the real lab).

#include "core/lab/parent/labclient.h"
#include "core/scenario/scenario.h"
#include "core/stream/event.h"

#include <string>
#include <vector>

namespace sockscope::test {

// A scratch directory per test (under gtest's temporary directory), removed with its files.
class TempDir
{
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    std::string file(const std::string &name) const { return m_path + "/" + name; }
    const std::string &path() const { return m_path; }

private:
    std::string m_path;
};

std::string builtinScenarioPath(const std::string &name);
core::Scenario loadBuiltin(const std::string &name);
// SOCKSCOPE_NO_USERNS=1: the environment declares that it has no user namespaces (the documented host-fallback
// run). Tests that need a namespace then test the host fallback instead, or skip saying so; without it, a missing
// namespace is a failure that names what is missing.
bool noUserns();
// Options that run the real lab binary of this build (on the host's loopback when noUserns()).
core::LabOptions labOptions();
// Runs the scenario through the real lab binary and returns every event (on the host's loopback when noUserns()).
std::vector<core::Event> runScenario(const core::Scenario &scenario);

} // namespace sockscope::test
