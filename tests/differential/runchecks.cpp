// SPDX-License-Identifier: GPL-3.0-or-later
#include "runchecks.h"

#include "core/io/verdict.h"

#include <map>
#include <optional>
#include <set>

namespace sockscope::differential {

using namespace sockscope::core;

namespace {

struct Endpoints
{
    std::int64_t tNs = 0;
    std::string local, remote;
};

// "127.0.0.1:5000" against a socket's local address, where "0.0.0.0:5000" or "[::]:5000" match any address.
bool sameEndpoint(const std::string &sockAddr, const std::string &segAddr)
{
    if (sockAddr == segAddr)
        return true;
    auto port = [](const std::string &a) { return a.substr(a.rfind(':') + 1); };
    return (sockAddr.starts_with("0.0.0.0:") || sockAddr.starts_with("[::]:")) && port(sockAddr) == port(segAddr);
}

std::string at(const Event &e)
{
    return " (n=" + std::to_string(e.n) + ")";
}

} // namespace

bool legalTransition(TcpState from, TcpState to)
{
    using S = TcpState;
    static const std::set<std::pair<S, S>> kLegal = {
        {S::Closed, S::Listen},        {S::Closed, S::SynSent},        {S::Listen, S::SynSent},
        {S::Listen, S::SynReceived},   {S::Listen, S::Closed},         {S::SynSent, S::SynReceived},
        {S::SynSent, S::Established},  {S::SynSent, S::Closed},        {S::SynReceived, S::Established},
        {S::SynReceived, S::FinWait1}, {S::SynReceived, S::CloseWait}, {S::SynReceived, S::Listen},
        {S::SynReceived, S::Closed},   {S::Established, S::FinWait1},  {S::Established, S::CloseWait},
        {S::Established, S::Closed},   {S::FinWait1, S::FinWait2},     {S::FinWait1, S::Closing},
        {S::FinWait1, S::TimeWait},    {S::FinWait1, S::Closed},       {S::FinWait2, S::TimeWait},
        {S::FinWait2, S::Closed},      {S::CloseWait, S::LastAck},     {S::CloseWait, S::Closed},
        {S::Closing, S::TimeWait},     {S::Closing, S::Closed},        {S::LastAck, S::Closed},
        {S::TimeWait, S::Closed},
    };
    return kLegal.count({from, to}) > 0;
}

std::vector<std::string> checkRun(const std::vector<Event> &events)
{
    std::vector<std::string> out;
    const RunVerdict verdict = judgeRun(events);
    for (size_t i : verdict.contradictions) {
        const auto &s = *events[i].as<StateInfo>();
        out.push_back("contradiction: " + s.sock + " kernel " + std::string(stateName(s.to)) + ", model " +
                      std::string(stateName(s.derived)) + at(events[i]));
    }
    if (!verdict.error.empty())
        out.push_back("run failed: " + verdict.error);
    for (const auto &f : verdict.failures)
        out.push_back("check failed: " + f);

    std::map<std::string, std::vector<Endpoints>> addrs; // sock -> its addresses over time
    std::map<std::string, std::string> role;
    std::map<std::string, std::string> owner; // sock -> actor
    std::map<std::string, TcpState> state;    // last derived state
    struct Call
    {
        std::int64_t enter = 0, exit = -1;
        std::string call, sock, actor;
    };
    std::map<std::int64_t, Call> calls;
    for (const auto &e : events) {
        if (const auto *s = e.as<SyscallInfo>())
            calls[s->id] = {e.tNs, -1, s->call, s->sock, s->actor};
        else if (const auto *r = e.as<ReturnInfo>())
            calls[r->id].exit = e.tNs;
    }
    // The listener of each accepted socket: the one bound to its local address (a RST from a queued child
    // is caused by close() or shutdown() of the listener).
    auto listenerOf = [&](const std::string &sock) {
        auto it = addrs.find(sock);
        if (it == addrs.end() || it->second.empty())
            return std::string();
        for (const auto &[name, r] : role)
            if (r == "listen")
                for (const auto &ep : addrs[name])
                    if (!ep.local.empty() && sameEndpoint(ep.local, it->second.back().local))
                        return name;
        return std::string();
    };
    // The socket's addresses at t; a connect()'s SYN leaves before the call returns and names the peer, so an
    // unknown remote is taken from the next socket event that knows it.
    auto endpointsAt = [&](const std::string &sock, std::int64_t t) -> std::optional<Endpoints> {
        auto it = addrs.find(sock);
        if (it == addrs.end())
            return std::nullopt;
        std::optional<Endpoints> best;
        for (const auto &ep : it->second)
            if (!ep.local.empty() && (ep.tNs <= t || !best))
                best = ep;
        if (best && best->remote.empty())
            for (const auto &ep : it->second)
                if (ep.tNs >= best->tNs && !ep.remote.empty()) {
                    best->remote = ep.remote;
                    break;
                }
        return best;
    };

    // Addresses are learnt as the run goes; a segment may precede the socket event that names its tuple.
    for (const auto &e : events)
        if (const auto *s = e.as<SocketInfo>()) {
            addrs[s->sock].push_back({e.tNs, s->local, s->remote});
            role[s->sock] = s->role;
            owner[s->sock] = s->actor;
        }

    for (const auto &e : events) {
        if (const auto *s = e.as<StateInfo>(); s && s->source == StateSource::Derived) {
            if (!legalTransition(s->from, s->to))
                out.push_back("illegal transition: " + s->sock + " " + std::string(stateName(s->from)) + " -> " +
                              std::string(stateName(s->to)) + at(e));
            if (auto it = state.find(s->sock); it != state.end() && it->second != s->from)
                out.push_back("discontinuous states: " + s->sock + " was " + std::string(stateName(it->second)) +
                              ", next change starts at " + std::string(stateName(s->from)) + at(e));
            state[s->sock] = s->to;
        }
        const auto *p = e.as<PacketInfo>();
        if (!p)
            continue;
        const std::string seg = flagsText(p->flags) + " " + p->src + " > " + p->dst;
        if (!p->from.empty()) {
            if (const auto ep = endpointsAt(p->from, e.tNs)) {
                const bool listener = role[p->from] == "listen";
                if (!sameEndpoint(ep->local, p->src) || (!listener && ep->remote != p->dst))
                    out.push_back("misattributed segment: " + seg + " from " + p->from + " (" + ep->local + " <-> " +
                                  ep->remote + ")" + at(e));
            }
        }
        if (!p->to.empty()) {
            if (const auto ep = endpointsAt(p->to, e.tNs)) {
                const bool listener = role[p->to] == "listen";
                if (!sameEndpoint(ep->local, p->dst) || (!listener && !ep->remote.empty() && ep->remote != p->src))
                    out.push_back("misattributed segment: " + seg + " to " + p->to + " (" + ep->local + " <-> " +
                                  ep->remote + ")" + at(e));
            }
        }
        // FIN and RST: inside or after the call that caused them.
        const bool fin = hasFlag(p->flags, SegmentFlag::Fin), rst = hasFlag(p->flags, SegmentFlag::Rst);
        if ((!fin && !rst) || p->from.empty())
            continue;
        const std::string listener = listenerOf(p->from);
        bool caused = false;
        for (const auto &[id, c] : calls) {
            if (c.enter > e.tNs)
                continue;
            // The actor's exit() closes each of its descriptors as close() would (FIN, or RST with unread data).
            if (c.call == "exit" && c.actor == owner[p->from])
                caused = true;
            const bool mine = c.sock == p->from || (!listener.empty() && c.sock == listener);
            if (!mine)
                continue;
            if (fin && (c.call == "close" || c.call == "shutdown") && c.sock == p->from)
                caused = true;
            // A RST answers a call (close with unread data or SO_LINGER 0, shutdown, connect, a send to a dead
            // peer), or a segment that reaches a socket already closed or shut.
            if (rst && (c.call == "close" || c.call == "shutdown" || c.call == "connect" || c.call == "send" ||
                        c.call == "write" || c.call == "setsockopt" || c.call == "listen"))
                caused = true;
        }
        if (!caused)
            out.push_back(std::string(fin ? "FIN" : "RST") + " before any call that could cause it: " + seg + " from " +
                          p->from + at(e));
    }
    return out;
}

} // namespace sockscope::differential
