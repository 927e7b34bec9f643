// SPDX-License-Identifier: GPL-3.0-or-later
// Budget (DESIGN.md): recording overhead on a loop of 1000 loopback connection lifecycles <= 1.05 x unrecorded
// (strace -f: 5.5-7 x). Both loops run the same calls through the same code in a private namespace; the
// recorded one also runs the capture ring and the 1 ms sock_diag sampler, records every enter/exit,
// collects SIGPIPE and snapshots the fds after each call, as the lab does. A third figure adds turning the
// records into the event stream (JSON), which the lab does between steps. Each figure is the median over
// ROUNDS interleaved rounds with its range, and its ratio to the unrecorded loop of the same rounds.
// The strace reference: this program re-runs itself (--plain-loop) as a child, once as it is and once under
// `strace -f -e trace=network -o /dev/null`, and each child reports the time of its own unrecorded loop (start-up
// and strace's attach are not counted).
// Usage: bench_core_recording [ROUNDS] [--json-only]   (default 9; --json-only: that loop alone, for a profiler)
#include "benchutil.h"

#include "core/lab/actor.h"
#include "core/lab/diagsampler.h"
#include "core/lab/netns.h"
#include "core/lab/packetcapture.h"
#include "core/lab/sockdiag.h"
#include "core/model/eventbuilder.h"
#include "core/stream/eventjson.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <unistd.h>

using namespace sockscope;
using namespace sockscope::core;

namespace {

constexpr int kLifecycles = 1000;

std::vector<Step> lifecycle()
{
    std::vector<Step> steps = {bench::makeStep(Call::Socket, "", "C"),    bench::makeStep(Call::Connect, "C"),
                               bench::makeStep(Call::Accept, "L", "A"),   bench::makeStep(Call::Send, "C", "", 10),
                               bench::makeStep(Call::Recv, "A", "", 100), bench::makeStep(Call::Close, "C"),
                               bench::makeStep(Call::Close, "A")};
    for (size_t i = 0; i < steps.size(); ++i)
        steps[i].index = static_cast<int>(i + 3);
    return steps;
}

std::vector<Step> listenerSteps()
{
    std::vector<Step> s = {bench::makeStep(Call::Socket, "", "L"), bench::makeStep(Call::Bind, "L"),
                           bench::makeStep(Call::Listen, "L", "", 128)};
    s[0].index = 0;
    s[1].index = 1;
    s[2].index = 2;
    return s;
}

// Each loop returns its wall time in ms and adds its process CPU time to *cpu when given.
double unrecorded(VarTable &vars, double *cpu = nullptr)
{
    auto steps = lifecycle();
    const double c0 = bench::cpuMs();
    double t0 = bench::nowMs();
    for (int i = 0; i < kLifecycles; ++i) {
        for (const auto &s : steps) {
            CallResult r = executeCall(s, s.sock.empty() ? -1 : vars.fd(s.sock), nullptr);
            if (r.newFd >= 0)
                vars.set(s.assign, r.newFd);
        }
    }
    if (cpu)
        *cpu = bench::cpuMs() - c0;
    return bench::nowMs() - t0;
}

double recorded(VarTable &vars, bool buildEvents, const Scenario &scenario, double *cpu, bool observers = true,
                bool perCall = true)
{
    std::string error;
    // The ring costs the kernel a copy of every segment as soon as the socket is bound, started or not.
    std::unique_ptr<PacketCapture> capture = observers ? PacketCapture::open(&error) : nullptr;
    auto diag = SockDiag::open(&error);
    if ((observers && !capture) || !diag) {
        std::fprintf(stderr, "cannot open observers: %s\n", error.c_str());
        std::exit(1);
    }
    if (observers) {
        capture->start();
        // The loop is timed once the ring has taken over from the plain socket, as it did when open() set the ring
        // up itself: its set-up (a grace period and 32 MiB zeroed) is a run's fixed cost, which bench_core_scenarios
        // measures, not recording overhead.
        const auto bound = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        while (!capture->stats().ring && std::chrono::steady_clock::now() < bound)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    LabRecorder recorder;
    // The lab's own sampler, woken by the same activity (calls, captured segments) as in the lab.
    std::mutex dumpMutex;
    std::unique_ptr<DiagSampler> sampler;
    if (observers) {
        sampler = std::make_unique<DiagSampler>(*diag, recorder, dumpMutex,
                                                DiagSampler::labActivity(recorder, capture.get()));
        sampler->start();
    }
    RunInfo info;
    info.capture = true;
    info.isolation = "netns";
    info.startNs = realtimeNs();
    std::size_t bytes = 0;
    EventBuilder builder(scenario, info, [&](Event &&e) { bytes += toJsonLine(e).size(); });
    auto steps = lifecycle();
    std::atomic<bool> publishing{false};
    std::int64_t id = 1;
    const double c0 = bench::cpuMs();
    double t0 = bench::nowMs();
    for (int i = 0; i < kLifecycles; ++i) {
        for (const auto &s : steps) {
            if (perCall) {
                recordCall(s, id++, s.sock.empty() ? -1 : vars.fd(s.sock), recorder, vars, nullptr, &publishing);
            } else {
                CallResult r = executeCall(s, s.sock.empty() ? -1 : vars.fd(s.sock), nullptr);
                if (r.newFd >= 0)
                    vars.set(s.assign, r.newFd);
            }
        }
        if (buildEvents && capture && i % 50 == 49) {
            capture->sync();
            builder.addBatch(recorder.drain(), capture->take());
        }
    }
    double elapsed = bench::nowMs() - t0;
    *cpu = bench::cpuMs() - c0;
    if (sampler)
        sampler->stop();
    if (capture) {
        auto stats = capture->stats();
        std::fprintf(stderr, "    (%llu segments captured, %llu dropped, %llu sock_diag dumps%s)\n",
                     static_cast<unsigned long long>(stats.packets), static_cast<unsigned long long>(stats.drops),
                     static_cast<unsigned long long>(sampler ? sampler->dumps() : 0),
                     buildEvents ? (", " + std::to_string(bytes / 1024) + " KiB of JSON").c_str() : "");
    }
    return elapsed;
}

} // namespace

// The child of the strace comparison: the unrecorded loop once to warm up, then timed; prints the ms.
int plainLoop()
{
    Isolation iso = enterPrivateNetns();
    if (!iso.netns)
        return 1;
    VarTable vars;
    for (const auto &s : listenerSteps()) {
        CallResult r = executeCall(s, s.sock.empty() ? -1 : vars.fd(s.sock), nullptr);
        if (r.newFd >= 0)
            vars.set(s.assign, r.newFd);
    }
    unrecorded(vars);
    std::printf("%.3f\n", unrecorded(vars));
    return 0;
}

// Runs the --plain-loop child, under strace when asked; the loop time it reports, or -1.
double childLoop(bool underStrace)
{
    std::string self(4096, '\0');
    self.resize(static_cast<size_t>(std::max<ssize_t>(0, readlink("/proc/self/exe", self.data(), self.size()))));
    const std::string command =
        (underStrace ? "strace -f -e trace=network -o /dev/null " : "") + self + " --plain-loop";
    FILE *p = popen(command.c_str(), "r");
    if (!p)
        return -1;
    double ms = -1;
    if (std::fscanf(p, "%lf", &ms) != 1)
        ms = -1;
    pclose(p);
    return ms;
}

int main(int argc, char **argv)
{
    if (argc > 1 && std::string(argv[1]) == "--plain-loop")
        return plainLoop();
    const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 9;
    // For a profiler: only the loop recorded with the event stream built, ROUNDS times.
    const bool jsonOnly = argc > 2 && std::string(argv[2]) == "--json-only";
    const bool haveStrace = !jsonOnly && std::system("strace -V >/dev/null 2>&1") == 0;
    Isolation iso = enterPrivateNetns();
    if (!iso.netns) {
        std::fprintf(stderr, "bench_core_recording: no private namespace: %s\n", iso.note.c_str());
        return 1;
    }
    sigset_t pipeSet;
    sigemptyset(&pipeSet);
    sigaddset(&pipeSet, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipeSet, nullptr);

    // A scenario with the same steps, so the event builder can name and check them.
    Scenario scenario;
    scenario.actors = {"bench"};
    scenario.steps = listenerSteps();
    for (auto s : lifecycle())
        scenario.steps.push_back(s);
    for (auto &s : scenario.steps)
        s.actor = "bench";

    VarTable vars;
    for (const auto &s : listenerSteps()) {
        CallResult r = executeCall(s, s.sock.empty() ? -1 : vars.fd(s.sock), nullptr);
        if (r.newFd >= 0)
            vars.set(s.assign, r.newFd);
    }
    std::vector<double> plain, rec, full, observersOnly, perCallOnly, straceRef, straced;
    // Ratios per round: each recorded loop against the unrecorded loop run just before it, so a burst of load
    // on the machine moves both. The same for the process CPU time of each loop.
    std::vector<double> recX, fullX, observersX, perCallX, straceX;
    std::vector<double> recC, fullC, observersC, perCallC;
    unrecorded(vars); // warm-up
    if (jsonOnly) {
        double cpu = 0;
        for (int round = 0; round < rounds; ++round)
            std::printf("%.1f ms, %.1f ms CPU\n", recorded(vars, true, scenario, &cpu), cpu);
        return 0;
    }
    for (int round = 0; round < rounds; ++round) {
        double plainCpu = 0, cpu = 0;
        plain.push_back(unrecorded(vars, &plainCpu));
        auto one = [&](std::vector<double> &ms, std::vector<double> &x, std::vector<double> &c, bool json,
                       bool observers, bool perCall) {
            ms.push_back(recorded(vars, json, scenario, &cpu, observers, perCall));
            x.push_back(ms.back() / plain.back());
            c.push_back(cpu / plainCpu);
        };
        one(rec, recX, recC, false, true, true);
        one(full, fullX, fullC, true, true, true);
        one(observersOnly, observersX, observersC, false, true, false);
        one(perCallOnly, perCallX, perCallC, false, false, true);
        if (haveStrace) {
            straceRef.push_back(childLoop(false));
            straced.push_back(childLoop(true));
            straceX.push_back(straced.back() / straceRef.back());
        }
    }
    auto line = [](const char *what, const std::vector<double> &ms, const std::vector<double> &x, const char *budget,
                   const std::vector<double> &c = {}) {
        std::printf("  %-40s %-24s %-22s %-22s %s\n", what, bench::format(bench::spread(ms)).c_str(),
                    x.empty() ? "" : (bench::format(bench::spread(x), 3) + " x").c_str(),
                    c.empty() ? "" : (bench::format(bench::spread(c), 3) + " x").c_str(), budget);
    };
    std::printf(
        "recording overhead, %d loopback connection lifecycles (7 calls each), %d rounds, ms and ratio to the "
        "unrecorded loop of the same round: median (min-max); last column: the same ratio of process CPU time\n",
        kLifecycles, rounds);
    line("unrecorded", plain, {}, "");
    line("recorded (capture, sampler, per call)", rec, recX, "budget <= 1.05 x", recC);
    line("recorded + event stream built as JSON", full, fullX, "budget <= 1.5 x", fullC);
    line("of which: capture + sampler only", observersOnly, observersX, "", observersC);
    line("          per-call records only", perCallOnly, perCallX, "", perCallC);
    if (haveStrace) {
        line("reference: the loop in a child", straceRef, {}, "");
        line("strace -f -e trace=network of that child", straced, straceX, "");
    } else {
        std::printf("  (strace is not installed: scripts/bench.sh installs it)\n");
    }
    return 0;
}
