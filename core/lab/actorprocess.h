// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: an actor as a process: its exit (the kernel closes every descriptor it owns, in fd order) and the
// signals another actor sends to its thread, caught by a handler installed with or without SA_RESTART.
// Actors are threads of the one lab process (docs/scenario-format.md, "Descriptors, processes and signals",
// says how this maps to real processes). Thread-safety: call from the acting actor's own thread.

#include "core/lab/callexec.h"
#include "core/lab/labrecorder.h"

#include <cstdint>

namespace sockscope::core {

// Closes every open descriptor `step.actor` owns, lowest fd first, as exit_files() does at process exit, and
// records it as one call: its return carries the descriptors closed ("4 5").
void recordExit(const Step &step, std::int64_t id, LabRecorder &recorder, VarTable &vars);

// Installs the step's handler (SA_RESTART or not) for its signal, sends it to the target thread `tid` (whose
// call in progress is `during`, 0 for none) and waits until the handler ran. Recorded as one call of the sender.
void recordSignal(const Step &step, std::int64_t id, int tid, std::int64_t during, LabRecorder &recorder);

// The signal the lab itself interrupts blocked calls with at the end of a run (a real-time signal, so that a
// scenario's SIGALRM or SIGUSR1 handler with SA_RESTART cannot keep a call from ending).
int labInterruptSignal();

} // namespace sockscope::core
