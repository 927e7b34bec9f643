// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: one differential case: generate the seed's scenario, parse it with the real parser, run it on the real
// kernel through the lab the CLI uses, and check the run (runchecks.h).
// Thread-safety: each call starts its own lab child; calls on different threads are independent.

#include <cstdint>
#include <string>
#include <vector>

namespace sockscope::differential {

struct SeedResult
{
    std::uint64_t seed = 0;
    std::string scenario;              // the generated text
    std::vector<std::string> failures; // empty when the run is clean
};

// labBinary: the sockscope-lab to run, "" for the one next to this executable.
SeedResult runSeed(std::uint64_t seed, const std::string &labBinary);
SeedResult runScenarioText(std::uint64_t seed, const std::string &text, const std::string &labBinary);

// The scenario with the failures as comments at its top: `sockscope run FILE` reproduces it.
std::string reproducer(const SeedResult &result);

} // namespace sockscope::differential
