// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/outcome.h"

#include <map>

namespace sockscope::core {

std::string outcomeKey(const std::vector<Event> &events)
{
    std::map<std::int64_t, std::string> calls; // syscall id -> "actor call"
    std::map<std::int64_t, bool> givesFd;      // fd numbers differ between runs without meaning anything
    std::string key;
    auto add = [&key](const std::string &part) { key += (key.empty() ? "" : " | ") + part; };
    for (const auto &e : events) {
        if (const auto *s = e.as<SyscallInfo>()) {
            calls[s->id] = s->actor + " " + s->call;
            givesFd[s->id] = s->call == "socket" || s->call == "accept";
        } else if (const auto *r = e.as<ReturnInfo>()) {
            add(calls[r->id] + "=" +
                (r->ret < 0       ? "-1 " + r->err
                 : givesFd[r->id] ? std::string("fd")
                                  : std::to_string(r->ret)));
        } else if (const auto *p = e.as<PacketInfo>()) {
            add(flagsText(p->flags));
        } else if (const auto *sig = e.as<SignalInfo>()) {
            add(sig->signal);
        }
    }
    return key;
}

std::vector<OutcomeGroup> groupOutcomes(const std::vector<std::string> &keys)
{
    std::vector<OutcomeGroup> groups;
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < keys.size(); ++i) {
        auto [it, fresh] = index.emplace(keys[i], groups.size());
        if (fresh)
            groups.push_back({keys[i], {}});
        groups[it->second].runs.push_back(static_cast<int>(i));
    }
    return groups;
}

} // namespace sockscope::core
