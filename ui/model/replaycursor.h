// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: where the replay cursor goes next on a recorded run: event by event, step by step, home/end.
// A step move lands on the LAST event of a step, so that a reveal limit at the cursor shows the step's call
// and everything it caused; the steps of one '&' group count as one step.
// Thread-safety: a plain value over a RunModel; GUI thread only (like the model).

namespace sockscope::ui {

class RunModel;

class ReplayCursor
{
public:
    explicit ReplayCursor(const RunModel *run) : m_run(run) {}

    // Each returns the new cursor position given the current one (-1 = before the first event); an empty
    // run gives -1. Positions past the ends are clamped.
    int nextEvent(int cursor) const;
    int prevEvent(int cursor) const;
    int nextStep(int cursor) const;
    int prevStep(int cursor) const;
    int home() const;
    int end() const;

    // The last event of the step (group) that event `index` belongs to; events before the first step end
    // just before it.
    int stepEnd(int index) const;
    // Number of step groups in the run, and the 1-based group of an event (0 before the first step).
    int groupCount() const;
    int groupOf(int index) const;

private:
    int count() const;
    const RunModel *m_run;
};

} // namespace sockscope::ui
