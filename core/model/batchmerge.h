// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: merges one raw batch (steps, call entries and exits, segments, fd snapshots, sock_diag dumps) into
// a single time order, the order in which the event builder reads it.
// Thread-safety: pure function.

#include "core/model/rawrecords.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sockscope::core {

struct BatchItem
{
    // Declaration order breaks ties in time: a step mark precedes its call, a call's entry its segments,
    // the segments the call's return, and snapshots come last.
    enum class Kind
    {
        Step,
        Enter,
        Packet,
        Exit,
        Fd,
        Diag
    };
    Kind kind = Kind::Step;
    // Absolute. A sock_diag dump is placed at its end: it lists the sockets that exist by then, so a new
    // connection that appeared while the dump ran (a SYN on a TIME_WAIT 4-tuple) is known when it is read.
    std::int64_t tNs = 0;
    size_t index = 0; // into the batch's list of that kind
};

std::vector<BatchItem> mergeBatch(const RawBatch &batch, const std::vector<RawPacket> &packets);

} // namespace sockscope::core
