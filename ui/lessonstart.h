// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: starts a lesson in the main window from the command line (`sockscope open NAME|FILE [--step]
// [--class] [--reveal]`): opens a built-in, a scenario file or a saved run, optionally in class mode, with reveal
// on, and runs the scenario live or paused before its first step.
// Thread-safety: GUI thread only.

#include <QString>

namespace sockscope::ui {

class MainWindow;

struct LessonRequest
{
    QString target;         // a built-in's name, a .scn file or a .sockrun file
    bool step = false;      // paused before the first step (F10 steps) instead of running to the end
    bool classMode = false; // full screen, large type (F11)
    bool reveal = false;    // reveal up to the cursor (R)
};

// Completes the window, applies the request's modes and opens its target; returns what went wrong in words,
// or an empty string. A saved run ignores `step` (it is replayed, not run).
QString startLesson(MainWindow &window, const LessonRequest &request);

} // namespace sockscope::ui
