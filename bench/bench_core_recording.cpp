// SPDX-License-Identifier: GPL-3.0-or-later
// Budget (DESIGN.md): recording overhead on a loop of 1000 loopback connection lifecycles <= 1.05 x unrecorded
// (strace -f: 5.5-7 x). Both loops run the same calls through the same code in a private namespace; the
// recorded one also runs the capture ring and the 1 ms sock_diag sampler, records every enter/exit,
// collects SIGPIPE and snapshots the fds after each call, as the lab does. A third figure adds turning the
// records into the event stream (JSON), which the lab does between steps.
#include "benchutil.h"

#include "core/lab/actor.h"
#include "core/lab/netns.h"
#include "core/lab/packetcapture.h"
#include "core/lab/sockdiag.h"
#include "core/model/eventbuilder.h"
#include "core/stream/eventjson.h"

#include <atomic>
#include <csignal>
#include <cstdio>
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

double unrecorded(VarTable &vars)
{
    auto steps = lifecycle();
    double t0 = bench::nowMs();
    for (int i = 0; i < kLifecycles; ++i) {
        for (const auto &s : steps) {
            CallResult r = executeCall(s, s.sock.empty() ? -1 : vars.fd(s.sock), nullptr);
            if (r.newFd >= 0)
                vars.set(s.assign, r.newFd);
        }
    }
    return bench::nowMs() - t0;
}

double recorded(VarTable &vars, bool buildEvents, const Scenario &scenario, bool observers = true, bool perCall = true)
{
    std::string error;
    // The ring costs the kernel a copy of every segment as soon as the socket is bound, started or not.
    std::unique_ptr<PacketCapture> capture = observers ? PacketCapture::open(&error) : nullptr;
    auto diag = SockDiag::open(&error);
    if ((observers && !capture) || !diag) {
        std::fprintf(stderr, "cannot open observers: %s\n", error.c_str());
        std::exit(1);
    }
    if (observers)
        capture->start();
    std::atomic<bool> quit{false};
    LabRecorder recorder;
    std::thread sampler([&] {
        while (!quit && observers) {
            DiagRecord rec;
            rec.t0Ns = realtimeNs();
            rec.sockets = diag->dump();
            rec.t1Ns = realtimeNs();
            recorder.pushDiag(std::move(rec));
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
    RunInfo info;
    info.capture = true;
    info.isolation = "netns";
    info.startNs = realtimeNs();
    std::size_t bytes = 0;
    EventBuilder builder(scenario, info, [&](Event &&e) { bytes += toJsonLine(e).size(); });
    auto steps = lifecycle();
    std::atomic<bool> publishing{false};
    std::int64_t id = 1;
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
    quit = true;
    sampler.join();
    if (capture) {
        auto stats = capture->stats();
        std::fprintf(stderr, "    (%llu segments captured, %llu dropped%s)\n",
                     static_cast<unsigned long long>(stats.packets), static_cast<unsigned long long>(stats.drops),
                     buildEvents ? (", " + std::to_string(bytes / 1024) + " KiB of JSON").c_str() : "");
    }
    return elapsed;
}

} // namespace

int main()
{
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
    std::vector<double> plain, rec, full, observersOnly, perCallOnly;
    unrecorded(vars); // warm-up
    for (int round = 0; round < 5; ++round) {
        plain.push_back(unrecorded(vars));
        rec.push_back(recorded(vars, false, scenario));
        full.push_back(recorded(vars, true, scenario));
        observersOnly.push_back(recorded(vars, false, scenario, true, false));
        perCallOnly.push_back(recorded(vars, false, scenario, false, true));
    }
    double p = bench::median(plain), r = bench::median(rec), f = bench::median(full);
    std::printf("recording overhead, %d loopback connection lifecycles (7 calls each), median of 5:\n", kLifecycles);
    std::printf("  unrecorded                               %8.1f ms\n", p);
    std::printf("  recorded (capture, sampler, per call)    %8.1f ms   %.3f x   budget <= 1.05 x\n", r, r / p);
    std::printf("  recorded + event stream built as JSON    %8.1f ms   %.3f x\n", f, f / p);
    double o = bench::median(observersOnly), c = bench::median(perCallOnly);
    std::printf("  of which: capture ring + sampler only    %8.1f ms   %.3f x\n", o, o / p);
    std::printf("            per-call records only          %8.1f ms   %.3f x\n", c, c / p);
    return 0;
}
