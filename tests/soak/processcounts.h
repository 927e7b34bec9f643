// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: what a long-running process may leak, read from /proc/self: open descriptors, threads, child
// processes (zombies included) and resident memory. The soak programs compare the counts before and after.
// Thread-safety: reads /proc only; call from any thread.

#include <dirent.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace sockscope::test {

struct ProcessCounts
{
    int fds = 0;
    int threads = 0;
    int children = 0;
    long rssKb = 0;

    static ProcessCounts now()
    {
        ProcessCounts c;
        if (DIR *d = opendir("/proc/self/fd")) {
            while (dirent *e = readdir(d))
                c.fds += e->d_name[0] != '.';
            closedir(d);
            --c.fds; // the directory being read
        }
        std::ifstream status("/proc/self/status");
        for (std::string key; status >> key;) {
            if (key == "Threads:")
                status >> c.threads;
            else if (key == "VmRSS:")
                status >> c.rssKb;
        }
        if (DIR *d = opendir("/proc/self/task")) {
            while (dirent *e = readdir(d)) {
                if (e->d_name[0] == '.')
                    continue;
                std::ifstream in(std::string("/proc/self/task/") + e->d_name + "/children");
                for (int pid; in >> pid;)
                    ++c.children;
            }
            closedir(d);
        }
        return c;
    }

    std::string text() const
    {
        char buf[160];
        std::snprintf(buf, sizeof buf, "fds %d, threads %d, children %d, RSS %.1f MB", fds, threads, children,
                      rssKb / 1024.0);
        return buf;
    }
};

// Growth is a failure: one more descriptor, thread or child, or RSS up by more than slackKb (the allocator keeps
// freed pages; a leak of one run's events, 1000 times over, is far more).
inline bool grew(const ProcessCounts &before, const ProcessCounts &after, long slackKb)
{
    return after.fds > before.fds || after.threads > before.threads || after.children > before.children ||
           after.rssKb > before.rssKb + slackKb;
}

} // namespace sockscope::test
