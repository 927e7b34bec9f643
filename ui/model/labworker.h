// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Runs a scenario through core::LabSession on a worker thread and streams its events into a RunModel.
// The worker pushes into a locked queue; the first push after a drain schedules ONE queued wake-up
// (GammaRay style); the GUI thread drains in batches, at most ~30 times a second.
// Stepping: start(scenario, true) runs the lab in step mode; the lab pauses before each step group and the
// worker reports paused(next). step()/continueRun()/stop() send the command over the pipe from the worker
// thread. While stepping, a step's events are held back and delivered as ONE batch when the lab pauses again.
// The lifecycle is one RunPhase, changed only by setPhase(). A paused run waits for the teacher as long as it
// takes: the lab session's watchdog runs only while a step runs, and a lab that dies during a pause is
// reported at once (its stdout is watched).
// Thread-safety: a LabWorker lives on the GUI thread; only push() and the job run on the worker thread.

#include "core/lab/parent/labclient.h"
#include "core/scenario/scenario.h"
#include "core/stream/event.h"
#include "ui/model/refreshrate.h"
#include "ui/model/runphase.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

class QSocketNotifier;
class QThread;

namespace sockscope::ui {

class RunModel;
class LabJob;

class LabWorker : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDrainIntervalMs = kRefreshIntervalMs;
    static constexpr int kMaxBatch = 20000;      // the largest slice of a burst handed to the model in one drain
    static constexpr int kMinBatch = 1000;       // the smallest, however slow the machine
    static constexpr double kSliceBudgetMs = 20; // what one drain may cost: well under the 50 ms stall budget

    explicit LabWorker(RunModel *model, QObject *parent = nullptr);
    ~LabWorker() override; // interrupts a running lab and joins the thread

    void setOptions(const core::LabOptions &options) { m_options = options; }
    const core::LabOptions &options() const { return m_options; }

    // Starts a run; false when one is still running. The model is cleared when the first batch of the new
    // run arrives, so a run that fails to start leaves the previous run on screen.
    bool start(const core::Scenario &scenario, bool stepMode = false);
    // Ends the running lab (from the GUI thread); runStopped() follows. A paused lab is told to stop, so its
    // end event arrives; a running one is killed.
    void stop();
    // Stepping (GUI thread): run the next step group; leave step mode and run to the end. False when not paused.
    bool step();
    bool continueRun();
    // Stops the current run (if any) and starts the same scenario again in the same mode.
    bool restart();
    RunPhase phase() const { return m_phase; }
    bool isRunning() const { return isLive(m_phase); }
    bool isPaused() const { return m_phase == RunPhase::Paused; }
    bool isStepping() const { return m_phase == RunPhase::Stepping || m_phase == RunPhase::Paused; }
    int nextStep() const { return m_nextStep; } // while paused: the lab's own next step (LabSession::nextStep)
    const core::Scenario *scenario() const { return m_scenario.get(); }
    int receivedEvents() const { return m_received; }

    // Worker thread: queues one event.
    void push(core::Event &&event);

Q_SIGNALS:
    void runStarted(const QString &scenarioName);
    void eventsDrained(int total); // after each batch went into the model
    void runFinished(bool expectationsOk);
    // The lab waits before step `nextStep` (scenario index); the previous step's events are in the model.
    void runPaused(int nextStep);
    void runResumed();                      // a command was sent; the lab runs
    void runStopped();                      // the stop the user asked for is done
    void runFailed(const QString &message); // the lab could not start, timed out or died
    // The lab began a sleep() or wait() of `ms` >= core::kLongWaitMs at scenario step `step`: no event comes until
    // it ends, so the window shows a countdown.
    void longWaitStarted(int step, qint64 ms);
    void phaseChanged(sockscope::ui::RunPhase phase);

private:
    void setPhase(RunPhase phase);
    void launch(const core::Scenario &scenario, bool stepMode);
    void wake();
    void drain();
    void onJobFinished(bool ok, const QString &error);
    void onJobPaused(int nextStep);
    void flushPending();
    void sendCommand(int command);
    void endLab(bool paused);

    RunModel *m_model;
    core::LabOptions m_options;
    QThread *m_thread;
    LabJob *m_job; // lives on m_thread

    std::mutex m_queueMutex;
    std::vector<core::Event> m_pending; // guarded by m_queueMutex
    bool m_wakeScheduled = false;       // guarded by m_queueMutex

    // GUI thread only.
    std::vector<core::Event> m_backlog; // taken from m_pending, handed to the model kMaxBatch at a time
    size_t m_backlogAt = 0;             // m_backlog's first event not handed over yet
    int m_sliceEvents = kMaxBatch;      // events per drain, sized to what the last drain cost
    QTimer m_drainTimer;
    QElapsedTimer m_sinceDrain;
    RunPhase m_phase = RunPhase::Idle;
    bool m_stepModeRun = false; // how the current (or last) run was started: restart repeats it
    bool m_clearModel = true;   // the next batch is the run's first: the model is cleared for it
    int m_nextStep = -1;
    int m_received = 0;
    std::unique_ptr<core::Scenario> m_scenario;
};

// The worker-thread side: owns the LabSession for the length of one run.
class LabJob : public QObject
{
    Q_OBJECT
public:
    enum Command
    {
        Step,
        Continue,
        Stop
    };
    explicit LabJob(LabWorker *sink);
    ~LabJob() override;
    // GUI thread: the worker thread runs this scenario next. The run crosses threads in m_next, under a lock TSan
    // sees; the queued call itself (runQueued -> runNext) carries no data. Qt's event queue alone orders nothing
    // TSan can see: it locks with futexes inside the uninstrumented Qt.
    void queueRun(const core::Scenario &scenario, const core::LabOptions &options);
    void command(int command); // worker thread: sends it to the paused lab, then pumps on
    void interrupt();          // any thread

Q_SIGNALS:
    void paused(int nextStep);
    void finished(bool ok, const QString &error);
    void longWait(int step, qint64 ms); // worker thread: the lab began a long sleep() or wait()
    void runQueued();                   // from queueRun(); connected queued to runNext()

private:
    struct NextRun
    {
        core::Scenario scenario;
        core::LabOptions options;
    };
    void runNext();
    void run(const core::Scenario &scenario, const core::LabOptions &options);
    void pumpOn();
    void finish();
    void watchWhilePaused(bool on);

    LabWorker *m_sink;
    std::mutex m_nextMutex;
    std::optional<NextRun> m_next; // guarded by m_nextMutex: queued by the GUI thread, taken by runNext()
    std::mutex m_sessionMutex;
    core::LabSession *m_session = nullptr; // guarded by m_sessionMutex; set while a run is in progress
    // Worker thread only.
    std::unique_ptr<core::LabSession> m_owned;
    QSocketNotifier *m_deathWatch = nullptr; // while paused: the lab's stdout turns readable only if it died
    bool m_ok = true;
    bool m_sawEnd = false;
    std::string m_error;
};

} // namespace sockscope::ui
