// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/actor.h"

#include <csignal>
#include <cstdio>
#include <fstream>
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace sockscope::core {

Actor::Actor(std::string name, int cpu, LabRecorder &recorder, VarTable &vars,
             const std::map<std::uint16_t, std::uint16_t> *portMap)
    : m_name(std::move(name)), m_cpu(cpu), m_recorder(recorder), m_vars(vars), m_portMap(portMap)
{
    m_thread = std::thread([this] { run(); });
    while (m_tid.load() == 0)
        std::this_thread::yield();
}

Actor::~Actor() { stop(); }

void Actor::dispatch(const Step &step, std::int64_t callId, const std::atomic<bool> *go)
{
    m_busy = true;
    m_ready = false;
    m_callId = callId;
    {
        std::lock_guard lock(m_mutex);
        m_step = &step;
        m_pendingId = callId;
        m_go = go;
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
        pthread_kill(m_thread.native_handle(), SIGUSR1);
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
    if (m_cpu >= 0) {
        cpu_set_t cpus;
        CPU_ZERO(&cpus);
        CPU_SET(m_cpu, &cpus);
        pthread_setaffinity_np(pthread_self(), sizeof cpus, &cpus);
    }
    m_tid = static_cast<int>(syscall(SYS_gettid));
    for (;;) {
        const Step *step = nullptr;
        std::int64_t id = 0;
        const std::atomic<bool> *go = nullptr;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_quit || m_step; });
            if (!m_step && m_quit)
                return;
            step = m_step;
            id = m_pendingId;
            go = m_go;
            m_step = nullptr;
        }
        if (go) {
            m_ready = true;
            while (!go->load(std::memory_order_acquire)) {
            }
        }
        perform(*step, id);
        m_busy = false;
    }
}

void Actor::perform(const Step &step, std::int64_t id)
{
    int fd = step.sock.empty() ? -1 : m_vars.fd(step.sock);
    CallEnter enter{id, 0, step.index, m_name, std::string(callName(step.call)), fd, step.sock, describeArgs(step)};
    m_recorder.pushEnter(std::move(enter));

    CallResult result = executeCall(step, fd, m_portMap);
    m_publishing = true; // before the exit stamp: a drain that sees false has this record or a later stamp
    CallExit exit;
    exit.tNs = realtimeNs();
    int savedErrno = result.err;

    sigset_t pipeSet;
    sigemptyset(&pipeSet);
    sigaddset(&pipeSet, SIGPIPE);
    timespec zero{0, 0};
    exit.sigpipe = sigtimedwait(&pipeSet, nullptr, &zero) == SIGPIPE;

    exit.id = id;
    exit.ret = result.ret;
    exit.err = savedErrno;
    exit.data = std::move(result.data);
    exit.fd = fd;
    exit.newFd = result.newFd;
    exit.newVar = step.assign;
    if (result.newFd >= 0) {
        m_vars.set(step.assign, result.newFd);
        exit.newFdAfter = snapshotFd(result.newFd);
    }
    if (step.call == Call::Close && result.ret == 0)
        m_vars.set(step.sock, -1);
    else if (fd >= 0)
        exit.fdAfter = snapshotFd(fd);
    exit.snapNs = realtimeNs();
    m_recorder.pushExit(std::move(exit));
    m_callId = -1;
    m_publishing = false;
}

} // namespace sockscope::core
