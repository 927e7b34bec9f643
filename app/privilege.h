// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the first thing both executables do: refuse to run setuid or setgid. sockscope reads the files its
// user names and writes where -o says, so with borrowed privileges it would read root-only files (their
// contents would leak through parse errors) and write root-owned files anywhere.
// Thread-safety: call once from main(), before any thread or file.

#include <sys/auxv.h>
#include <unistd.h>

#include <cstdio>

namespace sockscope::app {

// 0 when the process runs with its own user's ids; otherwise says why on stderr and returns 2 (main returns it).
inline int refuseSetid(const char *program)
{
    // AT_SECURE also covers file capabilities and LSM transitions that the id comparison cannot see.
    const bool secure = ::getauxval(AT_SECURE) != 0;
    if (!secure && ::getuid() == ::geteuid() && ::getgid() == ::getegid())
        return 0;
    std::fprintf(stderr,
                 "%s: refusing to run with privileges its user does not have (setuid or setgid: real uid %u gid %u, "
                 "effective uid %u gid %u); install it without the set-user-ID and set-group-ID bits\n",
                 program, static_cast<unsigned>(::getuid()), static_cast<unsigned>(::getgid()),
                 static_cast<unsigned>(::geteuid()), static_cast<unsigned>(::getegid()));
    return 2;
}

} // namespace sockscope::app
