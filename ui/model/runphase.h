// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the lifecycle of a live run in the window, one value instead of a set of flags, and the moves
// between phases that LabWorker may make (its setPhase() is the only place that changes it).
// Thread-safety: pure functions.

namespace sockscope::ui {

enum class RunPhase
{
    Idle,       // no run yet
    Running,    // a free run: events stream into the model as they come
    Stepping,   // step mode, the lab runs up to its next pause; the step's events are held back
    Paused,     // step mode, the lab waits for the teacher (no watchdog: any pause is fine)
    Stopping,   // the user asked to stop; the lab is ending
    Restarting, // stopping, then the same scenario starts again in the same mode
    Finished,   // the last run reached its end event
    Stopped,    // the last run was stopped by the user
    Failed      // the last run could not start, timed out or the lab died
};

// A lab is running or ending: no other run may start.
bool isLive(RunPhase phase);
// The phases LabWorker may move to from `from` (Idle, Finished, Stopped and Failed may start a new run).
bool canMove(RunPhase from, RunPhase to);
const char *phaseName(RunPhase phase);

} // namespace sockscope::ui
