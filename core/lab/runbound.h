// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the lab's own end of the run's wall-clock bound (the parent computes it, labbudget.h's runBoundMs, and
// sends it in the header). A thread watches the running time, pauses left out; past the bound it writes why on
// stderr and ends the process, so that a call blocked past every step timeout cannot keep the run (and a class)
// waiting. The parent stops the lab too, kRunBoundGraceMs later, should this process be unable to end itself.
// Thread-safety: pauseBegan()/pauseEnded() from the lab's main thread; the watcher reads only atomics.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace sockscope::core {

class RunBoundWatch
{
public:
    explicit RunBoundWatch(int boundMs); // starts the watcher; boundMs <= 0: no bound
    ~RunBoundWatch();                    // stops it
    RunBoundWatch(const RunBoundWatch &) = delete;
    RunBoundWatch &operator=(const RunBoundWatch &) = delete;

    void pauseBegan();
    void pauseEnded();

private:
    static std::int64_t nowNs();
    std::int64_t runningNs() const;
    void watch();

    const int m_boundMs;
    const std::int64_t m_startNs;
    std::atomic<std::int64_t> m_pausedNs{0};     // pauses that ended
    std::atomic<std::int64_t> m_pauseSinceNs{0}; // the pause going on, 0 when running
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_quit = false;
    std::thread m_thread;
};

} // namespace sockscope::core
