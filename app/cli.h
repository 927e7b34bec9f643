// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the command-line front end (open, list, show, run, check, export): one table of commands, each with
// its option table (parsed by app/cliargs) and a function that returns the process exit code:
// 0 success, 1 an expectation failed or a kernel snapshot contradicted the derived TCP states, 2 usage error,
// bad input or a fault of the lab (the reason on stderr).

#include "app/cliargs.h"
#include "core/io/exportformat.h"
#include "core/io/verdict.h"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace sockscope::app {

struct Command
{
    CommandSpec spec;
    int (*run)(const ParsedArgs &args);
};

// Every command, in --help's order.
const std::vector<Command> &commands();
Command openCommand();
Command listCommand();
Command showCommand();
Command runCommand();
Command checkCommand();
Command exportCommand();

// Options shared by several commands (one wording everywhere).
OptionSpec quietOption();
OptionSpec colorOption();
OptionSpec hostOption();
// The exit codes, for every --help.
std::string exitStatusText();

// The top-level help: usage, every command's synopsis, and with full every command's options.
void printUsage(bool full);

// A user doc's path ("export.md"): under the installed share/doc/sockscope/ when the program is installed,
// else in the source tree's docs/.
std::string docPath(const std::string &file);

// Failed expectations, each contradiction with the events around it, and why the run failed; nothing for a run
// that passed. The same text for run, check and export.
void printVerdict(const std::vector<core::Event> &events, const core::RunVerdict &verdict, std::ostream &out);

// The "export" command's work, for `open --headless-export` too.
struct ExportArgs
{
    std::string input;
    std::string output; // "-": standard output
    std::optional<core::ExportFormat> format;
    std::string view = "figure";
    int width = 0;
    double scale = 1.0;
    bool dark = false;
    bool log = false;
    bool color = false; // colour the --log
    bool forceHost = false;
    bool quiet = false;
};
int runExport(const ExportArgs &args);

} // namespace sockscope::app
