// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: Run N times: runs one scenario N times through core::LabBatch (several labs at once, as `run --runs`)
// from a worker thread (never the GUI thread), keeps every run's events and what TCP did in it
// (core::tcpBehaviour), in run order, and can be cancelled.
// Thread-safety: a MultiRunner lives on the GUI thread; the job runs on its own thread. results() is read on
// the GUI thread after finished().

#include "core/lab/parent/labbatch.h"
#include "core/lab/parent/labclient.h"
#include "core/scenario/scenario.h"
#include "core/stream/event.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

class QThread;

namespace sockscope::ui {

struct RunResult
{
    std::vector<core::Event> events;
    std::string key;   // core::tcpBehaviour(events).key: what TCP did
    std::string label; // the same in words
    std::string error; // the lab failed or the run ended early
};

class MultiRunner : public QObject
{
    Q_OBJECT
public:
    explicit MultiRunner(QObject *parent = nullptr);
    ~MultiRunner() override; // cancels and joins

    void setOptions(const core::LabOptions &options) { m_options = options; }
    bool start(const core::Scenario &scenario, int runs); // false while running
    void cancel();                                        // any thread: interrupts the runs in progress
    bool isRunning() const { return m_running; }

    const std::vector<RunResult> &results() const { return m_results; } // GUI thread, after finished()
    std::vector<std::string> keys() const;

Q_SIGNALS:
    void progressed(int done, int total); // after each run
    void finished(bool cancelled);

private:
    void work(core::Scenario scenario, int runs, core::LabOptions options);

    core::LabOptions m_options;
    QThread *m_thread;
    std::atomic<bool> m_cancel{false};
    std::mutex m_batchMutex;
    core::LabBatch *m_batch = nullptr; // guarded by m_batchMutex: the batch in progress
    std::mutex m_resultsMutex;
    std::vector<RunResult> m_pending; // guarded by m_resultsMutex: filled by the worker
    std::vector<RunResult> m_results; // GUI thread
    bool m_running = false;           // GUI thread
};

} // namespace sockscope::ui
