// SPDX-License-Identifier: GPL-3.0-or-later
// sockscope: the window, or with a command the command line. Both are front ends on one engine (core/).
#include "app/cli.h"
#include "app/privilege.h"

#include <iostream>

int main(int argc, char **argv)
{
    using namespace sockscope::app;
    refuseSetid("sockscope");
    const Args args(argv + 1, argv + argc);
    const std::string word = args.empty() ? std::string("open") : args.front();
    const Args rest(args.empty() ? args.end() : args.begin() + 1, args.end());
    if (word == "--help" || word == "-h" || word == "help") {
        for (const Command &c : commands()) {
            if (rest.size() == 1 && rest.front() == c.spec.name) { // sockscope help run
                std::cout << commandHelp(c.spec);
                return 0;
            }
        }
        printUsage(true);
        return 0;
    }
    if (word == "--version" || word == "-V") {
        std::cout << "sockscope " << SOCKSCOPE_VERSION << "\n";
        return 0;
    }
    for (const Command &c : commands()) {
        if (c.spec.name != word)
            continue;
        int rc = 0;
        const auto parsed = parseCommand(c.spec, rest, &rc);
        return parsed ? c.run(*parsed) : rc;
    }
    return usageError("", "unknown command or option '" + word + "'");
}
