// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/actor.h"
#include "core/lab/actorprocess.h"
#include "core/lab/sockdiag.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace sockscope::core {

Actor::Actor(std::string name, int cpu, LabRecorder &recorder, VarTable &vars,
             const std::map<std::uint16_t, std::uint16_t> *portMap, ActorProcess process)
    : m_name(std::move(name)), m_cpu(cpu), m_recorder(recorder), m_vars(vars), m_portMap(portMap),
      m_process(std::move(process))
{
    m_thread = std::thread([this] { run(); });
    while (m_tid.load() == 0)
        std::this_thread::yield();
}

Actor::~Actor()
{
    stop();
}

void Actor::dispatch(const Step &step, std::int64_t callId, std::atomic<int> *barrier, int parties)
{
    m_busy = true;
    m_callId = callId;
    {
        std::lock_guard lock(m_mutex);
        m_step = &step;
        m_pendingId = callId;
        m_barrier = barrier;
        m_parties = parties;
    }
    m_wake.notify_one();
}

char Actor::kernelState() const
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/self/task/%d/stat", m_tid.load());
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    // The state follows the last ')' of the comm field.
    auto pos = line.rfind(')');
    return (pos != std::string::npos && pos + 2 < line.size()) ? line[pos + 2] : '?';
}

void Actor::interrupt()
{
    if (m_thread.joinable())
        pthread_kill(m_thread.native_handle(), labInterruptSignal());
}

void Actor::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable()) {
        // A call still blocked in the kernel is interrupted until the thread notices m_quit.
        while (m_busy.load()) {
            interrupt();
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        m_thread.join();
    }
}

void Actor::run()
{
    // SIGPIPE stays pending on this thread and is collected after each call instead of killing the lab.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    // The constructor waits for the tid only: pinning first made it wait until the chosen CPU had time to run
    // this thread (the migration waits for that CPU), 5-80 ms per actor on a loaded machine.
    m_tid = static_cast<int>(syscall(SYS_gettid));
    if (m_cpu >= 0) {
        cpu_set_t cpus;
        CPU_ZERO(&cpus);
        CPU_SET(m_cpu, &cpus);
        pthread_setaffinity_np(pthread_self(), sizeof cpus, &cpus);
    }
    for (;;) {
        const Step *step = nullptr;
        std::int64_t id = 0;
        std::atomic<int> *barrier = nullptr;
        int parties = 0;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_quit || m_step; });
            if (!m_step && m_quit)
                return;
            step = m_step;
            id = m_pendingId;
            barrier = m_barrier;
            parties = m_parties;
            m_step = nullptr;
        }
        // Looked up before the barrier: the table's lock is shared by every actor, and a group's calls leave the
        // barrier together, so taking it after would make them queue on it on their way to the kernel.
        const int fd = fdOf(*step);
        if (barrier) {
            barrier->fetch_add(1, std::memory_order_acq_rel);
            // Bounded: a party that never arrives (its thread starved) must not hang the run.
            auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
            while (barrier->load(std::memory_order_acquire) < parties && std::chrono::steady_clock::now() < deadline) {
            }
        }
        perform(*step, id, fd);
        m_busy = false;
    }
}

int Actor::fdOf(const Step &step) const
{
    // epoll_wait(E, MS) acts on the epoll instance; epoll_ctl() on its socket (the instance comes from m_vars).
    const std::string &var = step.sock.empty() ? step.epoll : step.sock;
    return var.empty() ? -1 : m_vars.fd(var);
}

void Actor::perform(const Step &step, std::int64_t id, int fd)
{
    if (step.call == Call::Exit) {
        recordExit(step, id, m_recorder, m_vars);
        m_dead = true;
    } else if (step.call == Call::Signal) {
        const Actor *target = m_process.peer ? m_process.peer(step.target) : nullptr;
        const std::int64_t during = target ? target->currentCall() : -1;
        recordSignal(step, id, target ? target->tid() : 0, during > 0 ? during : 0, m_recorder);
    } else if (step.call == Call::Kill) {
        recordKill(step, id);
    } else if (recordCall(step, id, fd, m_recorder, m_vars, m_portMap, &m_publishing, m_process.sigpipe,
                          m_process.callIds ? &m_dead : nullptr, &m_killed) &&
               m_process.callIds) {
        // SIGPIPE's default action: the process dies in the write, and the kernel closes its descriptors.
        recordDeath(step, "SIGPIPE", m_process.callIds->fetch_add(1));
    }
    m_callId = -1;
}

// The exit a signal's default action causes: an exit() the scenario never wrote, dated after its cause's step.
void Actor::recordDeath(const Step &cause, const char *reason, std::int64_t id)
{
    m_deathStep = Step{};
    m_deathStep.index = cause.index;
    m_deathStep.line = cause.line;
    m_deathStep.column = cause.column;
    m_deathStep.actor = m_name;
    m_deathStep.call = Call::Exit;
    m_deathStep.option = reason;
    m_deathStep.text = std::string("(") + reason + ")";
    recordExit(m_deathStep, id, m_recorder, m_vars);
    m_dead = true;
}

void Actor::killedBy(const Step &kill, std::int64_t exitId)
{
    m_killed = true;
    m_dead = true;
    // SIGKILL ends the thread in its call; here the call is interrupted and its return dropped. Bounded: a call
    // that retries on EINTR (sleep) is left to end by itself.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (m_busy.load() && std::chrono::steady_clock::now() < deadline) {
        interrupt();
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    recordDeath(kill, "SIGKILL", exitId);
}

void Actor::recordKill(const Step &step, std::int64_t id)
{
    Actor *victim = m_process.peer ? m_process.peer(step.target) : nullptr;
    m_recorder.pushEnter(CallEnter{id, 0, &step, -1, {}});
    CallExit exit;
    if (victim && m_process.callIds) {
        const std::int64_t during = victim->currentCall();
        exit.sent = SentSignal{step.target, "SIGKILL", during > 0 ? during : 0, realtimeNs()};
        victim->killedBy(step, m_process.callIds->fetch_add(1));
    } else {
        exit.ret = -1;
        exit.err = ESRCH;
    }
    // Returns once the victim is gone, as kill() followed by waitpid() would: its descriptors are closed by then.
    exit.tNs = realtimeNs();
    exit.id = id;
    exit.snapNs = exit.tNs;
    m_recorder.pushExit(std::move(exit));
}

bool recordCall(const Step &step, std::int64_t id, int fd, LabRecorder &recorder, VarTable &vars,
                const std::map<std::uint16_t, std::uint16_t> *portMap, std::atomic<bool> *publishing,
                SigpipeAction sigpipe, std::atomic<bool> *dies, const std::atomic<bool> *killed)
{
    // Kept lean: this runs around every call, so anything that can wait for the scheduler's snapshot after
    // the step does (fd states, addresses, cookies, queues).
    recorder.pushEnter(CallEnter{id, 0, &step, fd});
    CallResult result = executeCall(step, fd, portMap, &vars);
    if (publishing)
        *publishing = true; // before the exit stamp: a drain that sees false has this record or a later stamp
    CallExit exit;
    exit.tNs = realtimeNs();
    if (step.call == Call::Send || step.call == Call::Sendmsg || step.call == Call::Write) {
        // Only writes raise SIGPIPE; it stays pending on this thread (blocked) until collected here.
        sigset_t pipeSet;
        sigemptyset(&pipeSet);
        sigaddset(&pipeSet, SIGPIPE);
        timespec zero{0, 0};
        // Ignored (SIG_IGN), the kernel delivers nothing; the pending one is collected all the same.
        exit.sigpipe = sigtimedwait(&pipeSet, nullptr, &zero) == SIGPIPE && sigpipe != SigpipeAction::Ignore;
    }
    const bool sigpipeKills = exit.sigpipe && sigpipe == SigpipeAction::Default;
    if (sigpipeKills && dies)
        *dies = true;
    exit.id = id;
    exit.ret = result.ret;
    exit.err = result.err;
    exit.data = std::move(result.data);
    exit.fd = fd;
    exit.newFd = result.newFd;
    if (result.newFd >= 0) {
        vars.set(step.assign, result.newFd);
        vars.setOwner(step.assign, step.actor);
        if (isAccept(step.call))
            exit.newFdAfter = snapshotFd(result.newFd);
    }
    if (step.call == Call::Close && result.ret == 0)
        vars.set(step.sock, -1);
    exit.snapNs = realtimeNs();
    if (killed && killed->load()) { // killed in the call: its return never reached the process
        if (publishing)
            *publishing = false;
        return false;
    }
    recorder.pushExit(std::move(exit));
    if (publishing)
        *publishing = false;
    return sigpipeKills;
}

} // namespace sockscope::core
