// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the command-line front end (list, show, run, check, export); each returns the process exit code:
// 0 every expectation held, 1 one did not, a kernel snapshot contradicted the derived TCP states, or the run
// failed; 2 bad input or usage.

#include "core/io/verdict.h"

#include <ostream>
#include <string>
#include <vector>

namespace sockscope::app {

using Args = std::vector<std::string>;

int cmdList(const Args &args);
int cmdShow(const Args &args);
int cmdRun(const Args &args);
int cmdCheck(const Args &args);
int cmdExport(const Args &args);
void printUsage(bool full);

// A user doc's path ("export.md"): under the installed share/doc/sockscope/ when the program is installed,
// else in the source tree's docs/.
std::string docPath(const std::string &file);

// Failed expectations, each contradiction with the events around it, and why the run failed; nothing for a run
// that passed. The same text for run, check and export.
void printVerdict(const std::vector<core::Event> &events, const core::RunVerdict &verdict, std::ostream &out);

// "sockscope: error: ..." on stderr, returns 2.
int usageError(const std::string &message);

} // namespace sockscope::app
