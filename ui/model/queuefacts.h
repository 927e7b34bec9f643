// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: what a socket's queues hold in the run's own terms (data received and not read, data written and not
// acknowledged), from the calls and the captured segments before an event. The kernel's queue figures count
// sequence numbers (a SYN or a FIN is one), so a sentence that says "bytes" uses these instead.
// Thread-safety: pure function over values.

#include "core/stream/event.h"

#include <cstdint>
#include <span>
#include <string>

namespace sockscope::ui {

struct QueueFacts
{
    std::int64_t unreadData = 0;  // bytes that reached the socket and no recv()/read() has returned yet
    std::int64_t unackedData = 0; // bytes send()/write() took that the peer has not acknowledged
    bool finReceived = false;     // the peer's FIN reached the socket
    bool captured = false;        // segments of the socket were captured (else the kernel's figures stand in)
};

// The facts for `sock` from events[0, before).
QueueFacts queueFactsBefore(std::span<const core::Event> events, std::size_t before, const std::string &sock);

} // namespace sockscope::ui
