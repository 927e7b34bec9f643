// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/labrecorder.h"

#include <algorithm>
#include <cstring>
#include <ctime>

namespace sockscope::core {

std::int64_t realtimeNs()
{
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

std::int64_t LabRecorder::pushEnter(CallEnter enter)
{
    // The calls of an '&' group leave their barrier together and must reach the kernel together (a FIN crosses
    // loopback in microseconds): an actor spins for the lock instead of sleeping on it behind another thread's
    // short hold (the other actor's enter, the scheduler's polls, the sampler), since a futex sleep and wake-up
    // costs tens of microseconds, and more in a sanitizer build. It sleeps only if the holder was preempted.
    std::unique_lock lock(m_mutex, std::try_to_lock);
    for (int spin = 0; !lock.owns_lock() && spin < kEnterSpins; ++spin)
        lock.try_lock();
    if (!lock.owns_lock())
        lock.lock();
    enter.tNs = realtimeNs();
    std::int64_t t = enter.tNs;
    m_enterIds.push_back(enter.id);
    m_batch.enters.push_back(std::move(enter));
    m_activity.fetch_add(1, std::memory_order_relaxed);
    return t;
}

void LabRecorder::pushExit(CallExit exit)
{
    {
        std::lock_guard lock(m_mutex);
        m_exitIds.push_back(exit.id);
        m_batch.exits.push_back(std::move(exit));
        m_activity.fetch_add(1, std::memory_order_relaxed);
    }
    m_exited.notify_all();
}

void LabRecorder::pushStep(int step, bool skipped)
{
    std::lock_guard lock(m_mutex);
    m_batch.steps.push_back({realtimeNs(), step, skipped});
}

void LabRecorder::pushFd(FdRecord rec)
{
    std::lock_guard lock(m_mutex);
    m_batch.fds.push_back(std::move(rec));
}

void LabRecorder::pushDiag(DiagRecord rec)
{
    std::lock_guard lock(m_mutex);
    m_batch.diags.push_back(std::move(rec));
}

RawBatch LabRecorder::drain()
{
    std::lock_guard lock(m_mutex);
    RawBatch out = std::move(m_batch);
    m_batch = RawBatch{};
    return out;
}

bool LabRecorder::hasEntered(std::int64_t id)
{
    std::lock_guard lock(m_mutex);
    return std::find(m_enterIds.begin(), m_enterIds.end(), id) != m_enterIds.end();
}

bool LabRecorder::waitExit(std::int64_t id, std::chrono::microseconds timeout)
{
    std::unique_lock lock(m_mutex);
    return m_exited.wait_for(lock, timeout,
                             [&] { return std::find(m_exitIds.begin(), m_exitIds.end(), id) != m_exitIds.end(); });
}

} // namespace sockscope::core
