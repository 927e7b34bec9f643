// SPDX-License-Identifier: GPL-3.0-or-later
// sockscope list / show NAME: the built-in catalogue, and a built-in's source exactly as embedded, so a
// student can start a scenario from it.
#include "app/cli.h"

#include "core/scenario/builtins.h"

#include <iomanip>
#include <iostream>

namespace sockscope::app {

namespace {

int cmdList(const ParsedArgs &)
{
    auto all = core::parsedBuiltins();
    size_t nameWidth = 4, topicWidth = 5;
    for (const auto &s : all) {
        nameWidth = std::max(nameWidth, s.name.size());
        topicWidth = std::max(topicWidth, s.topic.size());
    }
    std::cout << std::left << std::setw(static_cast<int>(nameWidth + 2)) << "NAME"
              << std::setw(static_cast<int>(topicWidth + 2)) << "TOPIC"
              << "TITLE\n";
    for (const auto &s : all)
        std::cout << std::setw(static_cast<int>(nameWidth + 2)) << s.name << std::setw(static_cast<int>(topicWidth + 2))
                  << s.topic << s.title << "\n";
    return 0;
}

int cmdShow(const ParsedArgs &args)
{
    const std::string &name = args.operands.front();
    const core::BuiltinScenario *b = core::findBuiltin(name);
    if (!b)
        return usageError("show", "no built-in scenario named \"" + name + "\" (see 'sockscope list')");
    std::cout << b->source;
    if (!b->source.empty() && b->source.back() != '\n')
        std::cout << '\n';
    return 0;
}

} // namespace

Command listCommand()
{
    return {{"list", "", "list the built-in scenarios (name, topic, title)", 0, 0, "", {}, ""}, cmdList};
}

Command showCommand()
{
    return {{"show",
             "NAME",
             "print a built-in scenario's source (to start a new one from)",
             1,
             1,
             "a built-in scenario's name (see 'sockscope list')",
             {},
             ""},
            cmdShow};
}

} // namespace sockscope::app
