// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: export a run's captured segments as pcapng (opens in Wireshark and tshark).
// Thread-safety: pure function on its arguments.

#include "core/stream/event.h"

#include <string>
#include <vector>

namespace sockscope::core {

struct PcapngStats
{
    int written = 0; // Enhanced Packet Blocks in the file
    int skipped = 0; // packet events without captured header bytes (hdr empty or not hex)
};

// One Section Header Block, one Interface Description Block (LINKTYPE_RAW, nanosecond timestamps) and one
// Enhanced Packet Block per packet event that carries its headers, stamped run.startNs + t_ns and commented
// "from -> to". Only headers were captured, so each EPB's captured length is the header bytes and its original
// length adds the payload. Written atomically; false with *error when the file cannot be written.
bool writePcapng(const std::string &path, const std::vector<Event> &events, std::string *error,
                 PcapngStats *stats = nullptr);
// The same bytes, for callers that write elsewhere (clipboard, a test).
std::string pcapngBytes(const std::vector<Event> &events, PcapngStats *stats = nullptr);

} // namespace sockscope::core
