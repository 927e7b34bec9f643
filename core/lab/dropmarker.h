// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: marks the captured segments that a fault rule then dropped, by matching their IP + TCP header bytes
// (IP id, checksum, sequence numbers and timestamps make each transmission unique) with what NFLOG reported.
// Thread-safety: one thread (the lab's scheduler).

#include "core/lab/nflogreader.h"
#include "core/model/rawrecords.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace sockscope::core {

class DropMarker
{
public:
    explicit DropMarker(std::unique_ptr<NflogReader> reader) : m_reader(std::move(reader)) {}
    // Marks packets[i].dropped; a report that matches none of them waits for a later batch.
    void mark(std::vector<RawPacket> &packets);

private:
    std::unique_ptr<NflogReader> m_reader;
    std::vector<std::vector<std::uint8_t>> m_reported; // dropped, not yet matched with a captured segment
};

} // namespace sockscope::core
