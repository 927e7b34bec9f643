// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: one scenario actor: a worker thread that performs the steps handed to it, one at a time, with
// SIGPIPE blocked and collected after each call.
// Thread-safety: dispatch/idle/interrupt/stop are called by the scheduler thread only.

#include "core/lab/callexec.h"
#include "core/lab/labrecorder.h"

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace sockscope::core {

// Performs one step with the real call and records its enter and exit (SIGPIPE collected, fds snapshotted).
// `publishing` is raised between the call's return and its record reaching the recorder.
void recordCall(const Step &step, std::int64_t id, int fd, LabRecorder &recorder, VarTable &vars,
                const std::map<std::uint16_t, std::uint16_t> *portMap, std::atomic<bool> *publishing);

class Actor
{
public:
    Actor(std::string name, int cpu, LabRecorder &recorder, VarTable &vars,
          const std::map<std::uint16_t, std::uint16_t> *portMap);
    ~Actor(); // stop()

    const std::string &name() const { return m_name; }
    // Hands a step over. With `barrier`, the actor counts itself in and spins until all `parties` have
    // arrived: the last one to arrive releases the others, so their calls start within a microsecond.
    void dispatch(const Step &step, std::int64_t callId, std::atomic<int> *barrier = nullptr, int parties = 0);
    bool busy() const { return m_busy.load(); }
    // True while the call has returned but its record is not yet in the recorder.
    bool publishing() const { return m_publishing.load(); }
    std::int64_t currentCall() const { return m_callId.load(); }
    // 'S' when the thread sleeps in the kernel (a blocked call), from /proc/self/task/TID/stat.
    char kernelState() const;
    void interrupt(); // a blocked call returns EINTR
    void stop();

private:
    void run();
    int fdOf(const Step &step) const; // the descriptor the step acts on, -1 for none

    std::string m_name;
    int m_cpu;
    LabRecorder &m_recorder;
    VarTable &m_vars;
    const std::map<std::uint16_t, std::uint16_t> *m_portMap;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    const Step *m_step = nullptr;          // guarded by m_mutex
    std::int64_t m_pendingId = 0;          // guarded by m_mutex
    std::atomic<int> *m_barrier = nullptr; // guarded by m_mutex
    int m_parties = 0;                     // guarded by m_mutex
    bool m_quit = false;                   // guarded by m_mutex

    std::atomic<bool> m_busy{false};
    std::atomic<bool> m_publishing{false};
    std::atomic<std::int64_t> m_callId{-1};
    std::atomic<int> m_tid{0};
    std::thread m_thread;
};

} // namespace sockscope::core
