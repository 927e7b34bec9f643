// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the teaching actions of the main window: live stepping (Step F10, Continue F5 while paused,
// Restart Ctrl+R), the replay cursor (arrows, Ctrl+arrows, Home/End, Space, speed, reveal R, predict P and
// the class's answers 1-4), class mode
// (F11, Esc, Ctrl+=/Ctrl+-), Run N times with the outcome chart, and the scenario editor.
// installTeachActions() adds them to a MainWindow's menus; MainWindow itself only makes that one call.
// Thread-safety: GUI thread only.

#include <QObject>
#include <QString>

class QAction;
class QActionGroup;
class QMenu;

namespace sockscope::core {
struct Scenario;
}

namespace sockscope::ui {

class ClassMode;
class MainWindow;
class ReplayController;
class ScenarioEditor;

class TeachActions : public QObject
{
    Q_OBJECT
public:
    explicit TeachActions(MainWindow *window);

    QAction *stepAction() const { return m_step; }
    QAction *restartAction() const { return m_restart; }
    QAction *runNAction() const { return m_runN; }
    QAction *classModeAction() const { return m_classAction; }
    QAction *revealAction() const { return m_reveal; }
    QAction *predictAction() const { return m_predict; }
    ReplayController *replay() const { return m_replay; }
    ClassMode *classMode() const { return m_classMode; }
    ScenarioEditor *editor() const { return m_editor; }

    // F10: starts the current scenario in step mode (and runs its first step), or runs the next step.
    void step();
    void restart();
    // Runs `runs` times in the background and shows the outcome chart (no dialog: for tests).
    void runTimes(const core::Scenario &scenario, int runs);
    void runTimesDialog();
    // The status bar text while stepping: "Step 3/12: server close(A)".
    static QString stepStatus(const core::Scenario &scenario, int nextStep);

private:
    void createActions();
    void addToMenus();
    void onPaused(int nextStep);
    void setPredicting(bool on);
    const core::Scenario *currentScenario() const;

    MainWindow *m_window;
    ReplayController *m_replay;
    ClassMode *m_classMode;
    ScenarioEditor *m_editor = nullptr;
    QAction *m_step = nullptr;
    QAction *m_restart = nullptr;
    QAction *m_runN = nullptr;
    QAction *m_classAction = nullptr;
    QAction *m_leaveClass = nullptr;
    QAction *m_play = nullptr;
    QAction *m_reveal = nullptr;
    QAction *m_predict = nullptr;
    QList<QAction *> m_answers; // 1-4: the class's answer in predict mode
    QList<QAction *> m_replayActions;
    QList<QAction *> m_classActions;
    QActionGroup *m_speeds = nullptr;
    bool m_stepOnFirstPause = false;
    int m_batchStart = 0;
};

// Creates the teaching actions for `window` and puts them in its menus and toolbar.
TeachActions *installTeachActions(MainWindow *window);

} // namespace sockscope::ui
