// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the parent side of a run: starts the lab runner child (sockscope-lab), sends it the scenario and
// commands over its stdin, and reads the event stream from its stdout.
// Thread-safety: a LabSession is driven by one thread (never the GUI thread: its calls block on the pipe);
// interrupt() may be called from any thread.

#include "core/scenario/scenario.h"
#include "core/stream/event.h"

#include <functional>
#include <memory>
#include <string>

namespace sockscope::core {

struct LabOptions
{
    std::string labBinary;  // "" = defaultLabBinary()
    bool forceHost = false; // skip the namespace (tests of the fallback)
    bool stepMode = false;  // wait for step()/resume() before each step
    int settleUs = 300;     // quiet time after a call before the next step (no new segment)
    int blockDetectMs = 15; // a call still running after this is shown as blocked
};

// Default path of the lab runner binary: sockscope-lab beside /proc/self/exe (the build tree), else the
// installed one in libexec/sockscope/, relative to the program's bin/.
std::string defaultLabBinary();

using EventSink = std::function<void(Event &&)>;

class LabSession
{
public:
    // Starts the child and sends the scenario. Returns nullptr with *error when the child cannot start.
    static std::unique_ptr<LabSession> start(const Scenario &scenario, const LabOptions &options, std::string *error);
    ~LabSession(); // kills and reaps the child if it is still running

    // Reads events until the run ends (end event), the child pauses waiting for a command (step mode),
    // or the child dies. Returns false when no more events will come.
    bool pump(const EventSink &sink, std::string *error);
    bool paused() const { return m_paused; }
    // While paused: the index of the step the lab will run on step() (-1 when unknown).
    int nextStep() const { return m_nextStep; }
    bool finished() const { return m_finished; }

    void step();      // step mode: run the next step, then pause again
    void resume();    // leave step mode: run to the end
    void stop();      // end the run now (blocked calls are interrupted), an end event follows
    void interrupt(); // from any thread: kill the child; pump() returns false

private:
    LabSession() = default;
    void send(const std::string &line);
    std::string drainStderr();
    bool fail(const EventSink &sink, const std::string &message, std::string *error);
    int m_pid = -1;
    int m_in = -1;  // child's stdin
    int m_out = -1; // child's stdout
    int m_err = -1; // child's stderr
    int m_watchdogMs = 10000;
    std::int64_t m_lastN = 0;
    std::int64_t m_lastT = 0;
    bool m_sawRun = false;
    int m_nextStep = -1;
    std::string m_buffer;
    bool m_paused = false;
    bool m_finished = false;
};

// Runs a whole scenario (no stepping) and delivers every event. Returns false and sets *error when the lab
// failed; events already delivered stay valid and an end event with the error is synthesised if none came.
bool runLab(const Scenario &scenario, const LabOptions &options, const EventSink &sink, std::string *error);

} // namespace sockscope::core
