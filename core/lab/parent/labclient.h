// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the parent side of a run: starts the lab runner child (sockscope-lab), sends it the scenario and
// commands over its stdin, and reads the event stream from its stdout.
// Thread-safety: a LabSession is driven by one thread (never the GUI thread: its calls block on the pipe);
// interrupt() may be called from any other thread while the session exists (it only signals the child's pidfd,
// which stays open until the destructor, so it can never reach a reaped and recycled pid).

#include "core/lab/parent/labbudget.h"
#include "core/scenario/scenario.h"
#include "core/stream/event.h"
#include "core/stream/eventlimits.h"
#include "core/stream/eventreader.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace sockscope::core {

// A lab that wrote its end event (or closed its stdout) gets this long to exit before it is killed.
inline constexpr int kLabExitGraceMs = 2000;

struct LabOptions
{
    std::string labBinary;  // "" = $SOCKSCOPE_LAB_BINARY (tests only), else sockscope-lab next to /proc/self/exe
    bool forceHost = false; // skip the namespace (tests of the fallback)
    bool stepMode = false;  // wait for step()/resume() before each step
    int settleUs = 300;     // quiet time after a call before the next step (no new segment)
    int blockDetectMs = 15; // a call still running after this is shown as blocked
    int watchdogSlackMs = kWatchdogSlackMs; // see labbudget.h; tests shorten it
    int exitGraceMs = kLabExitGraceMs;
    int runBoundMs = 0; // the whole run's bound, pauses left out; 0 = from the scenario (runBoundMs()); tests set it
    std::int64_t maxStreamBytes = kMaxLabStreamBytes; // all the lab may write; tests lower it
    // Told when the lab starts a long sleep() or wait() (at least kLongWaitMs): the step's index and its length,
    // so that the CLI and the window can show progress while no event comes. Called on the pumping thread.
    std::function<void(int step, std::int64_t ms)> onLongWait;
};

// Default path of the lab runner binary: $SOCKSCOPE_LAB_BINARY when set (a fake lab for fault tests), else
// sockscope-lab beside /proc/self/exe (the build tree), else the installed one in libexec/sockscope/, relative
// to the program's bin/.
std::string defaultLabBinary();

using EventSink = std::function<void(Event &&)>;

class LabSession
{
public:
    // Starts the child and sends the scenario. Returns nullptr with *error when the child cannot start.
    static std::unique_ptr<LabSession> start(const Scenario &scenario, const LabOptions &options, std::string *error);
    ~LabSession(); // kills a run still going; a finished lab gets exitGraceMs to exit; always reaps the child

    // Reads events until the run ends (end event), the child pauses waiting for a command (step mode),
    // or the child dies. Returns false when no more events will come. The watchdog and the run's bound run
    // only in here: a paused lab is never timed out, however long the pause. A line longer than
    // kMaxJsonLineBytes, more than maxStreamBytes in all, or a last line without its newline stop the lab.
    bool pump(const EventSink &sink, std::string *error);
    bool paused() const { return m_phase == Phase::Paused; }
    // While paused: the index of the step the lab will run on step() (-1 when unknown).
    int nextStep() const { return m_nextStep; }
    bool finished() const { return m_phase == Phase::Finished; }
    // The lab's stdout: readable while paused only when the lab died (tests and pollers watch it).
    int streamFd() const { return m_out; }

    // Commands. False when the lab has gone (the write failed); the next pump() reports why it went.
    bool step();      // step mode: run the next step, then pause again
    bool resume();    // leave step mode: run to the end
    bool stop();      // end the run now (blocked calls are interrupted), an end event follows
    void interrupt(); // from any thread: kill the child; pump() returns false

    // After the end event: waits up to exitGraceMs for the lab to exit. False with *error when it had to be
    // killed (a lab that says `end` and stays is a fault, though its run is complete).
    bool awaitExit(std::string *error);

private:
    enum class Phase
    {
        Running,
        Paused,
        Finished
    };
    LabSession() = default;
    bool send(const std::string &line);
    void arm(int budgetMs);
    int reap(int graceMs);
    void startRunning();
    // Sends a command that sets the lab running, with the watchdog armed at budgetMs.
    bool command(const char *word, int budgetMs);
    void stopRunning();
    std::chrono::milliseconds runLeft() const;
    std::string drainStderr();
    bool fail(const EventSink &sink, const std::string &message, std::string *error);
    bool handleLine(const std::string &line, const EventSink &sink, std::string *error, bool *more);

    Scenario m_scenario; // for the watchdog budgets
    LabOptions m_options;
    int m_pid = -1;   // until reaped; never signalled (the pidfd is)
    int m_pidfd = -1; // set before the session is handed out, closed in the destructor
    int m_status = 0; // wait status once reaped
    int m_in = -1;    // child's stdin
    int m_out = -1;   // child's stdout
    int m_err = -1;   // child's stderr
    int m_budgetMs = 0;
    std::chrono::steady_clock::time_point m_deadline;
    int m_runBoundMs = 0;                                 // the whole run, pauses left out
    std::chrono::milliseconds m_ranMs{0};                 // running time before the current stretch
    std::chrono::steady_clock::time_point m_runningSince; // start of the current stretch (while not paused)
    std::int64_t m_streamBytes = 0;
    bool m_killed = false; // reap() had to kill the child
    std::int64_t m_lastN = 0;
    std::int64_t m_lastT = 0;
    bool m_sawRun = false;
    int m_nextStep = -1;
    std::string m_buffer;
    std::string m_sendError; // the last command that could not be written, and why
    Phase m_phase = Phase::Running;
    EventStreamReader m_reader; // every line of the lab's stdout, checked like a run file's
};

// Runs a whole scenario (no stepping) and delivers every event. Returns false and sets *error when the lab
// failed; events already delivered stay valid and an end event with the error is synthesised if none came.
bool runLab(const Scenario &scenario, const LabOptions &options, const EventSink &sink, std::string *error);

} // namespace sockscope::core
