// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: raw observations made inside the lab (calls, kernel snapshots) before they become events.
// Thread-safety: plain values; LabRecorder (lab.cpp) guards the shared lists.

#include "core/event.h"
#include "core/scenario.h"
#include "core/sockdiag.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sockscope::core {

// Only what must be known at the moment of the call: names and arguments are filled in when the event
// stream is built, so a recorded call costs two clock reads and an append.
struct CallEnter
{
    std::int64_t id = 0;
    std::int64_t tNs = 0;       // CLOCK_REALTIME, just before the call
    const Step *step = nullptr; // the scenario's step (lives as long as the run)
    int fd = -1;
};

struct CallExit
{
    std::int64_t id = 0;
    std::int64_t tNs = 0; // CLOCK_REALTIME, just after the call
    std::int64_t ret = 0;
    int err = 0;
    std::optional<std::string> data;
    bool sigpipe = false;
    int fd = -1;    // the fd acted on
    int newFd = -1; // socket()/accept() result
    // accept() only: the new connection's addresses, to find its socket. Every other fd is snapshotted by the
    // scheduler after the step, off the call's path.
    FdSnapshot newFdAfter;
    std::int64_t snapNs = 0; // when newFdAfter was complete
};

struct StepMark
{
    std::int64_t tNs = 0;
    int step = 0;
};

struct DiagRecord
{
    std::int64_t t0Ns = 0; // before the dump request
    std::int64_t t1Ns = 0; // after the last reply
    std::vector<DiagSocket> sockets;
};

struct FdRecord
{
    std::int64_t tNs = 0;
    int fd = -1;
    FdSnapshot snap;
};

std::int64_t realtimeNs();
std::string errnoName(int err); // "ECONNRESET", or "E<number>" for unknown values

} // namespace sockscope::core
