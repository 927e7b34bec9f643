// SPDX-License-Identifier: GPL-3.0-or-later
// The parent's end of the lab pipe under faults: the watchdog budget, a pause far longer than the watchdog,
// a lab killed while paused (no SIGPIPE, the death reported in words), interrupt() racing with pump(), and
// fake lab runners (SOCKSCOPE_LAB_BINARY) that never exit after `end` or die in the middle of their stream.
// After each, no child is left: no zombie, no leftover process.
#include "testsupport.h"

#include "core/lab/parent/labbatch.h"
#include "core/lab/parent/labbudget.h"
#include "core/lab/parent/labclient.h"
#include "core/model/outcome.h"

#include <gtest/gtest.h>

#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <future>
#include <random>
#include <sstream>
#include <thread>

using namespace sockscope;
using namespace sockscope::core;

namespace {

// Children of this process (any thread), from /proc.
std::vector<pid_t> children()
{
    std::vector<pid_t> pids;
    if (DIR *d = opendir("/proc/self/task")) {
        while (dirent *e = readdir(d)) {
            if (e->d_name[0] == '.')
                continue;
            std::ifstream in(std::string("/proc/self/task/") + e->d_name + "/children");
            pid_t pid;
            while (in >> pid)
                pids.push_back(pid);
        }
        closedir(d);
    }
    return pids;
}

// True when this process has no child at all, not even a zombie.
bool noChildLeft()
{
    int status = 0;
    return ::waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD;
}

Scenario stepsOnly(std::vector<Step> steps, int stepTimeoutMs = 1000)
{
    Scenario s;
    s.stepTimeoutMs = stepTimeoutMs;
    s.steps = std::move(steps);
    return s;
}

LabOptions realLab()
{
    LabOptions o;
    o.labBinary = SOCKSCOPE_LAB_BINARY;
    return o;
}

// A run in step mode on the real lab that keeps every event it pumps.
struct SteppedRun
{
    std::vector<Event> events;
    const EventSink sink = [this](Event &&e) { events.push_back(std::move(e)); };
    std::string error;
    std::unique_ptr<LabSession> session;

    explicit SteppedRun(const Scenario &s, LabOptions o = realLab())
    {
        o.stepMode = true;
        session = LabSession::start(s, o, &error);
    }
    // Pumps until the lab stops before its next step; false when pumping failed or the lab did not pause.
    bool pumpToPause() { return session->pump(sink, &error) && session->paused(); }
};

// Sets SOCKSCOPE_LAB_BINARY for the lifetime of the object (the fake labs are chosen the way the tests would
// choose them from outside: by the environment, with no labBinary option).
struct FakeLab
{
    explicit FakeLab(const char *script)
    {
        ::setenv("SOCKSCOPE_LAB_BINARY", (std::string(SOCKSCOPE_FIXTURES) + "/fakelab/" + script).c_str(), 1);
    }
    ~FakeLab() { ::unsetenv("SOCKSCOPE_LAB_BINARY"); }
};

// Runs runLab on another thread; a run that does not come back within `bound` is a failure (its children are
// then killed so the test ends instead of hanging).
struct BoundedRun
{
    std::vector<Event> events;
    std::string error;
    bool returned = false;
};

BoundedRun runBounded(const Scenario &s, const LabOptions &o, std::chrono::seconds bound)
{
    auto result = std::make_shared<BoundedRun>();
    auto future = std::async(std::launch::async, [result, s, o] {
        runLab(
            s, o, [&](Event &&e) { result->events.push_back(std::move(e)); }, &result->error);
    });
    result->returned = future.wait_for(bound) == std::future_status::ready;
    if (!result->returned)
        for (pid_t pid : children())
            ::kill(pid, SIGKILL);
    future.get();
    return *result;
}

} // namespace

// The budget, by hand: step timeout per step of the group, plus its sleeps, waits and poll timeouts, plus slack.
TEST(LabBudget, GroupAndRunBudgets)
{
    const Scenario s = stepsOnly({
        Step{.call = Call::Socket},                                 // 0: 1000
        Step{.call = Call::Close, .together = true},                // 1: & with 2
        Step{.call = Call::Close},                                  // 2: group 1-2 = 2000
        Step{.call = Call::Sleep, .number = 500},                   // 3: 1000 + 500
        Step{.call = Call::Poll, .timeoutMs = 250},                 // 4: 1000 + 250
        Step{.call = Call::Wait, .number = 4000, .together = true}, // 5: & with 6: 1000 + 4000
        Step{.call = Call::Poll, .timeoutMs = -1},                  // 6: + 1000 (an infinite poll adds nothing here)
    });
    struct Row
    {
        size_t first;
        int group, run;
    };
    for (const Row &r : {Row{0, 1000 + 7, 6000 + 7}, Row{1, 2000 + 7, 6000 + 7}, Row{3, 1500 + 7, 6000 + 7},
                         Row{4, 1250 + 7, 6000 + 7}, Row{5, 6000 + 7, 6000 + 7}, Row{7, 7, 7}}) {
        EXPECT_EQ(groupBudgetMs(s, r.first, 7), r.group) << "group at " << r.first;
        EXPECT_EQ(runBudgetMs(s, r.first, 7), r.run) << "run from " << r.first;
    }
    EXPECT_EQ(groupBudgetMs(s, 99), kWatchdogSlackMs); // past the end: the run's own exit
    EXPECT_EQ(groupBudgetMs(stepsOnly({Step{.call = Call::Sleep, .number = 1'000'000'000}}), 0), kWatchdogCeilingMs);
}

// The whole run's bound, by hand: a step timeout per step, every sleep, wait and poll timeout, the longest
// linger per close() and shutdown(), the slack; and the ceiling for the longest file the parser accepts.
TEST(LabBudget, RunBound)
{
    const Step linger{.call = Call::Setsockopt, .number = 1, .number2 = 5, .option = "SO_LINGER"};
    const Step lingerOff{.call = Call::Setsockopt, .number = 0, .number2 = 60, .option = "SO_LINGER"};
    const Scenario s = stepsOnly({
        linger,                                                     // 1000
        lingerOff,                                                  // 1000 (off: its 60 s never count)
        Step{.call = Call::Sleep, .number = 500},                   // 1000 + 500
        Step{.call = Call::Poll, .timeoutMs = 250},                 // 1000 + 250
        Step{.call = Call::Wait, .number = 4000, .together = true}, // 1000 + 4000
        Step{.call = Call::Close},                                  // 1000 + 5000
        Step{.call = Call::Shutdown},                               // 1000 + 5000
    });
    EXPECT_EQ(runBoundMs(s, 7), 7 * 1000 + 500 + 250 + 4000 + 2 * 5000 + 7);
    EXPECT_EQ(runBoundMs(stepsOnly({Step{.call = Call::Close}}), 7),
              1000 + 7); // no SO_LINGER: close() counts no linger
    EXPECT_EQ(runBoundMs(stepsOnly(std::vector<Step>(9999, Step{.call = Call::Socket}), 60000)), kWatchdogCeilingMs);
    EXPECT_EQ(boundText(1001), "2 s");
}

// The watchdog budget is about 1 s here; the pause lasts 3 s. The run then steps and continues to its end.
TEST(LabSession, PauseLongerThanTheWatchdogKeepsTheRun)
{
    Scenario s = test::loadBuiltin("close-unread-data");
    s.stepTimeoutMs = 500; // the parent's budget only: the lab parses the source and keeps its own timeout
    LabOptions o = realLab();
    o.watchdogSlackMs = 500;
    SteppedRun r(s, o);
    ASSERT_TRUE(r.session) << r.error;
    ASSERT_TRUE(r.pumpToPause()) << r.error;
    EXPECT_EQ(r.session->nextStep(), 0);
    ASSERT_TRUE(r.session->step());
    ASSERT_TRUE(r.pumpToPause()) << r.error;
    EXPECT_EQ(r.session->nextStep(), 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(3 * (s.stepTimeoutMs + o.watchdogSlackMs)));
    ASSERT_TRUE(r.session->step()) << "the paused lab was gone after the pause";
    ASSERT_TRUE(r.pumpToPause()) << r.error;
    EXPECT_EQ(r.session->nextStep(), 2);
    ASSERT_TRUE(r.session->resume());
    while (r.session->pump(r.sink, &r.error))
        ASSERT_FALSE(r.session->paused()) << "paused after continue";
    EXPECT_TRUE(r.error.empty()) << r.error;
    ASSERT_EQ(r.events.back().kind(), EventKind::End);
    EXPECT_TRUE(r.events.back().as<EndInfo>()->ok) << r.events.back().as<EndInfo>()->error;
    r.session.reset();
    EXPECT_TRUE(noChildLeft());
}

// Killed while paused: the next command fails (without SIGPIPE killing this process) and pump() says how.
TEST(LabSession, LabKilledWhilePausedIsReportedInWords)
{
    SteppedRun r(test::loadBuiltin("close-unread-data"));
    ASSERT_TRUE(r.session) << r.error;
    ASSERT_TRUE(r.pumpToPause()) << r.error;
    const std::vector<pid_t> labs = children();
    ASSERT_EQ(labs.size(), 1u);
    ASSERT_EQ(::kill(labs.front(), SIGKILL), 0);
    siginfo_t info{}; // gone for good (a zombie, its pipes released), and still ours to reap
    ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(labs.front()), &info, WEXITED | WNOWAIT), 0);
    EXPECT_FALSE(r.session->step()); // EPIPE, and this process is still here
    EXPECT_FALSE(r.session->pump(r.sink, &r.error));
    EXPECT_NE(r.error.find("killed by SIGKILL"), std::string::npos) << r.error;
    ASSERT_FALSE(r.events.empty());
    ASSERT_EQ(r.events.back().kind(), EventKind::End); // synthesised, with the reason
    EXPECT_FALSE(r.events.back().as<EndInfo>()->ok);
    EXPECT_TRUE(noChildLeft()); // reaped by pump(), before the session is gone
}

// interrupt() from a second thread while the first pumps: every run ends (interrupted or complete), reaped.
TEST(LabSession, InterruptRacesWithPump)
{
    const Scenario s = test::loadBuiltin("close-unread-data");
    std::mt19937 random(12345);
    const int runs = std::getenv("SOCKSCOPE_REPEAT") ? 100 * std::atoi(std::getenv("SOCKSCOPE_REPEAT")) : 200;
    int interrupted = 0, completed = 0;
    for (int i = 0; i < runs; ++i) {
        std::string error;
        auto session = LabSession::start(s, realLab(), &error);
        ASSERT_TRUE(session) << error;
        const int delayUs = std::uniform_int_distribution<int>(0, 150000)(random); // a run takes ~60-100 ms
        std::thread killer([&session, delayUs] {
            std::this_thread::sleep_for(std::chrono::microseconds(delayUs));
            session->interrupt();
        });
        bool sawEnd = false;
        while (session->pump([&](Event &&e) { sawEnd = sawEnd || e.kind() == EventKind::End; }, &error)) {
        }
        killer.join();
        session.reset();
        ASSERT_TRUE(noChildLeft()) << "run " << i;
        if (error.empty()) {
            ASSERT_TRUE(sawEnd) << "run " << i;
            ++completed;
        } else {
            ASSERT_NE(error.find("killed by SIGKILL"), std::string::npos) << "run " << i << ": " << error;
            ++interrupted;
        }
    }
    EXPECT_GT(interrupted, 0);
    std::cout << "[          ] " << interrupted << " interrupted, " << completed << " complete\n";
}

// A lab that says `end` and never exits: the run is complete, the lab is killed after the grace, nothing left.
TEST(FakeLab, EndWithoutExitIsKilledAfterTheGrace)
{
    FakeLab fake("end-no-exit.sh");
    LabOptions o;
    o.exitGraceMs = 300;
    const BoundedRun r = runBounded(test::loadBuiltin("close-unread-data"), o, std::chrono::seconds(30));
    ASSERT_TRUE(r.returned) << "waited for a lab that never exits";
    EXPECT_NE(r.error.find("wrote its end event but did not exit within 300 ms and was killed"), std::string::npos)
        << r.error;
    ASSERT_EQ(r.events.size(), 2u);
    EXPECT_EQ(r.events.back().kind(), EventKind::End);
    EXPECT_TRUE(noChildLeft());
}

// A lab that dies in the middle of a line: reported with its exit status and its stderr, an end event made up.
TEST(FakeLab, ExitInTheMiddleOfTheStreamIsReported)
{
    FakeLab fake("exit-mid-stream.sh");
    const BoundedRun r = runBounded(test::loadBuiltin("close-unread-data"), LabOptions{}, std::chrono::seconds(30));
    ASSERT_TRUE(r.returned);
    EXPECT_NE(r.error.find("exited with status 3"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("crashed on purpose"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("its stream ended in the middle of a line (26 bytes without a newline)"), std::string::npos)
        << r.error;
    ASSERT_EQ(r.events.size(), 2u); // the run event and the synthesised end
    ASSERT_EQ(r.events.back().kind(), EventKind::End);
    EXPECT_FALSE(r.events.back().as<EndInfo>()->ok);
    EXPECT_TRUE(noChildLeft());
}

// A lab that floods its pipe with valid events: stopped at the output limit, not when the parent's memory is gone.
TEST(FakeLab, FloodIsStoppedAtTheOutputLimit)
{
    FakeLab fake("flood.sh");
    LabOptions o;
    // Only the output limit may stop it, however slowly the parent reads: under TSan on a loaded machine it read
    // 4 MB, and then 1 MB, slower than the run's 43 s bound, which stopped the flood first. The bound is set to
    // the 600 s ceiling, so what is checked is which limit applies, not how fast the flood is read.
    o.maxStreamBytes = 1 << 20;
    o.runBoundMs = 600 * 1000;
    const BoundedRun r = runBounded(test::loadBuiltin("close-unread-data"), o, std::chrono::seconds(500));
    ASSERT_TRUE(r.returned) << "a flooding lab was never stopped";
    EXPECT_NE(r.error.find("the lab wrote more than 1048576 bytes"), std::string::npos) << r.error;
    EXPECT_LT(r.events.size(), (1u << 20) / 60); // about 80 bytes an event
    ASSERT_FALSE(r.events.empty());
    EXPECT_FALSE(r.events.back().as<EndInfo>()->ok);
    EXPECT_TRUE(noChildLeft());
}

// A line that never ends: stopped at the line limit (16 MiB), the buffer does not grow past it.
TEST(FakeLab, EndlessLineIsStoppedAtTheLineLimit)
{
    FakeLab fake("endless-line.sh");
    const BoundedRun r = runBounded(test::loadBuiltin("close-unread-data"), LabOptions{}, std::chrono::seconds(60));
    ASSERT_TRUE(r.returned) << "a lab writing an endless line was never stopped";
    EXPECT_NE(r.error.find("the lab sent a line longer than 16777216 bytes without a newline and was stopped"),
              std::string::npos)
        << r.error;
    EXPECT_TRUE(noChildLeft());
}

// A lab that keeps talking (so the watchdog never fires) and never ends: the parent stops it at the run's bound
// plus kRunBoundGraceMs, not sooner and not much later.
TEST(FakeLab, NeverEndingLabIsStoppedAtTheRunBound)
{
    FakeLab fake("never-ends.sh");
    LabOptions o;
    o.runBoundMs = 1000;
    const auto t0 = std::chrono::steady_clock::now();
    const BoundedRun r = runBounded(test::loadBuiltin("close-unread-data"), o, std::chrono::seconds(60));
    const auto took = std::chrono::steady_clock::now() - t0;
    ASSERT_TRUE(r.returned) << "a lab that never ends was never stopped";
    EXPECT_NE(r.error.find("the lab exceeded its 1 s bound and was stopped"), std::string::npos) << r.error;
    EXPECT_GE(took, std::chrono::milliseconds(1000 + kRunBoundGraceMs));
    EXPECT_LT(took, std::chrono::milliseconds(1000 + kRunBoundGraceMs + 5000));
    EXPECT_GT(r.events.size(), 5u); // it did talk all along
    EXPECT_TRUE(noChildLeft());
}

// The real lab ends itself at its bound: a wait of 20 s against a bound of 1 s ends at about 1 s (exit 3, the
// reason on stderr), before the parent would stop it.
TEST(LabSession, LabEndsItselfAtItsBound)
{
    auto parsed = parseScenario("title: t\ntopic: t\nsummary: s\nactors: a\n\na  wait(20000)\n", "bound.scn");
    ASSERT_TRUE(parsed.scenario);
    LabOptions o = realLab();
    o.runBoundMs = 1000;
    const auto t0 = std::chrono::steady_clock::now();
    const BoundedRun r = runBounded(*parsed.scenario, o, std::chrono::seconds(60));
    const auto took = std::chrono::steady_clock::now() - t0;
    ASSERT_TRUE(r.returned);
    EXPECT_NE(r.error.find("exited with status 3"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("sockscope-lab: the run exceeded its 1 s bound"), std::string::npos) << r.error;
    EXPECT_LT(took, std::chrono::milliseconds(1000 + kRunBoundGraceMs)) << "the parent had to stop it";
    EXPECT_TRUE(noChildLeft());
}

// Stepping with a 1.5 s pause: the stream's times leave the pause out, and never go backwards.
TEST(LabSession, StepTimesLeaveOutThePause)
{
    SteppedRun r(test::loadBuiltin("close-unread-data"));
    ASSERT_TRUE(r.session) << r.error;
    for (int k = 0; k < 3; ++k) {
        ASSERT_TRUE(r.pumpToPause()) << r.error;
        ASSERT_TRUE(r.session->step());
    }
    ASSERT_TRUE(r.pumpToPause()) << r.error;
    const std::int64_t beforePause = r.events.back().tNs;
    constexpr std::int64_t kPauseNs = 1'500'000'000;
    std::this_thread::sleep_for(std::chrono::nanoseconds(kPauseNs));
    ASSERT_TRUE(r.session->resume());
    while (r.session->pump(r.sink, &r.error)) {
    }
    ASSERT_TRUE(r.error.empty()) << r.error;
    std::int64_t nextStepT = -1;
    for (size_t i = 1; i < r.events.size(); ++i) {
        EXPECT_GE(r.events[i].tNs, r.events[i - 1].tNs) << "event " << i;
        if (const auto *s = r.events[i].as<StepInfo>(); s && s->step == 3 && nextStepT < 0)
            nextStepT = r.events[i].tNs;
    }
    ASSERT_GE(nextStepT, 0);
    EXPECT_LT(nextStepT - beforePause, kPauseNs) << "the pause is in the step's time";
    const EndInfo &end = *r.events.back().as<EndInfo>();
    EXPECT_LT(end.durationNs, kPauseNs) << "the pause is in the run's duration";
}

// A batch with several labs at once hands back every run, in run order, each the same outcome as a run on its
// own (close-unread-data does one thing only: RST), and leaves no child behind.
TEST(LabBatch, EveryRunInOrderWithTheOutcomeOfASingleRun)
{
    const Scenario s = test::loadBuiltin("close-unread-data");
    std::vector<Event> single;
    std::string error;
    ASSERT_TRUE(runLab(
        s, realLab(), [&](Event &&e) { single.push_back(std::move(e)); }, &error))
        << error;
    const std::string expected = tcpBehaviour(single).key;
    std::vector<int> order;
    LabBatch batch(s, realLab(), 7, 3);
    EXPECT_TRUE(batch.run([&](BatchRun &&run) {
        order.push_back(run.index);
        EXPECT_EQ(run.error, "") << "run " << run.index;
        ASSERT_FALSE(run.events.empty());
        EXPECT_EQ(run.events.back().kind(), EventKind::End);
        EXPECT_EQ(tcpBehaviour(run.events).key, expected) << "run " << run.index;
    }));
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5, 6}));
    EXPECT_TRUE(noChildLeft());
}

// cancel() from the delivery of the first run: no more runs are handed out, run() says it was cancelled, and
// the labs still going are interrupted and reaped.
TEST(LabBatch, CancelStopsTheBatchAndLeavesNoChild)
{
    LabBatch batch(test::loadBuiltin("close-unread-data"), realLab(), 50, 2);
    int delivered = 0;
    EXPECT_FALSE(batch.run([&](BatchRun &&) {
        ++delivered;
        batch.cancel();
    }));
    EXPECT_EQ(delivered, 1);
    EXPECT_TRUE(noChildLeft());
}

// A lab that cannot start is that run's error, not the batch's end.
TEST(LabBatch, ALabThatCannotStartIsThatRunsError)
{
    LabOptions o;
    o.labBinary = "/nonexistent/sockscope-lab";
    std::vector<std::string> errors;
    LabBatch batch(test::loadBuiltin("close-unread-data"), o, 3, 2);
    EXPECT_TRUE(batch.run([&](BatchRun &&run) { errors.push_back(run.error); }));
    ASSERT_EQ(errors.size(), 3u);
    for (const auto &e : errors)
        EXPECT_NE(e, "");
}
