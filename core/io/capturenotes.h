// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the one-line text of each call, result, signal, state change and failed check of a run, stamped with
// its time, for the pcapng export's event frames (Wireshark lists them beside the segments).
// Thread-safety: a pure function.

#include "core/stream/event.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sockscope::core {

struct CaptureNote
{
    std::int64_t tNs = 0; // relative to the run's start, like Event::tNs
    std::size_t at = 0;   // index of the event it is stamped with: orders it among events of the same time
    std::string text;     // "client: connect(3, 127.0.0.1:5000) = -1 ECONNREFUSED (Connection refused)"
};

// In the stream's order (time, then index). A call is one note at its entry with its result, as strace prints it
// ("client: connect(3, 127.0.0.1:5000) = 0", before the handshake it caused); a call that blocked (another step started
// before it returned) is two, "server: accept(3) <unfinished ...>" at entry and "server: <... accept resumed> = 4" at
// its return. Derived state changes always; kernel snapshots only when they contradict; failed expectations.
std::vector<CaptureNote> captureNotes(const std::vector<Event> &events);

} // namespace sockscope::core
