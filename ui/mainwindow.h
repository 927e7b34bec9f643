// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The main window: assembles the views around one RunModel and one ViewState, and the actions.
// Views talk through the ViewState only; this class holds no view logic.
// Thread-safety: GUI thread only.

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
    TimelineView *timeline() const { return m_timeline; }
    SequenceView *sequenceView() const { return m_sequence; }

    // Selects a scenario by name in the browser and runs it; false if there is no such scenario.
    bool selectAndRun(const QString &name);
    void runScenario(const core::Scenario &scenario);
    void runCurrent();
    void openFile();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    QWidget *createCentralView();
    QDockWidget *addDock(const QString &title, const QString &objectName, QWidget *widget, Qt::DockWidgetArea area);
    void createActions();
    void zoomBy(double factor);
    void zoomReset();
    void createStatusBar();
    void updateRunInfo();
    void onRunFinished(bool expectationsOk);
    void onRunFailed(const QString &message);

    RunModel *m_run;
    ViewState *m_view;
    LabWorker *m_worker;
    ScenarioBrowser *m_browser;
    SequenceView *m_sequence = nullptr;
    TimelineView *m_timeline;
    EventTable *m_table;
    QueueChart *m_queues;
    ExplanationPanel *m_explanation;
    QList<QDockWidget *> m_docks;
    QAction *m_runAction = nullptr;
    QAction *m_stopAction = nullptr;
    QLabel *m_isolation;
    QLabel *m_capture;
    QLabel *m_progress;
};

} // namespace sockscope::ui
