// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cliprogress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace sockscope::app {

Progress::Progress(int total, std::string what, bool enabled)
    : m_total(total), m_what(std::move(what)), m_enabled(enabled && ::isatty(STDERR_FILENO) == 1)
{
}

Progress::~Progress()
{
    clear();
}

void Progress::show(int done, const std::string &detail)
{
    if (!m_enabled)
        return;
    std::cout.flush(); // what stdout printed before belongs above the line
    std::fprintf(stderr, "\r\033[K[%d/%d] %s%s%s", done, m_total, m_what.c_str(), detail.empty() ? "" : " ",
                 detail.c_str());
    std::fflush(stderr);
    m_shown = true;
}

void Progress::clear()
{
    if (!m_shown)
        return;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    m_shown = false;
}

WaitProgress::WaitProgress(bool enabled) : m_enabled(enabled && ::isatty(STDERR_FILENO) == 1) {}

WaitProgress::~WaitProgress()
{
    stop();
}

std::string WaitProgress::text(const std::string &what, std::int64_t elapsedMs, std::int64_t totalMs)
{
    const auto secs = [](std::int64_t ms) { return std::to_string((ms + 999) / 1000); };
    return "[wait " + std::to_string(std::min(elapsedMs, totalMs) / 1000) + "/" + secs(totalMs) + " s] " + what;
}

void WaitProgress::start(std::string what, std::int64_t ms)
{
    stop();
    if (!m_enabled)
        return;
    m_quit = false;
    m_thread = std::thread([this, what = std::move(what), ms] {
        const auto begin = std::chrono::steady_clock::now();
        std::unique_lock lock(m_mutex);
        do {
            const auto elapsed =
                std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - begin);
            std::fprintf(stderr, "\r\033[K%s", text(what, elapsed.count(), ms).c_str());
            std::fflush(stderr);
        } while (!m_wake.wait_for(lock, std::chrono::milliseconds(250), [this] { return m_quit; }));
        std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
    });
}

void WaitProgress::stop()
{
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

} // namespace sockscope::app
