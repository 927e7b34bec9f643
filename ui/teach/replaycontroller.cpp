// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/teach/replaycontroller.h"

#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"

#include <algorithm>
#include <cmath>

namespace sockscope::ui {

ReplayController::ReplayController(RunModel *run, ViewState *view, QObject *parent)
    : QObject(parent), m_run(run), m_view(view), m_cursor(run)
{
    connect(&m_timer, &QTimer::timeout, this, &ReplayController::tick);
    m_timer.setInterval(static_cast<int>(std::lround(1000.0 / m_speed)));
    // A click in any view moves the cursor: reveal follows it too.
    connect(m_view, &ViewState::cursorChanged, this, &ReplayController::syncReveal);
    connect(m_run, &RunModel::runReset, this, [this] {
        setPlaying(false);
        syncReveal();
    });
}

void ReplayController::nextEvent()
{
    moveTo(m_cursor.nextEvent(m_view->cursor()));
}
void ReplayController::prevEvent()
{
    moveTo(m_cursor.prevEvent(m_view->cursor()));
}
void ReplayController::nextStep()
{
    moveTo(m_cursor.nextStep(m_view->cursor()));
}
void ReplayController::prevStep()
{
    moveTo(m_cursor.prevStep(m_view->cursor()));
}

void ReplayController::moveTo(int eventIndex)
{
    m_view->setCursor(eventIndex);
    syncReveal();
}

void ReplayController::setPlaying(bool on)
{
    if (on == isPlaying())
        return;
    if (on) {
        if (m_view->cursor() >= m_run->eventCount() - 1)
            moveTo(m_cursor.home()); // play from the start when at the end
        m_timer.start();
    } else {
        m_timer.stop();
    }
    emit playingChanged(on);
}

void ReplayController::setSpeed(double eventsPerSecond)
{
    m_speed = std::clamp(eventsPerSecond, 0.1, 1000.0);
    m_timer.setInterval(std::max(1, static_cast<int>(std::lround(1000.0 / m_speed))));
    emit speedChanged(m_speed);
}

void ReplayController::setRevealing(bool on)
{
    if (on == m_reveal)
        return;
    m_reveal = on;
    syncReveal();
    emit revealingChanged(on);
}

void ReplayController::tick()
{
    const int next = m_cursor.nextEvent(m_view->cursor());
    moveTo(next);
    if (next >= m_run->eventCount() - 1)
        setPlaying(false);
}

void ReplayController::syncReveal()
{
    // Reveal with no cursor yet shows nothing but the header: the class guesses the first step.
    m_view->setRevealLimit(m_reveal ? std::max(m_view->cursor(), 0) : -1);
}

} // namespace sockscope::ui
