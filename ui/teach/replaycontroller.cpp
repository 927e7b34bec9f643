// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/teach/replaycontroller.h"

#include "ui/model/prediction.h"
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
        m_view->clearAnswers();
        syncReveal();
    });
}

void ReplayController::nextEvent()
{
    moveTo(gated(m_cursor.nextEvent(m_view->cursor())));
}
void ReplayController::prevEvent()
{
    moveTo(m_cursor.prevEvent(m_view->cursor()));
}
void ReplayController::nextStep()
{
    moveTo(gated(m_cursor.nextStep(m_view->cursor())));
}

int ReplayController::gated(int target)
{
    if (!m_view->predicting())
        return target;
    const int from = std::max(m_view->cursor(), 0);
    for (int i = from; i < target && i < m_run->eventCount(); ++i)
        if (m_view->answerAt(i) < 0 && predictionAt(m_run->events(), m_run->scenario(), i)) {
            if (i == m_view->cursor())
                emit answerNeeded(i);
            return i;
        }
    return target;
}

bool ReplayController::answer(int choice)
{
    const int call = m_view->cursor();
    const auto p = m_view->predicting() ? predictionAt(m_run->events(), m_run->scenario(), call) : std::nullopt;
    if (!p || choice < 0 || choice >= p->choices.size())
        return false;
    m_view->setAnswer(call, choice);
    moveTo(gated(p->answer)); // the truth: the rest of the step (up to a next question inside it)
    return true;
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
    const int next = gated(m_cursor.nextEvent(m_view->cursor()));
    const bool held = next == m_view->cursor(); // a question waits for the class
    moveTo(next);
    if (held || next >= m_run->eventCount() - 1)
        setPlaying(false);
}

void ReplayController::syncReveal()
{
    // Reveal with no cursor yet shows nothing but the header: the class guesses the first step.
    m_view->setRevealLimit(m_reveal ? std::max(m_view->cursor(), 0) : -1);
}

} // namespace sockscope::ui
