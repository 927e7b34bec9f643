// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the lab's shared list of raw observations, filled by actor, sampler and scheduler threads and
// drained in batches by the scheduler.
// Thread-safety: every member function locks m_mutex; safe from any thread.

#include "core/model/rawrecords.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace sockscope::core {

// CLOCK_REALTIME in ns: the one clock of every record (AF_PACKET stamps packets with it).
std::int64_t realtimeNs();

class LabRecorder
{
public:
    // Stamps the time under the lock, so a drain never misses a record older than its cutoff.
    std::int64_t pushEnter(CallEnter enter);
    void pushExit(CallExit exit);
    void pushStep(int step, bool skipped = false);
    void pushFd(FdRecord rec);
    void pushDiag(DiagRecord rec);

    // Moves out everything recorded so far.
    RawBatch drain();
    // Waits until the call with this id has returned, at most `timeout`. True when it has.
    bool waitExit(std::int64_t id, std::chrono::microseconds timeout);
    // True once the call's enter record exists: before that the actor has not reached the kernel, and a
    // sleeping thread is only waiting for its turn, not blocked in the call.
    bool hasEntered(std::int64_t id);
    // Grows with every call entered or returned: the sock_diag sampler dumps only after some (core/lab/diagsampler).
    std::uint64_t activity() const { return m_activity.load(std::memory_order_relaxed); }

private:
    static constexpr int kEnterSpins = 100000; // about a millisecond of tries before pushEnter sleeps on the lock
    std::mutex m_mutex;
    std::condition_variable m_exited;
    RawBatch m_batch;                     // guarded by m_mutex
    std::vector<std::int64_t> m_exitIds;  // guarded by m_mutex: every id that returned in this run
    std::vector<std::int64_t> m_enterIds; // guarded by m_mutex: every id that entered in this run
    std::atomic<std::uint64_t> m_activity{0};
};

} // namespace sockscope::core
