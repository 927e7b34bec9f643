// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/actorprocess.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

namespace sockscope::core {

namespace {

// Incremented by the handler in the target thread; the sender waits for it to move.
std::atomic<unsigned> g_delivered{0};

void countingHandler(int)
{
    g_delivered.fetch_add(1, std::memory_order_release);
}

int signalNumber(const std::string &name)
{
    return name == "SIGUSR1" ? SIGUSR1 : SIGALRM;
}

} // namespace

int labInterruptSignal()
{
    return SIGRTMIN;
}

void recordExit(const Step &step, std::int64_t id, LabRecorder &recorder, VarTable &vars)
{
    const auto owned = vars.ownedBy(step.actor);
    CallEnter enter{id, 0, &step, -1, {}};
    for (const auto &[fd, var] : owned)
        enter.fds.push_back(fd);
    recorder.pushEnter(std::move(enter));
    CallExit exit;
    std::string data;
    for (const auto &[fd, var] : owned) {
        if (closeDescriptor(fd) != 0)
            continue;
        vars.set(var, -1);
        exit.closedFds.push_back(fd);
        data += (data.empty() ? "" : " ") + std::to_string(fd);
    }
    exit.tNs = realtimeNs();
    exit.id = id;
    exit.data = data;
    exit.snapNs = exit.tNs;
    recorder.pushExit(std::move(exit));
}

void recordSignal(const Step &step, std::int64_t id, int tid, std::int64_t during, LabRecorder &recorder)
{
    const int sig = signalNumber(step.option);
    struct sigaction sa
    {
    };
    sa.sa_handler = countingHandler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = step.flags.empty() ? 0 : SA_RESTART; // the only flag the grammar takes
    sigaction(sig, &sa, nullptr);
    recorder.pushEnter(CallEnter{id, 0, &step, -1, {}});
    const unsigned before = g_delivered.load(std::memory_order_acquire);
    SentSignal sent{step.target, step.option, during, realtimeNs()};
    const long ret = ::syscall(SYS_tgkill, ::getpid(), tid, sig);
    const int err = ret < 0 ? errno : 0;
    // The handler runs as soon as the target thread is scheduled; bounded, so a starved target cannot hang.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (ret == 0 && g_delivered.load(std::memory_order_acquire) == before &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::microseconds(20));
    CallExit exit;
    exit.tNs = realtimeNs();
    exit.id = id;
    exit.ret = ret;
    exit.err = err;
    if (ret == 0)
        exit.sent = std::move(sent);
    exit.snapNs = exit.tNs;
    recorder.pushExit(std::move(exit));
}

} // namespace sockscope::core
