// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/io/textlog.h"

#include <algorithm>
#include <cstdio>
#include <regex>

namespace sockscope::core {

namespace {

std::string actorColumn(const std::string &actor, LogContext &ctx)
{
    ctx.actorWidth = std::max(ctx.actorWidth, static_cast<int>(actor.size()));
    std::string out = actor;
    out.resize(static_cast<std::size_t>(ctx.actorWidth), ' ');
    return out;
}

void append(std::string &out, const std::string &line)
{
    if (line.empty())
        return;
    if (!out.empty())
        out += '\n';
    out += line;
}

bool haveRunningCall(const LogContext &ctx)
{
    return !ctx.running.empty();
}

// Calls still running are shown as blocked at their enter time, then everything held back behind them.
std::string flushPending(LogContext &ctx, const char *marker)
{
    std::string out;
    for (std::int64_t id : ctx.running) {
        auto &call = ctx.pending.at(id);
        call.blocked = true;
        append(out,
               relativeTimeText(call.enterNs) + " " + actorColumn(call.actor, ctx) + "  " + call.text + " " + marker);
    }
    ctx.running.clear();
    for (const auto &line : ctx.deferred)
        append(out, line);
    ctx.deferred.clear();
    return out;
}

// Lines of packets, states, signals and checks: held back while a call is in flight.
std::string emitOrDefer(const std::string &line, LogContext &ctx)
{
    if (haveRunningCall(ctx)) {
        ctx.deferred.push_back(line);
        return {};
    }
    return line;
}

std::string onReturn(const Event &e, const ReturnInfo &r, LogContext &ctx)
{
    auto it = ctx.pending.find(r.id);
    std::string line;
    if (it == ctx.pending.end()) {
        line = relativeTimeText(e.tNs) + " " + actorColumn("?", ctx) + "  <... syscall " + std::to_string(r.id) +
               " resumed> " + resultText(r, ErrnoText::Show);
        return emitOrDefer(line, ctx);
    }
    const LogContext::PendingCall call = it->second;
    ctx.pending.erase(it);
    ctx.running.erase(r.id);
    if (call.blocked)
        line = relativeTimeText(e.tNs) + " " + actorColumn(call.actor, ctx) + "  <... " + call.call + " resumed> " +
               resultText(r, ErrnoText::Show);
    else
        line = relativeTimeText(call.enterNs) + " " + actorColumn(call.actor, ctx) + "  " + call.text + " " +
               resultText(r, ErrnoText::Show);
    if (call.call == "exit")
        line += "  (" + exitText(call.actor, call.text == "exit()" ? "exit" : call.text.substr(10), r) + ")";
    if (haveRunningCall(ctx))
        return line; // another call is still in flight: what was held back may belong to it
    std::string out = line;
    for (const auto &d : ctx.deferred)
        append(out, d);
    ctx.deferred.clear();
    return out;
}

std::string runHeader(const RunInfo &r)
{
    std::string out = "# scenario: " + (r.title.empty() ? r.scenario : r.title) + " (kernel " + r.kernel +
                      ", isolation " + r.isolation + ", capture " + (r.capture ? "on" : "off") + ")";
    if (!r.captureNote.empty())
        out += "\n# capture: " + r.captureNote;
    if (!r.sysctl.empty())
        out += "\n# sysctl (in the run's own namespace): " + sysctlText(r);
    return out;
}

// The end event's ok covers the expectations; a contradiction seen in the stream fails the run too.
std::string endLine(const EndInfo &end, int contradictions)
{
    char duration[48];
    std::snprintf(duration, sizeof duration, "%.6f s", static_cast<double>(end.durationNs) / 1e9);
    std::string verdict = end.ok && contradictions == 0 ? "ok" : "FAILED";
    if (contradictions)
        verdict += " (" + std::to_string(contradictions) + " contradiction" + (contradictions > 1 ? "s" : "") + ")";
    std::string out = "# end: " + verdict + ", " + std::to_string(end.packets) + " packets, " +
                      std::to_string(end.drops) + " drops, " + duration;
    if (!end.error.empty())
        out += "\n# error: " + end.error;
    return out;
}

std::string noteLines(const std::string &note)
{
    std::string out;
    std::size_t start = 0;
    while (start <= note.size()) {
        std::size_t end = note.find('\n', start);
        if (end == std::string::npos)
            end = note.size();
        append(out, "        # " + note.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

} // namespace

LogContext LogContext::forActors(const std::vector<std::string> &actors)
{
    LogContext ctx;
    for (const auto &a : actors)
        ctx.actorWidth = std::max(ctx.actorWidth, static_cast<int>(a.size()));
    return ctx;
}

std::string formatLogLine(const Event &e, LogContext &ctx)
{
    const std::string t = relativeTimeText(e.tNs);
    switch (e.kind()) {
    case EventKind::Run:
        return runHeader(*e.as<RunInfo>());
    case EventKind::Socket:
    case EventKind::Queue:
        return {};
    case EventKind::Step: {
        std::string out = flushPending(ctx, "<blocked>");
        if (const auto &note = e.as<StepInfo>()->note; !note.empty())
            append(out, noteLines(note));
        return out;
    }
    case EventKind::Syscall: {
        const auto &s = *e.as<SyscallInfo>();
        ctx.pending[s.id] = LogContext::PendingCall{e.tNs, s.actor, s.call, callText(s), false};
        ctx.running.insert(s.id);
        actorColumn(s.actor, ctx);
        return {};
    }
    case EventKind::Return:
        return onReturn(e, *e.as<ReturnInfo>(), ctx);
    case EventKind::Signal: {
        const auto &s = *e.as<SignalInfo>();
        std::string line = t + " " + actorColumn(s.actor, ctx) + "  --- " + s.signal + " ---";
        if (s.signal == "SIGPIPE")
            line += " (default action would terminate the process)";
        return emitOrDefer(line, ctx);
    }
    case EventKind::Packet:
        return emitOrDefer(t + "   " + packetText(*e.as<PacketInfo>()), ctx);
    case EventKind::State: {
        const auto &s = *e.as<StateInfo>();
        if (s.source == StateSource::Derived)
            return emitOrDefer(t + "   " + s.sock + "  " + std::string(stateName(s.from)) + " -> " +
                                   std::string(stateName(s.to)),
                               ctx);
        if (!s.conflict)
            return {};
        ++ctx.contradictions;
        return emitOrDefer(t + "   " + s.sock + "  kernel says " + std::string(stateName(s.to)) + ", derived " +
                               std::string(stateName(s.derived)) + "  (CONTRADICTION)",
                           ctx);
    }
    case EventKind::Timer: {
        const auto &timer = *e.as<TimerInfo>();
        return emitOrDefer(t + "   " + timer.sock + "  " + timerText(timer), ctx);
    }
    case EventKind::Check: {
        const auto &c = *e.as<CheckInfo>();
        if (c.ok)
            return {};
        return emitOrDefer(
            t + "  CHECK FAILED step " + std::to_string(c.step) + ": expected " + c.expected + ", got " + c.got, ctx);
    }
    case EventKind::End: {
        std::string out = finishLog(ctx);
        append(out, endLine(*e.as<EndInfo>(), ctx.contradictions));
        return out;
    }
    }
    return {};
}

std::string finishLog(LogContext &ctx)
{
    std::string out = flushPending(ctx, "<unfinished ...>");
    ctx.pending.clear();
    ctx.running.clear();
    return out;
}

std::string formatLog(const std::vector<Event> &events)
{
    LogContext ctx;
    // The column is sized up front so that the first lines line up with the rest.
    for (const auto &e : events) {
        if (const auto *s = e.as<SyscallInfo>())
            ctx.actorWidth = std::max(ctx.actorWidth, static_cast<int>(s->actor.size()));
        else if (const auto *g = e.as<SignalInfo>())
            ctx.actorWidth = std::max(ctx.actorWidth, static_cast<int>(g->actor.size()));
    }
    std::string out;
    for (const auto &e : events)
        if (std::string lines = formatLogLine(e, ctx); !lines.empty())
            out += lines + '\n';
    if (std::string rest = finishLog(ctx); !rest.empty())
        out += rest + '\n';
    return out;
}

std::string normalizeLog(std::string log)
{
    static const std::regex kTime(R"(\+\d+\.\d{6}\b)");
    static const std::regex kKernel(R"(\(kernel [^,)]*)");
    static const std::regex kDuration(R"(\d+\.\d{6} s\b)");
    log = std::regex_replace(log, kTime, "+T");
    log = std::regex_replace(log, kKernel, "(kernel K");
    log = std::regex_replace(log, kDuration, "D s");
    // Linux picks ephemeral ports from 32768-60999 by default; scenario ports (5000, 8080) stay visible.
    static const std::regex kPort(R"(([0-9\]]):(\d{5})\b)");
    std::string out;
    auto last = log.cbegin();
    for (std::sregex_iterator it(log.begin(), log.end(), kPort), end; it != end; ++it) {
        const auto &m = *it;
        out.append(last, m[0].first);
        const long port = std::stol(m[2].str());
        out += m[1].str() + ":" + (port >= 32768 && port <= 65535 ? "EPORT" : m[2].str());
        last = m[0].second;
    }
    out.append(last, log.cend());
    return out;
}

} // namespace sockscope::core
