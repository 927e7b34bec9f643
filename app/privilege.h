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

// Returns when the process runs with its own user's ids; otherwise says why on stderr and ends the process with
// status 2 at once (_exit): a process with borrowed privileges runs no exit handler or static destructor of its
// libraries (under ASan, LeakSanitizer's exit-time check, which cannot trace a setgid process and turned the
// refusal's status into 1).
inline void refuseSetid(const char *program)
{
    // AT_SECURE also covers file capabilities and LSM transitions that the id comparison cannot see.
    const bool secure = ::getauxval(AT_SECURE) != 0;
    if (!secure && ::getuid() == ::geteuid() && ::getgid() == ::getegid())
        return;
    std::fprintf(stderr,
                 "%s: refusing to run with privileges its user does not have (setuid or setgid: real uid %u gid %u, "
                 "effective uid %u gid %u); install it without the set-user-ID and set-group-ID bits\n",
                 program, static_cast<unsigned>(::getuid()), static_cast<unsigned>(::getgid()),
                 static_cast<unsigned>(::geteuid()), static_cast<unsigned>(::getegid()));
    ::_exit(2);
}

} // namespace sockscope::app
