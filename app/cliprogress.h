// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: a progress line on stderr ("\r[37/100] runs") for long commands, only when stderr is a terminal;
// cleared before anything else is printed and at the end, so logs and tables read as without it.
// Thread-safety: one thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace sockscope::app {

class Progress
{
public:
    // enabled: the caller's wish (not --quiet); the line is also off when stderr is not a terminal.
    Progress(int total, std::string what, bool enabled);
    ~Progress();
    Progress(const Progress &) = delete;
    Progress &operator=(const Progress &) = delete;

    // Shows "[done/total] what detail", replacing the previous line.
    void show(int done, const std::string &detail = {});
    // Removes the line (call before printing anything else on the terminal).
    void clear();

private:
    int m_total;
    std::string m_what;
    bool m_enabled;
    bool m_shown = false;
};

// A countdown on stderr while the lab runs a long sleep() or wait() and no event comes
// ("\r[wait 12/30 s] line 40: wait(30000)"), only when stderr is a terminal. A thread of its own redraws it;
// stop() removes the line and joins it, so call stop() before printing anything else.
// Thread-safety: start() and stop() from one thread.
class WaitProgress
{
public:
    explicit WaitProgress(bool enabled);
    ~WaitProgress();
    WaitProgress(const WaitProgress &) = delete;
    WaitProgress &operator=(const WaitProgress &) = delete;

    void start(std::string what, std::int64_t ms); // replaces a countdown still running
    void stop();

    // "[wait 12/30 s] what": the line shown after elapsedMs of a wait of totalMs.
    static std::string text(const std::string &what, std::int64_t elapsedMs, std::int64_t totalMs);

private:
    bool m_enabled;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_quit = false;
    std::thread m_thread;
};

} // namespace sockscope::app
