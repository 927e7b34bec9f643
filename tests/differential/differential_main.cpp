// SPDX-License-Identifier: GPL-3.0-or-later
// sockscope-differential: runs generated scenarios on the real kernel and writes each failing one to
// OUT/seed-N.scn (with the reasons as comments) and the failing run to OUT/seed-N.sockrun. scripts/differential.sh is
// the usual way in.
//   sockscope-differential --seeds 1-1000 [--out DIR] [--lab PATH]   exit 1 when any seed failed
//   sockscope-differential --print N                                 the scenario of seed N
//   sockscope-differential --check FILE...                           checks .scn files (e.g. reproducers)
#include "differential.h"
#include "scenariogenerator.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

using namespace sockscope::differential;

namespace {

bool parseRange(const std::string &s, std::uint64_t &first, std::uint64_t &last)
{
    try {
        const size_t dash = s.find('-');
        first = std::stoull(s.substr(0, dash));
        last = dash == std::string::npos ? first : std::stoull(s.substr(dash + 1));
        return first <= last;
    } catch (...) {
        return false;
    }
}

} // namespace

int main(int argc, char **argv)
{
    std::uint64_t first = 1, last = 100;
    std::string out = "differential-failures", lab = SOCKSCOPE_LAB_BINARY;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (a == "--seeds" && hasValue) {
            if (!parseRange(argv[++i], first, last)) {
                std::cerr << "sockscope-differential: --seeds takes A-B or N\n";
                return 2;
            }
        } else if (a == "--out" && hasValue) {
            out = argv[++i];
        } else if (a == "--lab" && hasValue) {
            lab = argv[++i];
        } else if (a == "--check" && hasValue) {
            int failedFiles = 0;
            for (++i; i < argc; ++i) {
                std::ifstream in(argv[i]);
                const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
                SeedResult r = runScenarioText(0, text, lab);
                std::cout << argv[i] << ": " << (r.failures.empty() ? "clean" : "FAILED") << "\n";
                for (const auto &f : r.failures)
                    std::cout << "  " << f << "\n";
                failedFiles += !r.failures.empty();
            }
            return failedFiles ? 1 : 0;
        } else if (a == "--print" && hasValue) {
            std::cout << generateScenario(std::stoull(argv[++i]));
            return 0;
        } else {
            std::cerr << "usage: sockscope-differential --seeds A-B [--out DIR] [--lab PATH] | --print N\n";
            return 2;
        }
    }
    std::filesystem::create_directories(out);
    std::uint64_t clean = 0, failed = 0;
    for (std::uint64_t seed = first; seed <= last; ++seed) {
        SeedResult r = runSeed(seed, lab);
        if (r.failures.empty()) {
            ++clean;
            continue;
        }
        ++failed;
        const std::string path = saveFailure(r, out);
        std::cout << "seed " << seed << ": FAILED " << r.failures.front()
                  << (r.failures.size() > 1 ? " (+" + std::to_string(r.failures.size() - 1) + " more)" : "") << " -> "
                  << path << "\n"
                  << std::flush;
    }
    std::cout << (clean + failed) << " run, " << clean << " clean, " << failed << " failed\n";
    return failed ? 1 : 0;
}
