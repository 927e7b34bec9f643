// SPDX-License-Identifier: GPL-3.0-or-later
// sockscope show NAME: a built-in's source, exactly as embedded, so a student can start a scenario from it.
#include "app/cli.h"

#include "core/scenario/builtins.h"

#include <iostream>

namespace sockscope::app {

int cmdShow(const Args &args)
{
    if (args.size() != 1 || args.front().empty() || args.front()[0] == '-')
        return usageError("'show' takes one built-in scenario name (see 'sockscope list')");
    const core::BuiltinScenario *b = core::findBuiltin(args.front());
    if (!b)
        return usageError("no built-in scenario named \"" + args.front() + "\" (see 'sockscope list')");
    std::cout << b->source;
    if (!b->source.empty() && b->source.back() != '\n')
        std::cout << '\n';
    return 0;
}

} // namespace sockscope::app
