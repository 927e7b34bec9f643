// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The GUI front end: creates the QApplication and the main window; app/main.cpp calls it.

#include <string>

namespace sockscope::ui {

// What `sockscope open` asked for (plain std types: app/ does not see Qt).
struct GuiStart
{
    std::string scenario;   // a built-in name, a .scn or .sockrun file, or "" for none
    bool step = false;      // --step: paused before the first step
    bool classMode = false; // --class
    bool reveal = false;    // --reveal
};

// Runs the window until it closes; the start's scenario is opened (and run) once the window is complete.
int runGui(int argc, char **argv, const GuiStart &start);

} // namespace sockscope::ui
