// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: a run's sequence diagram as Mermaid or PlantUML text, for docs kept in version control.
// Thread-safety: pure functions.

#include "core/stream/event.h"

#include <string>
#include <vector>

namespace sockscope::core {

// Both give one participant per socket, grouped in a box per actor; one message per captured segment (flags,
// seq/ack; pure ACKs dashed, RSTs ending in a cross); a note per syscall with its result (a call that blocks gets
// a note when it starts and one when it returns), per derived state change, per contradicting kernel snapshot
// and per signal. Text that would break the syntax is escaped.
std::string toMermaid(const std::vector<Event> &events);
std::string toPlantUml(const std::vector<Event> &events);

} // namespace sockscope::core
