// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: parses one line of untrusted JSON into a value with bounded cost: the length and the bracket nesting
// are checked before nlohmann sees the text, and every nlohmann exception (parse, number overflow, type) is turned
// into a message with the 1-based byte column where it was found.
// Thread-safety: pure function.

#include "core/stream/eventlimits.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace sockscope::core {

struct JsonLineError
{
    std::string message;
    int column = 0; // 1-based byte column, 0 when the error is about the whole line
};

// The value on the line, or nullopt with *error set. maxBytes bounds the line's length.
std::optional<nlohmann::ordered_json> parseJsonLine(std::string_view line, JsonLineError *error,
                                                    std::size_t maxBytes = kMaxJsonLineBytes);

// The 1-based column of the first `"key"` on the line, or 1: where a message about that field points.
int columnOfKey(std::string_view line, std::string_view key);

} // namespace sockscope::core
