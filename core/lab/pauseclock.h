// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: run time without the teacher's pauses. While stepping, the lab waits between two steps for as long
// as the teacher talks; that idle time is taken out of every later stamp. What the kernel did during a pause
// (a SYN retransmission, a blocked call that returned) keeps its place: a stamp inside a pause keeps its
// distance from the pause's start, and only the idle rest of the pause after the last such stamp is dropped.
// Thread-safety: one thread (the lab's main thread, which writes the stream).

#include <cstdint>
#include <vector>

namespace sockscope::core {

class PauseClock
{
public:
    // Absolute CLOCK_REALTIME stamps; pauses come in order and do not overlap.
    void pauseBegan(std::int64_t absNs);
    void pauseEnded(std::int64_t absNs);
    // An event's stamp on the clock without pauses. Events come in time order; one inside a pause keeps that
    // much of the pause.
    std::int64_t place(std::int64_t absNs);
    // The same clock for any stamp, recording nothing (a call's entry, for its duration).
    std::int64_t at(std::int64_t absNs) const;

private:
    struct Pause
    {
        std::int64_t begin = 0;
        std::int64_t end = 0;  // INT64_MAX while it lasts
        std::int64_t kept = 0; // from begin to the last event inside it
    };
    std::vector<Pause> m_pauses;
};

} // namespace sockscope::core
