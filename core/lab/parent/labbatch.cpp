// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/parent/labbatch.h"

#include <sched.h>
#include <thread>

namespace sockscope::core {

LabBatch::LabBatch(Scenario scenario, LabOptions options, int runs, int parallel)
    : m_scenario(std::move(scenario)), m_options([&options] {
          options.stepMode = false;
          return options;
      }()),
      m_runs(std::max(0, runs)),
      m_parallel(std::clamp(parallel < 1 ? kLabsPerCpu * parallelism() : parallel, 1, std::max(1, runs)))
{
}

int LabBatch::parallelism()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 1;
    return std::max(1, CPU_COUNT(&set));
}

void LabBatch::cancel()
{
    std::lock_guard lock(m_mutex);
    m_cancel = true;
    // interrupt() only signals the child's pidfd, which the session keeps open while it is in m_live.
    for (LabSession *s : m_live)
        s->interrupt();
    m_ready.notify_all();
}

bool LabBatch::track(LabSession *session, bool add)
{
    std::lock_guard lock(m_mutex);
    if (!add) {
        m_live.erase(session);
        return true;
    }
    if (m_cancel)
        return false;
    m_live.insert(session);
    return true;
}

void LabBatch::deliver(BatchRun &&run)
{
    std::lock_guard lock(m_mutex);
    const int index = run.index;
    m_done.emplace(index, std::move(run));
    m_ready.notify_all();
}

// One worker per slot. A lab that has sent its end event still takes a while to exit (closing its capture
// socket waits for an RCU grace period in the kernel, ~10-30 ms of sleep): the worker reaps it only after
// the next run has been pumped, so exiting labs do not hold a slot. The exit check is the same as runLab's.
void LabBatch::work()
{
    std::unique_ptr<LabSession> exiting;
    BatchRun exitingRun;
    auto reapExiting = [&] {
        if (!exiting)
            return;
        exiting->awaitExit(&exitingRun.error);
        exiting.reset();
        deliver(std::move(exitingRun));
    };
    for (int i = m_next++; i < m_runs && !m_cancel; i = m_next++) {
        BatchRun run;
        run.index = i;
        auto session = LabSession::start(m_scenario, m_options, &run.error);
        if (session && track(session.get(), true)) {
            const EventSink sink = [&run](Event &&e) { run.events.push_back(std::move(e)); };
            while (session->pump(sink, &run.error))
                if (session->paused())
                    session->resume();
            track(session.get(), false);
        }
        reapExiting();
        if (session && run.error.empty()) {
            exiting = std::move(session);
            exitingRun = std::move(run);
        } else {
            session.reset();
            deliver(std::move(run));
        }
    }
    reapExiting();
    std::lock_guard lock(m_mutex);
    --m_workersLeft;
    m_ready.notify_all();
}

bool LabBatch::run(const std::function<void(BatchRun &&)> &done)
{
    m_workersLeft = m_parallel;
    std::vector<std::thread> workers;
    for (int w = 0; w < m_parallel; ++w)
        workers.emplace_back([this] { work(); });
    for (int next = 0; next < m_runs;) {
        std::unique_lock lock(m_mutex);
        m_ready.wait(lock, [&] { return m_cancel || m_done.count(next) || m_workersLeft == 0; });
        if (m_cancel || !m_done.count(next))
            break;
        BatchRun run = std::move(m_done.at(next));
        m_done.erase(next);
        lock.unlock();
        done(std::move(run)); // outside the lock: the caller may print, or cancel()
        ++next;
    }
    for (auto &w : workers)
        w.join();
    return !m_cancel;
}

} // namespace sockscope::core
