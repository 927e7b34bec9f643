// SPDX-License-Identifier: GPL-3.0-or-later
// Colours for the text log. They are chosen from the line's text, not the event, because one event can
// release several lines (a call's deferred segments and state changes come out after the call's line).
#include "app/clicolor.h"

#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <string_view>

namespace sockscope::app {

namespace {

constexpr std::string_view kReset = "\033[0m";

std::string_view colourOf(std::string_view line)
{
    const size_t text = line.find_first_not_of(' ');
    const std::string_view body = text == std::string_view::npos ? std::string_view() : line.substr(text);
    if (line.find("FAILED") != std::string_view::npos)
        return "\033[1;31m"; // bold red
    if (body.starts_with("# end: ok"))
        return "\033[32m"; // green
    if (body.starts_with("#"))
        return "\033[2m"; // dim: the scenario's notes and the header
    if (line.find(" --- SIG") != std::string_view::npos)
        return "\033[35m"; // magenta
    if (line.find(" -> ") != std::string_view::npos) {
        const bool segment =
            line.find(" seq=") != std::string_view::npos || line.find(" ack=") != std::string_view::npos;
        if (!segment)
            return "\033[33m"; // yellow: a state change
        return line.find(" RST") != std::string_view::npos ? "\033[31m" : "\033[36m";
    }
    if (line.find(" = -1 ") != std::string_view::npos)
        return "\033[31m"; // a call that failed
    return {};
}

} // namespace

std::optional<ColorMode> colorModeFromName(const std::string &name)
{
    if (name == "auto")
        return ColorMode::Auto;
    if (name == "always")
        return ColorMode::Always;
    if (name == "never")
        return ColorMode::Never;
    return std::nullopt;
}

bool useColor(ColorMode mode)
{
    if (mode != ColorMode::Auto)
        return mode == ColorMode::Always;
    const char *noColor = std::getenv("NO_COLOR");
    return ::isatty(STDOUT_FILENO) == 1 && !(noColor && *noColor);
}

std::string colorizeLog(const std::string &lines)
{
    std::ostringstream out;
    std::istringstream in(lines);
    bool first = true;
    for (std::string line; std::getline(in, line); first = false) {
        if (!first)
            out << '\n';
        const std::string_view colour = colourOf(line);
        if (colour.empty() || line.empty())
            out << line;
        else
            out << colour << line << kReset;
    }
    if (!lines.empty() && lines.back() == '\n')
        out << '\n';
    return out.str();
}

} // namespace sockscope::app
