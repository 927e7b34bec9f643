// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the one rule of what reveal hides while a class guesses what happens next. Every place that could
// give the answer away asks it (the explanation, the window title, the scenario browser, the status bar, the
// lifeline headers, the state timelines, the queue chart, the tooltips) instead of reading the reveal limit
// itself: the events after the cursor, the sockets they create, and whatever names the outcome (the
// scenario's name, title, summary and notes) stay hidden until the finished run's last event is revealed.
// Thread-safety: a value over a RunModel; GUI thread only, as the model.

#include "core/stream/event.h"
#include "ui/model/runmodel.h"

#include <QString>

#include <span>

namespace sockscope::ui {

class ViewState;

class RevealRule
{
public:
    // revealLimit as ViewState::revealLimit(): the last event revealed, -1 with reveal off.
    RevealRule(const RunModel &run, int revealLimit) : m_run(run), m_limit(revealLimit) {}
    RevealRule(const RunModel &run, const ViewState &view);

    // Reveal is on: a run that starts now will be hidden as it arrives.
    bool on() const { return m_limit >= 0; }
    // Reveal is on and the finished run's last event is not revealed yet: later facts and telling names are
    // hidden. A run still streaming (stepping) is never at its end.
    bool hiding() const;
    // The last event shown: the run's last one unless reveal is on; -1 for none.
    int lastShown() const;
    bool shows(int eventIndex) const { return eventIndex <= lastShown(); }
    std::span<const core::Event> shownEvents() const;

    // A socket appears (lifeline, header, timeline row) once the event that created it is shown.
    bool showsSocket(int socketRow) const;
    // The socket as the shown events tell it: a role or an address set by a later event is not known yet.
    SocketRow socketAsShown(int socketRow) const;
    // Whether anything of this actor is shown yet (its calls or its sockets).
    bool showsActor(const std::string &actor) const;

    // The scenario's name or, while hiding, a neutral stand-in (window title, status texts, dialogs).
    QString runName() const;
    // The scenario's title or, while hiding, a neutral question (headings).
    QString heading() const;
    static QString neutralName();
    static QString neutralHeading();

private:
    const RunModel &m_run;
    int m_limit;
};

} // namespace sockscope::ui
