// SPDX-License-Identifier: GPL-3.0-or-later
#include "differential.h"

#include "runchecks.h"
#include "scenariogenerator.h"

#include "core/io/runfile.h"
#include "core/lab/parent/labclient.h"
#include "core/scenario/scenario.h"

#include <fstream>

namespace sockscope::differential {

SeedResult runScenarioText(std::uint64_t seed, const std::string &text, const std::string &labBinary)
{
    SeedResult result{seed, text, {}};
    core::ParseResult parsed = core::parseScenario(text, "seed-" + std::to_string(seed) + ".scn");
    if (!parsed.scenario) {
        for (const auto &e : parsed.errors)
            result.failures.push_back("generator wrote an invalid scenario: " + e.format());
        return result;
    }
    core::LabOptions options;
    options.labBinary = labBinary;
    std::vector<core::Event> events;
    std::string error;
    core::runLab(
        *parsed.scenario, options, [&](core::Event &&e) { events.push_back(std::move(e)); }, &error);
    result.failures = checkRun(events);
    if (!error.empty()) // the lab itself failed (could not start, died): say why first
        result.failures.insert(result.failures.begin(), "lab failed: " + error);
    result.events = std::move(events);
    return result;
}

SeedResult runSeed(std::uint64_t seed, const std::string &labBinary)
{
    return runScenarioText(seed, generateScenario(seed), labBinary);
}

std::string reproducer(const SeedResult &result)
{
    std::string out = "# Differential failure, seed " + std::to_string(result.seed) +
                      " (reproduce: sockscope run THIS-FILE; regenerate: sockscope-differential --print " +
                      std::to_string(result.seed) + ")\n";
    for (const auto &f : result.failures)
        out += "# FAILED " + f + "\n";
    return out + result.scenario;
}

std::string saveFailure(const SeedResult &result, const std::string &dir)
{
    const std::string stem = dir + "/seed-" + std::to_string(result.seed);
    std::ofstream(stem + ".scn") << reproducer(result);
    core::RunData run;
    run.scenarioName = "seed-" + std::to_string(result.seed);
    run.scenarioPath = stem + ".scn";
    run.scenarioSource = result.scenario;
    run.events = result.events;
    core::saveRun(stem + core::kRunFileExtension, run, nullptr);
    return stem + ".scn";
}

} // namespace sockscope::differential
