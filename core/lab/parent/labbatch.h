// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: runs one scenario N times with several labs at once (two per CPU the program may use) and hands each
// run's events back in run order; the scheduler that `run --runs N` and the window's Run N times share.
// Thread-safety: run() blocks its thread (never the GUI thread) and calls done() on it; cancel() from any thread.

#include "core/lab/parent/labclient.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace sockscope::core {

struct BatchRun
{
    int index = 0; // 0-based, in the order the runs were asked for
    std::vector<Event> events;
    std::string error; // the lab failed (runLab's error), or ""
};

class LabBatch
{
public:
    // parallel < 1: kLabsPerCpu x parallelism(). Step mode is ignored: a batch never pauses.
    LabBatch(Scenario scenario, LabOptions options, int runs, int parallel = 0);

    // Runs them all. done() gets every run in run order, each as soon as it and all earlier ones are complete.
    // Returns false when cancelled: runs not delivered by then are dropped (an interrupted run is no outcome).
    bool run(const std::function<void(BatchRun &&)> &done);
    void cancel(); // any thread: interrupts the labs in progress, starts no more

    // CPUs this process may run on (its affinity mask).
    static int parallelism();
    // A lab waits much of its life (namespace set-up, the capture ring's RCU grace periods, settle times, its exit):
    // with one lab per CPU the CPUs idled (100 runs of close-unread-data: 4.5 s, two per CPU 2.5 s, same run).
    static constexpr int kLabsPerCpu = 2;

private:
    void work();
    void deliver(BatchRun &&run);
    bool track(LabSession *session, bool add); // false when cancelled (do not start pumping)

    const Scenario m_scenario;
    const LabOptions m_options;
    const int m_runs;
    const int m_parallel;
    std::atomic<int> m_next{0};
    std::atomic<bool> m_cancel{false};
    std::mutex m_mutex;              // guards everything below
    std::condition_variable m_ready; // a run was delivered, a worker ended, or cancel()
    std::map<int, BatchRun> m_done;  // complete, not yet handed to done()
    std::set<LabSession *> m_live;   // sessions being pumped: cancel() interrupts them
    int m_workersLeft = 0;
};

} // namespace sockscope::core
