// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: what a run of any scenario must satisfy, whatever the kernel did: the verdict finds no contradiction
// and no lab error, every derived state change is an RFC 9293 transition that starts where the last one ended,
// every segment is attributed to the sockets whose 4-tuple it carries, and every FIN or RST leaves inside or
// after the call that caused it. Each broken rule is one line of text.
// Thread-safety: pure functions.

#include "core/stream/event.h"

#include <string>
#include <vector>

namespace sockscope::differential {

std::vector<std::string> checkRun(const std::vector<core::Event> &events);

// True for a transition the RFC 9293 diagram allows (plus aborts to CLOSED, which RST and close() cause).
bool legalTransition(core::TcpState from, core::TcpState to);

} // namespace sockscope::differential
