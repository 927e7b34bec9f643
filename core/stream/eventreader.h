// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the one reader of an event stream, line by line, for every source (a run file, the lab's pipe, the
// window's Open): each line through fromJsonLine, then the rules that span lines (n increasing, t_ns never
// decreasing, nothing after the end event, unique syscall ids, a socket name owned by one actor, step indexes
// inside the scenario, and the count limits of core/stream/eventlimits.h).
// Thread-safety: one reader belongs to one stream and one thread.

#include "core/stream/eventjson.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace sockscope::core {

class EventStreamReader
{
public:
    // stepCount: the scenario's number of steps when it is known (the lab's stream), -1 otherwise.
    explicit EventStreamReader(int stepCount = -1) : m_stepCount(stepCount) {}

    // One line without its '\n' (a trailing '\r' is tolerated). The event, or an error with its column.
    JsonLineResult read(std::string_view line);

    bool ended() const { return m_ended; }
    std::int64_t lastN() const { return m_lastN; }
    std::int64_t eventCount() const { return m_count; }

private:
    std::string checkStream(const Event &e);
    std::string checkStep(const char *what, int step) const;
    std::string noteSocket(const std::string &sock, const std::string &actor);
    std::string noteActor(const std::string &actor);

    int m_stepCount = -1;
    bool m_ended = false;
    std::int64_t m_lastN = -1;
    std::int64_t m_lastT = 0;
    std::int64_t m_count = 0;
    std::unordered_set<std::int64_t> m_syscallIds;
    std::unordered_map<std::string, std::string> m_socketActor; // socket name -> actor that declared it ("" = none)
    std::unordered_set<std::string> m_actors;
};

// Splits text into lines and calls f(lineNumber, line, complete) for each; complete is false for a last line
// without '\n'. Stops early when f returns false. Linear in the text.
void forEachLine(std::string_view text, const std::function<bool(int, std::string_view, bool)> &f);

} // namespace sockscope::core
