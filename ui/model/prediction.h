// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: predict mode's question for one call of a run: "recv() returns: data / 0 / -1 ECONNRESET / blocks",
// or for close() and shutdown() "The next segment is: FIN / RST / nothing". The choices are the classes of
// result this kind of call can have plus the results the scenario expects of calls of the same name, never
// written per scenario; the truth comes from the run's own events.
// Thread-safety: pure functions over values.

#include "core/scenario/scenario.h"
#include "core/stream/event.h"

#include <QStringList>

#include <optional>
#include <span>

namespace sockscope::ui {

struct Prediction
{
    int call = -1;       // the syscall event the question is asked at
    int answer = -1;     // the last event of the call's step: revealing up to it shows the truth
    QString question;    // "recv() returns:"
    QStringList choices; // 2 to 4 (keys 1 to 4)
    int truth = -1;      // index of the true choice in choices
};

// The question at events[index] when it is a syscall that predict mode asks about; nothing otherwise. A
// scenario (may be null) adds the results it expects of calls of the same name.
std::optional<Prediction> predictionAt(std::span<const core::Event> events, const core::Scenario *scenario, int index);

// A step's source line without its expected result: "server close(A)" for "server close(A) = 0". Reveal and
// predict show this, the expectation would give the answer away.
QString callWithoutResult(const std::string &stepText);

} // namespace sockscope::ui
