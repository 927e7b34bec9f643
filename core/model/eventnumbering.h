// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: numbers the events of a run: the events built from one batch are put in time order, given the next
// `n`s, their `cause` indexes turned into those `n`s, and their times kept from going back across batches.
// Thread-safety: a plain value, used by the event builder's thread only.

#include "core/stream/event.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace sockscope::core {

class EventNumbering
{
public:
    using Sink = std::function<void(Event &&)>;
    // startNs: the absolute time of t_ns == 0.
    EventNumbering(std::int64_t startNs, Sink sink) : m_startNs(startNs), m_sink(std::move(sink)) {}

    // Adds an event of the current batch; returns its local index, the value a StateInfo::cause that
    // refers to it holds until flush().
    size_t add(std::int64_t absNs, EventPayload payload);
    // Sends the batch in time order (ties keep the order of add()).
    void flush();
    // Sends one event at once, outside any batch (the run's first and last event).
    void sendNow(std::int64_t relNs, EventPayload payload);

    std::int64_t startNs() const { return m_startNs; }
    std::int64_t lastRelNs() const { return m_lastRelNs; } // the latest time sent so far

private:
    std::int64_t m_startNs;
    Sink m_sink;
    std::int64_t m_nextN = 0;
    std::int64_t m_lastRelNs = 0;
    std::vector<Event> m_out; // the current batch, n = local index until flush()
};

} // namespace sockscope::core
