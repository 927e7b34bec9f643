// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: one JSON Lines event (fromJsonLine). An accepted event must write back to a line that reads as
// the same event.
#include "core/stream/eventjson.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace sockscope::core;
    const std::string_view line(reinterpret_cast<const char *>(data), size);
    JsonLineResult r = fromJsonLine(line);
    if (!r.event) {
        if (r.error.empty())
            std::abort(); // a refusal always says why
        return 0;
    }
    const std::string out = toJsonLine(*r.event);
    JsonLineResult back = fromJsonLine(out);
    if (!back.event || toJsonLine(*back.event) != out)
        std::abort();
    return 0;
}
