// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: one scenario actor: a worker thread that performs the steps handed to it, one at a time, with
// SIGPIPE blocked and collected after each call.
// Thread-safety: dispatch/idle/interrupt/stop are called by the scheduler thread only.

#include "core/lab/callexec.h"
#include "core/lab/labrecorder.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace sockscope::core {

// Performs one step with the real call and records its enter and exit (SIGPIPE collected, fds snapshotted).
// `publishing` is raised between the call's return and its record reaching the recorder. Returns true when the
// call raised SIGPIPE and `sigpipe` is Default: the caller ends the actor's process; `dies` is raised then, before
// the call's exit record is out, so a scheduler that sees the return also sees the death.
bool recordCall(const Step &step, std::int64_t id, int fd, LabRecorder &recorder, VarTable &vars,
                const std::map<std::uint16_t, std::uint16_t> *portMap, std::atomic<bool> *publishing,
                SigpipeAction sigpipe = SigpipeAction::Report, std::atomic<bool> *dies = nullptr,
                const std::atomic<bool> *killed = nullptr);

class Actor;

// What an actor needs to behave as a process: its SIGPIPE disposition, the run's call ids (a death by SIGPIPE is
// a call of its own) and the other actors (the target of signal()).
struct ActorProcess
{
    SigpipeAction sigpipe = SigpipeAction::Report;
    std::atomic<std::int64_t> *callIds = nullptr;
    std::function<Actor *(const std::string &)> peer;
};

class Actor
{
public:
    Actor(std::string name, int cpu, LabRecorder &recorder, VarTable &vars,
          const std::map<std::uint16_t, std::uint16_t> *portMap, ActorProcess process = {});
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
    int tid() const { return m_tid.load(); }
    // True once the actor's process has ended (exit(), or SIGPIPE with the default action): it runs no more steps.
    bool dead() const { return m_dead.load(); }
    void interrupt(); // a blocked call returns EINTR
    // kill(): on the killer's thread. The call in progress never returns (it is interrupted and its return is not
    // recorded), then the descriptors are closed as by exit(), recorded as call exitId.
    void killedBy(const Step &kill, std::int64_t exitId);
    void stop();

private:
    void run();
    int fdOf(const Step &step) const; // the descriptor the step acts on, -1 for none
    void perform(const Step &step, std::int64_t id, int fd);
    void recordDeath(const Step &cause, const char *reason, std::int64_t id);
    void recordKill(const Step &step, std::int64_t id);

    std::string m_name;
    int m_cpu;
    LabRecorder &m_recorder;
    VarTable &m_vars;
    const std::map<std::uint16_t, std::uint16_t> *m_portMap;
    ActorProcess m_process;
    Step m_deathStep; // the exit a SIGPIPE with the default action causes (events point at it for the run)

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
    std::atomic<bool> m_dead{false};
    std::atomic<bool> m_killed{false}; // SIGKILL: the return of the call in progress is never seen
    std::thread m_thread;
};

} // namespace sockscope::core
