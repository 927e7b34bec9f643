// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the replay cursor's keyboard verbs on the shared ViewState (event/step moves, home/end, play/pause
// at a chosen speed) and reveal mode: the reveal limit follows the cursor so only what happened up to it
// is drawn; predict mode holds the forward moves (event, step, end, play) at each unanswered question
// (prediction.h) until the class's answer is given. The moves themselves come from ReplayCursor.
// Thread-safety: GUI thread only.

#include "ui/model/replaycursor.h"

#include <QObject>
#include <QTimer>

namespace sockscope::ui {

class RunModel;
class ViewState;

class ReplayController : public QObject
{
    Q_OBJECT
public:
    static constexpr double kSpeeds[] = {1, 2, 5, 10, 20, 50}; // events per second

    ReplayController(RunModel *run, ViewState *view, QObject *parent = nullptr);

    void nextEvent();
    void prevEvent();
    void nextStep();
    void prevStep();
    void home() { moveTo(m_cursor.home()); }
    void end() { moveTo(gated(m_cursor.end())); }
    void moveTo(int eventIndex);

    bool isPlaying() const { return m_timer.isActive(); }
    void setPlaying(bool on);
    void togglePlaying() { setPlaying(!isPlaying()); }
    double speed() const { return m_speed; } // events per second
    void setSpeed(double eventsPerSecond);

    bool isRevealing() const { return m_reveal; }
    void setRevealing(bool on);

    const ReplayCursor &cursor() const { return m_cursor; }

    // Predict mode: the class's answer (0-based choice) to the question at the cursor; the cursor then moves
    // on to show the truth. False when the cursor is on no question or the choice does not exist.
    bool answer(int choice);

Q_SIGNALS:
    void playingChanged(bool playing);
    void revealingChanged(bool on);
    void speedChanged(double eventsPerSecond);
    void answerNeeded(int callEvent); // a forward move was held: the question at the cursor waits for 1-4

private:
    void tick();
    void syncReveal();
    // Predict mode: where a forward move to `target` stops (the first unanswered question on the way).
    int gated(int target);

    RunModel *m_run;
    ViewState *m_view;
    ReplayCursor m_cursor;
    QTimer m_timer;
    double m_speed = 2;
    bool m_reveal = false;
};

} // namespace sockscope::ui
