// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: one event <-> one JSON line, exactly as docs/events.md specifies.
// Thread-safety: pure functions.

#include "core/stream/event.h"

#include <string>
#include <string_view>

namespace sockscope::core {

// No trailing newline.
std::string toJsonLine(const Event &event);

struct JsonLineResult
{
    std::optional<Event> event;
    std::string error; // set when event is empty: what is wrong, with the column where it can be told
    int column = 0;
};
JsonLineResult fromJsonLine(std::string_view line);

} // namespace sockscope::core
