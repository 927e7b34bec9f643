// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the run-file reader (header and event stream) on any bytes. A run it accepts must save and read
// back to the same events.
#include "core/io/runfile.h"
#include "core/stream/eventjson.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace sockscope::core;
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    LoadError error;
    auto run = parseRun(text, "fuzz.sockrun", &error);
    if (!run) {
        (void)error.format();
        return 0;
    }
    // What was accepted is written and read again: the second reading must accept it and agree.
    std::string again = "{\"sockscope_run\":1,\"saved\":\"\",\"scenario_name\":\"\",\"scenario_path\":\"\","
                        "\"scenario_source\":\"\"}\n";
    for (const auto &e : run->events)
        again += toJsonLine(e) + "\n";
    auto back = parseRun(again, "again.sockrun", &error);
    if (!back || back->events.size() != run->events.size())
        std::abort();
    for (std::size_t i = 0; i < back->events.size(); ++i)
        if (toJsonLine(back->events[i]) != toJsonLine(run->events[i]))
            std::abort();
    return 0;
}
