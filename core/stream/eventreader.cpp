// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/stream/eventreader.h"

#include "core/stream/eventlimits.h"

namespace sockscope::core {

JsonLineResult EventStreamReader::read(std::string_view line)
{
    if (!line.empty() && line.back() == '\r') // files that went through a Windows editor
        line.remove_suffix(1);
    JsonLineResult r = fromJsonLine(line);
    if (!r.event)
        return r;
    if (std::string why = checkStream(*r.event); !why.empty()) {
        r.event.reset();
        r.error = std::move(why);
        r.column = 1;
        return r;
    }
    m_lastN = r.event->n;
    m_lastT = r.event->tNs;
    m_ended = r.event->kind() == EventKind::End;
    ++m_count;
    return r;
}

std::string EventStreamReader::checkStream(const Event &e)
{
    if (m_ended)
        return "event n=" + std::to_string(e.n) + " after the end event";
    if (m_count >= kMaxEvents)
        return "too many events (at most " + std::to_string(kMaxEvents) + ")";
    if (e.n <= m_lastN)
        return "events out of order: n=" + std::to_string(e.n) + " after n=" + std::to_string(m_lastN);
    if (e.tNs < m_lastT)
        return "time goes backwards: t_ns=" + std::to_string(e.tNs) + " after t_ns=" + std::to_string(m_lastT);
    switch (e.kind()) {
    case EventKind::Run:
        if (const auto *r = e.as<RunInfo>(); r->version > kEventStreamVersion)
            return "unsupported event stream version " + std::to_string(r->version) +
                   " (this sockscope reads version " + std::to_string(kEventStreamVersion) + ")";
        return {};
    case EventKind::Socket: {
        const auto &s = *e.as<SocketInfo>();
        if (std::string why = noteActor(s.actor); !why.empty())
            return why;
        return noteSocket(s.sock, s.actor);
    }
    case EventKind::Step: {
        const auto &s = *e.as<StepInfo>();
        if (std::string why = noteActor(s.actor); !why.empty())
            return why;
        return checkStep("step", s.step);
    }
    case EventKind::Syscall: {
        const auto &s = *e.as<SyscallInfo>();
        if (!m_syscallIds.insert(s.id).second)
            return "syscall id " + std::to_string(s.id) + " used twice";
        if (std::string why = noteActor(s.actor); !why.empty())
            return why;
        if (std::string why = noteSocket(s.sock, {}); !why.empty())
            return why;
        return s.step < 0 ? std::string() : checkStep("syscall", s.step);
    }
    case EventKind::Signal:
        return noteActor(e.as<SignalInfo>()->actor);
    case EventKind::Packet: {
        const auto &p = *e.as<PacketInfo>();
        if (std::string why = noteSocket(p.from, {}); !why.empty())
            return why;
        return noteSocket(p.to, {});
    }
    case EventKind::State:
        return noteSocket(e.as<StateInfo>()->sock, {});
    case EventKind::Queue:
        return noteSocket(e.as<QueueInfo>()->sock, {});
    case EventKind::Timer:
        return noteSocket(e.as<TimerInfo>()->sock, {});
    case EventKind::Check:
        return checkStep("check", e.as<CheckInfo>()->step);
    case EventKind::Return:
    case EventKind::End:
        return {};
    }
    return {};
}

std::string EventStreamReader::checkStep(const char *what, int step) const
{
    if (m_stepCount >= 0 && step >= m_stepCount)
        return std::string(what) + " event for step " + std::to_string(step) + ", but the scenario has " +
               std::to_string(m_stepCount) + " steps";
    return {};
}

// A socket event names the socket's actor; two actors claiming one name would merge two sockets into one row.
std::string EventStreamReader::noteSocket(const std::string &sock, const std::string &actor)
{
    if (sock.empty())
        return {};
    auto it = m_socketActor.find(sock);
    if (it == m_socketActor.end()) {
        if (m_socketActor.size() >= kMaxSockets)
            return "too many sockets (at most " + std::to_string(kMaxSockets) + ")";
        m_socketActor.emplace(sock, actor);
        return {};
    }
    if (actor.empty())
        return {};
    if (it->second.empty())
        it->second = actor;
    else if (it->second != actor)
        return "socket \"" + sock + "\" belongs to actor \"" + it->second + "\" and cannot be declared by \"" + actor +
               "\"";
    return {};
}

std::string EventStreamReader::noteActor(const std::string &actor)
{
    if (actor.empty() || m_actors.count(actor))
        return {};
    if (m_actors.size() >= kMaxActors)
        return "too many actors (at most " + std::to_string(kMaxActors) + ")";
    m_actors.insert(actor);
    return {};
}

void forEachLine(std::string_view text, const std::function<bool(int, std::string_view, bool)> &f)
{
    int lineNo = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t eol = text.find('\n', pos);
        const bool complete = eol != std::string_view::npos;
        const std::string_view line = text.substr(pos, (complete ? eol : text.size()) - pos);
        pos = complete ? eol + 1 : text.size();
        if (!f(++lineNo, line, complete))
            return;
    }
}

} // namespace sockscope::core
