// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The GUI front end: creates the QApplication and the main window; app/main.cpp calls it.

#include <string>

namespace sockscope::ui {

// Runs the window until it closes; scenarioToRun (a built-in name, or "") is selected and run at start.
int runGui(int argc, char **argv, const std::string &scenarioToRun);

} // namespace sockscope::ui
