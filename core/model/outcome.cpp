// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/outcome.h"

#include <algorithm>
#include <map>
#include <set>

namespace sockscope::core {

namespace {
// fd numbers differ between runs without meaning anything: these calls' results are shown as "fd".
bool returnsFd(const std::string &call)
{
    return call == "socket" || call == "accept" || call == "accept4" || call == "dup" || call == "epoll_create";
}
} // namespace

std::string outcomeKey(const std::vector<Event> &events)
{
    std::map<std::int64_t, std::string> calls; // syscall id -> "actor call"
    std::map<std::int64_t, bool> givesFd;      // fd numbers differ between runs without meaning anything
    std::string key;
    auto add = [&key](const std::string &part) { key += (key.empty() ? "" : " | ") + part; };
    for (const auto &e : events) {
        if (const auto *s = e.as<SyscallInfo>()) {
            calls[s->id] = s->actor + " " + s->call;
            givesFd[s->id] = returnsFd(s->call);
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

namespace {

// "client" for "client.1": the actor a socket belongs to.
std::string actorOf(const std::string &sock)
{
    return sock.substr(0, sock.find('.'));
}

// The parts joined by sep: "a, b, c".
std::string joined(const std::vector<std::string> &parts, const std::string &sep)
{
    std::string out;
    for (const auto &p : parts)
        out += (out.empty() ? "" : sep) + p;
    return out;
}

// "both sides" when every connected socket is in `socks`, else "the client", "the client and the server".
std::string sides(const std::set<std::string> &socks, const std::set<std::string> &connected)
{
    if (socks.size() >= 2 && socks == connected)
        return "both sides";
    std::string out;
    for (const auto &s : socks)
        out += (out.empty() ? "the " : " and the ") + actorOf(s);
    return out;
}

} // namespace

TcpBehaviour tcpBehaviour(const std::vector<Event> &events)
{
    std::map<std::string, std::vector<TcpState>> paths;         // socket -> derived states in order
    std::map<std::pair<int, std::string>, std::string> results; // (step, actor) -> "call=result"
    std::map<std::int64_t, std::pair<int, std::string>> calls;
    std::map<std::int64_t, std::string> callNames;
    std::set<std::string> resetBy;
    for (const auto &e : events) {
        if (const auto *st = e.as<StateInfo>(); st && st->source == StateSource::Derived) {
            auto &path = paths[st->sock];
            if (path.empty())
                path.push_back(st->from);
            if (path.back() != st->to)
                path.push_back(st->to);
        } else if (const auto *c = e.as<SyscallInfo>()) {
            calls[c->id] = {c->step, c->actor};
            callNames[c->id] = c->call;
        } else if (const auto *r = e.as<ReturnInfo>(); r && calls.contains(r->id)) {
            const bool fd = returnsFd(callNames[r->id]);
            results[calls[r->id]] = callNames[r->id] + "=" +
                                    (r->ret < 0 ? "-1 " + r->err
                                     : fd       ? std::string("fd")
                                                : std::to_string(r->ret));
        } else if (const auto *p = e.as<PacketInfo>(); p && hasFlag(p->flags, SegmentFlag::Rst)) {
            resetBy.insert(p->from.empty() ? std::string("the kernel (no socket)") : actorOf(p->from));
        }
    }
    TcpBehaviour b;
    auto add = [&b](const std::string &part) { b.key += (b.key.empty() ? "" : " | ") + part; };
    std::map<TcpState, std::set<std::string>> entered; // state -> the sockets whose path went through it
    std::set<std::string> synCrossed;
    for (const auto &[sock, path] : paths) {
        std::string text = sock + " ";
        for (size_t i = 0; i < path.size(); ++i)
            text += (i ? ">" : "") + std::string(stateName(path[i]));
        add(text);
        for (TcpState s : path)
            entered[s].insert(sock);
        if (entered[TcpState::SynSent].contains(sock) && entered[TcpState::SynReceived].contains(sock))
            synCrossed.insert(sock);
    }
    const std::set<std::string> &connected = entered[TcpState::Established], &closing = entered[TcpState::Closing],
                                &timeWait = entered[TcpState::TimeWait], &lastAck = entered[TcpState::LastAck],
                                &finWait1 = entered[TcpState::FinWait1], &finWait2 = entered[TcpState::FinWait2];
    std::vector<std::string> failed;
    for (const auto &[at, result] : results) {
        add("step " + std::to_string(at.first + 1) + " " + at.second + " " + result);
        if (result.find("=-1 ") != std::string::npos)
            failed.push_back(at.second + " " + result);
    }
    std::vector<std::string> words;
    if (!synCrossed.empty())
        words.push_back("SYNs crossed: SYN_RECEIVED on " + sides(synCrossed, connected));
    if (!closing.empty())
        words.push_back(
            "FINs crossed: CLOSING on " + sides(closing, connected) +
            (timeWait.empty() ? std::string(", no TIME_WAIT") : ", TIME_WAIT on " + sides(timeWait, connected)));
    else if (!lastAck.empty() && !timeWait.empty())
        words.push_back("ordinary close: " + sides(timeWait, connected) + " closed first (" +
                        (std::includes(finWait2.begin(), finWait2.end(), timeWait.begin(), timeWait.end())
                             ? "FIN_WAIT_2, TIME_WAIT"
                             : "no FIN_WAIT_2: the peer's ACK came with its FIN; TIME_WAIT") +
                        "), " + sides(lastAck, connected) + " followed (LAST_ACK)");
    else if (!finWait1.empty() && resetBy.empty())
        words.push_back("closed by " + sides(finWait1, connected));
    if (!resetBy.empty())
        words.push_back("reset: RST from " + joined({resetBy.begin(), resetBy.end()}, " and "));
    if (!failed.empty())
        words.push_back("failed calls: " + joined(failed, ", "));
    if (words.empty())
        words.push_back(connected.empty() ? "no connection" : "connection left open");
    b.label = joined(words, "; ");
    return b;
}

std::vector<OutcomeGroup> groupBehaviours(const std::vector<TcpBehaviour> &runs)
{
    std::vector<std::string> keys;
    for (const auto &r : runs)
        keys.push_back(r.key);
    std::vector<OutcomeGroup> groups = groupOutcomes(keys);
    for (auto &g : groups)
        g.label = runs[static_cast<size_t>(g.runs.front())].label;
    return groups;
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
