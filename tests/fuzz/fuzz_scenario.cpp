// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the scenario parser on any text. It must return a scenario or errors, never crash or hang.
#include "core/scenario/scenario.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    const auto result = sockscope::core::parseScenario(text, "fuzz.scn");
    // Every error must be printable with its position.
    for (const auto &e : result.errors)
        (void)e.format();
    return 0;
}
