// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the replay cursor's keyboard verbs on the shared ViewState (event/step moves, home/end, play/pause
// at a chosen speed) and reveal mode: the reveal limit follows the cursor so only what happened up to it
// is drawn. The moves themselves come from ReplayCursor.
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
    void end() { moveTo(m_cursor.end()); }
    void moveTo(int eventIndex);

    bool isPlaying() const { return m_timer.isActive(); }
    void setPlaying(bool on);
    void togglePlaying() { setPlaying(!isPlaying()); }
    double speed() const { return m_speed; } // events per second
    void setSpeed(double eventsPerSecond);

    bool isRevealing() const { return m_reveal; }
    void setRevealing(bool on);

    const ReplayCursor &cursor() const { return m_cursor; }

Q_SIGNALS:
    void playingChanged(bool playing);
    void revealingChanged(bool on);
    void speedChanged(double eventsPerSecond);

private:
    void tick();
    void syncReveal();

    RunModel *m_run;
    ViewState *m_view;
    ReplayCursor m_cursor;
    QTimer m_timer;
    double m_speed = 2;
    bool m_reveal = false;
};

} // namespace sockscope::ui
