// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: one differential case: generate the seed's scenario, parse it with the real parser, run it on the real
// kernel through the lab the CLI uses, and check the run (runchecks.h).
// Thread-safety: each call starts its own lab child; calls on different threads are independent.

#include "core/stream/event.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sockscope::differential {

struct SeedResult
{
    std::uint64_t seed = 0;
    std::string scenario;              // the generated text
    std::vector<std::string> failures; // empty when the run is clean
    std::vector<core::Event> events;   // what the run recorded, to save beside a failure's reproducer
};

// labBinary: the sockscope-lab to run, "" for the one next to this executable.
SeedResult runSeed(std::uint64_t seed, const std::string &labBinary);
SeedResult runScenarioText(std::uint64_t seed, const std::string &text, const std::string &labBinary);

// The scenario with the failures as comments at its top: `sockscope run FILE` reproduces it.
std::string reproducer(const SeedResult &result);
// Writes DIR/seed-N.scn (the reproducer) and DIR/seed-N.sockrun (the failing run itself: a timing-dependent
// failure may not come back, so what the kernel did is kept). Returns the .scn path.
std::string saveFailure(const SeedResult &result, const std::string &dir);

} // namespace sockscope::differential
