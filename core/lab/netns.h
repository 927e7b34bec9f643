// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: puts the calling process into a fresh, private user + network namespace with `lo` up.
// Thread-safety: must be called while the process is still single-threaded (unshare(CLONE_NEWUSER) refuses
// multi-threaded callers).

#include <string>

namespace sockscope::core {

struct Isolation
{
    bool netns = false; // false: the host's loopback is used
    std::string note;   // why not, when netns is false
    // Set when the namespace was made but could not be set up (uid_map refused, lo not up): the process is
    // neither isolated nor on the host's loopback, and the run must stop with this error.
    std::string error;
};

Isolation enterPrivateNetns();
// Brings `lo` up in the current network namespace; false and *error on failure.
bool bringLoopbackUp(std::string *error);

} // namespace sockscope::core
