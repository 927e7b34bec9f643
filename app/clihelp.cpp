// SPDX-License-Identifier: GPL-3.0-or-later
// The table of commands and the top-level --help built from it, so the help lists what the parser accepts.
#include "app/cli.h"

#include <iostream>

namespace sockscope::app {

const std::vector<Command> &commands()
{
    static const std::vector<Command> all{openCommand(), listCommand(),  showCommand(),
                                          runCommand(),  checkCommand(), exportCommand()};
    return all;
}

OptionSpec quietOption()
{
    return {"quiet", 'q', "", "print only errors and failed expectations (the exit status says the rest)"};
}

OptionSpec colorOption()
{
    return {"color", 0, "WHEN", "colour the log: auto (a terminal, NO_COLOR unset), always, never"};
}

OptionSpec hostOption()
{
    return {"host", 0, "", "use the host's loopback instead of a private network namespace"};
}

std::string exitStatusText()
{
    return "Exit status: 0 success (every expectation held); 1 an expectation did not hold or a kernel snapshot\n"
           "contradicted the derived TCP states; 2 usage error or bad input (unknown option, missing value, a\n"
           "scenario that does not parse, a file that cannot be read or written, no display for the window), or a\n"
           "fault of the lab (killed, stopped, a broken stream, past its time bound: the reason is on stderr).\n";
}

void printUsage(bool full)
{
    std::cout << "Usage: sockscope [COMMAND [OPTIONS] [ARGS]]\n"
                 "Runs TCP scenarios on the real Linux kernel (loopback, private network namespace) and shows\n"
                 "every system call, signal, segment and TCP state.\n\n"
                 "Commands:\n"
                 "  (none)                      open the window\n";
    for (const Command &c : commands()) {
        std::string left = "  " + c.spec.name + (c.spec.operands.empty() ? "" : " " + c.spec.operands);
        left += std::string(left.size() < 30 ? 30 - left.size() : 1, ' ');
        std::cout << left << c.spec.summary.substr(0, c.spec.summary.find('\n')) << "\n";
    }
    std::cout << "  --help, --version\n\n"
                 "Options follow GNU conventions: --width=N or --width N, '--' ends the options,\n"
                 "'sockscope COMMAND --help' prints a command's options, '-o -' writes to standard output.\n";
    if (full) {
        for (const Command &c : commands()) {
            if (!c.spec.options.empty())
                std::cout << "\nOptions of " << c.spec.name << ":\n" << optionRows(c.spec);
        }
    }
    std::cout << "\n"
              << exitStatusText() << "Scenario format: " << docPath("scenario-format.md")
              << ". Event stream: " << docPath("events.md") << ".\nExports: " << docPath("export.md")
              << ". Manual: man sockscope.\n";
}

} // namespace sockscope::app
