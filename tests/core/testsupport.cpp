// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsupport.h"

#include "core/lab/parent/labclient.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>

namespace sockscope::test {

TempDir::TempDir()
{
    std::string tmpl = ::testing::TempDir() + "sockscope-test-XXXXXX";
    m_path = ::mkdtemp(tmpl.data()) ? tmpl : std::string();
}

TempDir::~TempDir()
{
    std::system(("rm -rf '" + m_path + "'").c_str());
}

std::string builtinScenarioPath(const std::string &name)
{
    return std::string(SOCKSCOPE_SCENARIO_DIR) + "/" + name + ".scn";
}

core::Scenario loadBuiltin(const std::string &name)
{
    auto result = core::loadScenarioFile(builtinScenarioPath(name));
    if (!result.scenario)
        throw std::runtime_error(result.errors.empty() ? "parse failed" : result.errors.front().format());
    return *result.scenario;
}

bool noUserns()
{
    const char *v = std::getenv("SOCKSCOPE_NO_USERNS");
    return v && std::string(v) == "1";
}

core::LabOptions labOptions()
{
    core::LabOptions options;
    options.labBinary = SOCKSCOPE_LAB_BINARY;
    options.forceHost = noUserns();
    return options;
}

std::vector<core::Event> runScenario(const core::Scenario &scenario)
{
    const core::LabOptions options = labOptions();
    std::vector<core::Event> events;
    std::string error;
    core::runLab(
        scenario, options, [&](core::Event &&e) { events.push_back(std::move(e)); }, &error);
    if (!error.empty() && events.empty())
        throw std::runtime_error(error);
    return events;
}

} // namespace sockscope::test
