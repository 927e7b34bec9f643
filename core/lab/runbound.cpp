// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/runbound.h"

#include <chrono>
#include <string>
#include <unistd.h>

namespace sockscope::core {

namespace {

// How often the watcher looks: the lab ends itself at most this long after its bound.
constexpr auto kWatchPeriod = std::chrono::milliseconds(50);

} // namespace

RunBoundWatch::RunBoundWatch(int boundMs) : m_boundMs(boundMs), m_startNs(nowNs())
{
    if (m_boundMs > 0)
        m_thread = std::thread([this] { watch(); });
}

RunBoundWatch::~RunBoundWatch()
{
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

std::int64_t RunBoundWatch::nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void RunBoundWatch::pauseBegan()
{
    if (m_pauseSinceNs.load() == 0)
        m_pauseSinceNs = nowNs();
}

void RunBoundWatch::pauseEnded()
{
    if (const std::int64_t since = m_pauseSinceNs.exchange(0); since != 0)
        m_pausedNs += nowNs() - since;
}

std::int64_t RunBoundWatch::runningNs() const
{
    const std::int64_t now = nowNs();
    const std::int64_t since = m_pauseSinceNs.load();
    return now - m_startNs - m_pausedNs.load() - (since != 0 ? now - since : 0);
}

void RunBoundWatch::watch()
{
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, kWatchPeriod, [this] { return m_quit; })) {
        if (runningNs() <= std::int64_t(m_boundMs) * 1'000'000)
            continue;
        // Other threads may be anywhere (in a blocked call, in the middle of a write to stdout): only
        // async-signal-safe calls from here, and no destructor runs.
        const std::string why = "sockscope-lab: the run exceeded its " + std::to_string((m_boundMs + 999) / 1000) +
                                " s bound (from the scenario's steps, step timeout, sleeps and lingers) and was "
                                "ended\n";
        [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, why.data(), why.size());
        ::_exit(3);
    }
}

} // namespace sockscope::core
