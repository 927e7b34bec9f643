// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: what the parent reads from a lab's stdout, split into lines the way LabSession::pump() splits
// them: control lines through parseJsonLine, events through EventStreamReader with the scenario's step count
// (the first input byte), stopping at the first refused line as pump() does.
#include "core/stream/eventreader.h"
#include "core/stream/jsonline.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace sockscope::core;
    if (size == 0)
        return 0;
    EventStreamReader reader(data[0] % 32);
    const std::string_view text(reinterpret_cast<const char *>(data + 1), size - 1);
    forEachLine(text, [&](int, std::string_view line, bool complete) {
        if (!complete)
            return false; // pump() waits for the newline
        if (line.rfind("{\"control\"", 0) == 0) {
            auto ctl = parseJsonLine(line, nullptr);
            if (ctl && ctl->is_object() && ctl->contains("next"))
                (void)ctl->at("next").is_number_unsigned();
            return true;
        }
        JsonLineResult r = reader.read(line);
        if (!r.event)
            return false;
        // An event that reached the sink is inside the limits the views rely on.
        if (r.event->tNs < 0 || r.event->n < 0)
            std::abort();
        if (const auto *c = r.event->as<CheckInfo>(); c && (c->step < 0 || c->step >= data[0] % 32))
            std::abort();
        return !reader.ended();
    });
    return 0;
}
