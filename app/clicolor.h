// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: --color=auto|always|never for the text log: when to colour, and the colours (ANSI SGR) by what a
// line shows: errors and failures red, segments cyan (RST red), state changes yellow, signals magenta,
// the scenario's notes dim, a passing end line green.
// Thread-safety: pure functions (useColor reads the environment and isatty).

#include <optional>
#include <string>

namespace sockscope::app {

enum class ColorMode
{
    Auto,
    Always,
    Never
};

std::optional<ColorMode> colorModeFromName(const std::string &name); // "auto", "always", "never"
// Auto: standard output is a terminal and NO_COLOR is unset or empty (https://no-color.org).
bool useColor(ColorMode mode);
// The same lines ('\n'-separated, no trailing newline needed), each wrapped in its colour.
std::string colorizeLog(const std::string &lines);

} // namespace sockscope::app
