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
    int notes = 0;   // event frames (calls, results, signals, state changes, failed checks)
};

// One Section Header Block and two interfaces, both with nanosecond timestamps: "lo" (LINKTYPE_RAW) with one
// Enhanced Packet Block per packet event that carries its headers, stamped run.startNs + t_ns and commented
// "from -> to", its bytes the headers and the payload's captured first bytes (its original length the whole
// segment); and "sockscope events" (LINKTYPE_WIRESHARK_UPPER_PDU, shown by Wireshark's syslog dissector) with
// one EPB per captureNotes() line, the text both as the frame's bytes and as its comment (frame.comment).
// Written atomically; false with *error when the file cannot be written.
bool writePcapng(const std::string &path, const std::vector<Event> &events, std::string *error,
                 PcapngStats *stats = nullptr);
// The same bytes, for callers that write elsewhere (clipboard, a test).
std::string pcapngBytes(const std::vector<Event> &events, PcapngStats *stats = nullptr);

} // namespace sockscope::core
