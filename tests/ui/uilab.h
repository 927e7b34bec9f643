// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Helpers of the UI tests that run built-ins through the real lab (header-only: tests/ui globs test_*.cpp
// into executables).

#include "core/lab/parent/labclient.h"
#include "core/scenario/builtins.h"
#include "ui/model/runmodel.h"

#include <QtGlobal>

#include <algorithm>

namespace sockscope::uitest {

// A built-in scenario by name; a missing one ends the test program (the catalogue is compiled in).
inline core::Scenario builtin(const char *name)
{
    auto r = core::resolveScenario(name);
    if (!r.scenario)
        qFatal("no built-in %s", name);
    return *r.scenario;
}

// The events of one run of a built-in through the real lab (SOCKSCOPE_LAB_BINARY), on the calling thread.
inline std::vector<core::Event> runBuiltinEvents(const char *name)
{
    core::LabOptions o;
    o.labBinary = SOCKSCOPE_LAB_BINARY;
    std::vector<core::Event> events;
    std::string error;
    core::runLab(
        builtin(name), o, [&](core::Event &&e) { events.push_back(std::move(e)); }, &error);
    if (!error.empty())
        qWarning("%s: %s", name, error.c_str());
    return events;
}

// The highest step index seen in the model so far, -1 for none.
inline int lastStepSeen(const ui::RunModel &run)
{
    int last = -1;
    for (const auto &e : run.events())
        if (const auto *s = e.as<core::StepInfo>())
            last = std::max(last, s->step);
    return last;
}

} // namespace sockscope::uitest
