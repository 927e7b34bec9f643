// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/io/capturenotes.h"

#include "core/stream/eventtext.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace sockscope::core {

namespace {

// Ids of the calls that blocked: the scheduler started another step (a step event) before they returned.
std::set<std::int64_t> blockedCalls(const std::vector<Event> &events)
{
    std::set<std::int64_t> open, blocked;
    for (const auto &e : events) {
        if (const auto *s = e.as<SyscallInfo>())
            open.insert(s->id);
        else if (const auto *r = e.as<ReturnInfo>())
            open.erase(r->id);
        else if (e.kind() == EventKind::Step)
            blocked.insert(open.begin(), open.end()), open.clear();
    }
    return blocked;
}

std::string stateNote(const StateInfo &s)
{
    if (s.source == StateSource::Derived)
        return s.sock + ": " + std::string(stateName(s.from)) + " -> " + std::string(stateName(s.to));
    return s.sock + ": kernel says " + std::string(stateName(s.to)) + ", derived " + std::string(stateName(s.derived)) +
           " (CONTRADICTION)";
}

} // namespace

std::vector<CaptureNote> captureNotes(const std::vector<Event> &events)
{
    const std::set<std::int64_t> split = blockedCalls(events);
    struct Entered
    {
        std::int64_t tNs;
        std::size_t at;
        std::string actor, call, text;
    };
    std::map<std::int64_t, Entered> entered;
    std::vector<CaptureNote> notes;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const Event &e = events[i];
        const auto here = [&](std::string text) { notes.push_back({e.tNs, i, std::move(text)}); };
        if (const auto *s = e.as<SyscallInfo>()) {
            Entered call{e.tNs, i, s->actor, s->call, callText(*s)};
            if (split.count(s->id))
                here(call.actor + ": " + call.text + " <unfinished ...>");
            entered[s->id] = std::move(call);
        } else if (const auto *r = e.as<ReturnInfo>()) {
            auto it = entered.find(r->id);
            if (it == entered.end())
                continue;
            const Entered &call = it->second;
            const std::string result = resultText(*r, ErrnoText::Show);
            if (split.count(r->id))
                here(call.actor + ": <... " + call.call + " resumed> " + result);
            else
                notes.push_back({call.tNs, call.at, call.actor + ": " + call.text + " " + result});
            entered.erase(it);
        } else if (const auto *sig = e.as<SignalInfo>()) {
            here(sig->actor + ": --- " + sig->signal + " ---");
        } else if (const auto *st = e.as<StateInfo>()) {
            if (st->source == StateSource::Derived || st->conflict)
                here(stateNote(*st));
        } else if (const auto *c = e.as<CheckInfo>(); c && !c->ok) {
            here("CHECK FAILED step " + std::to_string(c->step) + ": expected " + c->expected + ", got " + c->got);
        }
    }
    // Calls that never returned (the run was cut short) still show.
    for (const auto &[id, call] : entered)
        notes.push_back({call.tNs, call.at, call.actor + ": " + call.text + " <unfinished ...>"});
    // A call's note is stamped at its entry but made at its return, after what happened in between (a signal).
    std::stable_sort(notes.begin(), notes.end(),
                     [](const auto &a, const auto &b) { return std::tie(a.tNs, a.at) < std::tie(b.tNs, b.at); });
    return notes;
}

} // namespace sockscope::core
