// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The main window: assembles the views around one RunModel and one ViewState, and the actions.
// Views talk through the ViewState only; this class holds no view logic.
// Start-up in two stages (DESIGN.md budget: first frame <= 1.2 x a bare QCustomPlot window): the constructor
// builds what the first frame shows (diagram, browser, menus, toolbar, status bar, the docks' frames, restored
// geometry and dock state); the docks' views (timelines, event table, explanation, Qt Charts queue chart) and
// the teaching actions are built right after the first frame, or at once by ensureComplete().
// Thread-safety: GUI thread only.

#include <QElapsedTimer>
#include <QMainWindow>

class QActionGroup;
class QDockWidget;
class QLabel;

namespace sockscope::core {
struct Scenario;
}

namespace sockscope::ui {

class EventTable;
class ExplanationPanel;
class LabWorker;
class QueueChart;
class RunModel;
class ScenarioBrowser;
class SequenceView;
class TimelineView;
class ViewState;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    RunModel *runModel() const { return m_run; }
    ViewState *viewState() const { return m_view; }
    LabWorker *labWorker() const { return m_worker; }
    ScenarioBrowser *browser() const { return m_browser; }
    TimelineView *timeline();
    SequenceView *sequenceView() const { return m_sequence; }

    // Builds what the constructor left for after the first frame, now; idempotent. Tests call it (or an
    // accessor that does) before they look for the docks' views or the teaching actions.
    void ensureComplete();
    bool isComplete() const { return m_complete; }

Q_SIGNALS:
    void completed(); // the deferred views and actions exist (emitted once)

public:
    // Selects a scenario by name in the browser and runs it; false if there is no such scenario.
    bool selectAndRun(const QString &name);
    void runScenario(const core::Scenario &scenario);
    void runCurrent();
    void openFile();

protected:
    bool event(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    QWidget *createCentralView();
    QDockWidget *addDock(const QString &title, const QString &objectName, QWidget *widget, Qt::DockWidgetArea area);
    void createDocks();
    void scheduleCompletion();
    void createActions();
    void zoomBy(double factor);
    void zoomReset();
    void createStatusBar();
    void updateRunInfo();
    void startWaitCountdown(int step, qint64 ms);
    void showWaitCountdown();
    void stopWaitCountdown();
    // The status text, and the one shown instead while reveal hides later facts (empty: the same).
    void setProgress(const QString &text, bool failed = false, const QString &whileHiding = {});
    void refreshProgress();
    void concealSpoilers(); // the status text and the browser, as RevealRule says
    void onRunFinished(bool expectationsOk);
    void onRunFailed(const QString &message);

    RunModel *m_run;
    ViewState *m_view;
    LabWorker *m_worker;
    ScenarioBrowser *m_browser;
    SequenceView *m_sequence = nullptr;
    TimelineView *m_timeline = nullptr; // this and the next three: built by ensureComplete()
    EventTable *m_table = nullptr;
    QueueChart *m_queues = nullptr;
    ExplanationPanel *m_explanation = nullptr;
    QList<QDockWidget *> m_docks;
    bool m_complete = false;
    bool m_completing = false;
    bool m_completionScheduled = false;
    QAction *m_runAction = nullptr;
    QAction *m_stopAction = nullptr;
    QLabel *m_isolation;
    QLabel *m_capture;
    QLabel *m_sysctl; // the run's kernel settings; hidden when it has none
    QLabel *m_progress;
    // A long sleep()/wait(): its countdown replaces the progress text until it has run out.
    QTimer *m_waitTimer = nullptr;
    QElapsedTimer m_waitClock;
    qint64 m_waitMs = 0;
    QString m_waitWhat;
    QString m_progressText;
    QString m_progressHidden;
    bool m_progressFailed = false;
};

} // namespace sockscope::ui
