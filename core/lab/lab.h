// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the lab runner's main: reads a scenario and commands on stdin, runs the scenario in a private
// network namespace on actor threads, and writes the event stream (JSON Lines) to stdout.
// Thread-safety: labMain() must be entered while the process is single-threaded.

namespace sockscope::core {

// The first stdin line is a JSON object: {"name", "path", "source", "step_mode", "settle_us", "block_ms"}.
// Later lines are commands: "step", "continue", "stop". Control lines on stdout carry a "control" key
// ({"control":"paused","next":N}) and are not events. Returns the process exit code.
int labMain();

} // namespace sockscope::core
