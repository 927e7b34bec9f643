// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Helpers of the UI tests that run built-ins through the real lab (header-only: tests/ui globs test_*.cpp
// into executables).

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
