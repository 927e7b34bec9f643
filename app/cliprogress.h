// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: a progress line on stderr ("\r[37/100] runs") for long commands, only when stderr is a terminal;
// cleared before anything else is printed and at the end, so logs and tables read as without it.
// Thread-safety: one thread.

#include <string>

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

} // namespace sockscope::app
