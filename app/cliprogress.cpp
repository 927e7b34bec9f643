// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cliprogress.h"

#include <unistd.h>

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

} // namespace sockscope::app
