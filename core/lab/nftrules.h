// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the nftables commands that make a scenario's faults on the wire: one `netdev` table with ingress
// chains on `lo` (they run after the capture's tap, so a dropped segment is still captured), and one rule per
// drop line, which logs what it drops to NFLOG group kNflogGroup before dropping it.
// Thread-safety: pure functions.

#include "core/scenario/scenario.h"

#include <string>

namespace sockscope::core {

inline constexpr int kNflogGroup = 7; // the namespace's own: no other program logs there

// The table and its chains; "seen" runs after "faults" and remembers FINs that got through ("after FIN").
std::string nftTableCommands();
// The commands that put one fault in force; index makes the names of its sets unique in the run.
std::string nftFaultCommands(const Scenario &scenario, const WireFault &fault, int index);

} // namespace sockscope::core
