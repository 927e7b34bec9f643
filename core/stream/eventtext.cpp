// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/stream/eventtext.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <regex>
#include <string_view>
#include <vector>

namespace sockscope::core {

namespace {

// strace shows this much of a string argument; payloads are for reading, not for dumping.
constexpr std::size_t kMaxStringArg = 32;

std::string escaped(std::string_view s)
{
    std::string out;
    for (unsigned char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\x%02x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out;
}

// Symbolic constants (SHUT_WR, POLLIN|POLLOUT), families (v4) and addresses read better bare, as strace and the
// scenario files write them; everything else is user text and gets quotes so spaces and digits stay unambiguous.
bool isBare(const std::string &v)
{
    static const std::regex kBare(R"(^([A-Z][A-Z0-9_]*(\|[A-Z][A-Z0-9_]*)*|v4|v6|)"
                                  R"((\d+\.\d+\.\d+\.\d+|\[[0-9a-fA-F:.]+\]):\d+)$)");
    return std::regex_match(v, kBare);
}

std::string argText(const SyscallArg &a)
{
    if (a.isNumber || isBare(a.value))
        return a.value;
    if (a.value.size() > kMaxStringArg)
        return "\"" + escaped(std::string_view(a.value).substr(0, kMaxStringArg)) + "\"...";
    return "\"" + escaped(a.value) + "\"";
}

} // namespace

std::string relativeTimeText(std::int64_t tNs)
{
    const std::int64_t us = std::max<std::int64_t>(tNs, 0) / 1000;
    char buf[32];
    std::snprintf(buf, sizeof buf, "+%" PRId64 ".%06" PRId64, us / 1000000, us % 1000000);
    return buf;
}

std::string segmentText(const PacketInfo &p)
{
    std::string out = flagsText(p.flags) + " seq=" + std::to_string(p.seq);
    if (hasFlag(p.flags, SegmentFlag::Ack))
        out += " ack=" + std::to_string(p.ack);
    if (p.len > 0)
        out += " len=" + std::to_string(p.len);
    if (p.retx > 0) {
        char buf[48];
        std::snprintf(buf, sizeof buf, " retx#%d +%.1f ms", p.retx, static_cast<double>(p.retxNs) / 1e6);
        out += buf;
    }
    if (p.dropped)
        out += " (dropped)";
    return out;
}

std::string packetText(const PacketInfo &p)
{
    return (p.from.empty() ? p.src : p.from) + " -> " + (p.to.empty() ? p.dst : p.to) + "  " + segmentText(p);
}

std::string exitText(const std::string &actor, const std::string &reason, const ReturnInfo &result)
{
    std::vector<std::string> fds;
    std::string data = result.data.value_or("");
    for (std::size_t i = 0; i < data.size();) {
        std::size_t end = data.find(' ', i);
        end = end == std::string::npos ? data.size() : end;
        if (end > i)
            fds.push_back(data.substr(i, end - i));
        i = end + 1;
    }
    std::string out = actor + (reason == "exit" ? " exited" : " was killed by " + reason) + ": the kernel closed ";
    if (fds.empty())
        return out + "no descriptor (it had none open)";
    out += fds.size() == 1 ? "fd " : "fds ";
    for (std::size_t i = 0; i < fds.size(); ++i)
        out += (i == 0 ? "" : i + 1 == fds.size() ? " and " : ", ") + fds[i];
    return out;
}

std::string callText(const SyscallInfo &s)
{
    // A process's end and a signal sent are no single system call: they read as the scenario writes them.
    auto arg = [&](std::string_view key) { return callArg(s, key); };
    if (s.call == "exit")
        return arg("reason") == "exit" ? "exit()" : "killed by " + arg("reason");
    if (s.call == "kill")
        return "kill(" + arg("actor") + ")";
    if (s.call == "signal")
        return "signal(" + arg("actor") + ", " + arg("signal") + (arg("flags").empty() ? "" : ", " + arg("flags")) +
               ")";
    std::string out = s.call + "(";
    bool first = true;
    auto add = [&](const std::string &t) {
        if (!first)
            out += ", ";
        out += t;
        first = false;
    };
    // The fd is a field of its own in the event; the call reads wrong without it unless args repeat it.
    const bool argsHaveFd =
        std::any_of(s.args.begin(), s.args.end(), [](const SyscallArg &a) { return a.key == "fd"; });
    if (s.fd >= 0 && !argsHaveFd)
        add(std::to_string(s.fd));
    for (const auto &a : s.args)
        add(argText(a));
    return out + ")";
}

std::string resultText(const ReturnInfo &r, ErrnoText withText)
{
    std::string out = "= " + std::to_string(r.ret);
    if (!r.err.empty()) {
        out += " " + r.err;
        if (std::string text = withText == ErrnoText::Show ? errnoText(r.err) : std::string(); !text.empty())
            out += " (" + text + ")";
    }
    if (r.data && !r.data->empty()) {
        if (r.data->front() == '[')
            out += " " + escaped(*r.data);
        else
            out += " [" + escaped(*r.data) + "]";
    }
    return out;
}

std::string timerDurationText(std::int64_t ms)
{
    if (ms < 10000)
        return std::to_string(ms) + " ms";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms) / 1000.0);
    return buf;
}

std::string timerText(const TimerInfo &t)
{
    const std::string name = std::string(timerName(t.timer)) + " timer ";
    // The count is retransmissions for the retransmit timer, probes for the others.
    const std::string counted = t.timer == TimerKind::Retransmit ? "retransmission " : "probe ";
    switch (t.change) {
    case TimerChange::Stopped:
        return "timer stopped";
    case TimerChange::Backoff:
        return name + "backoff: " + counted + std::to_string(t.retrans) + ", next in " + timerDurationText(t.expiresMs);
    case TimerChange::Restarted:
        return name + "restarted: " + timerDurationText(t.expiresMs) + " left (+" + timerDurationText(t.movedMs) + ")";
    case TimerChange::Armed:
        break;
    }
    std::string out = name + "armed: " + timerDurationText(t.expiresMs) + " left";
    if (t.retrans > 0)
        out += " (" + counted + std::to_string(t.retrans) + ")";
    return out;
}

std::string timerMarkText(const TimerInfo &t)
{
    if (t.change == TimerChange::Restarted)
        return "restart " + timerDurationText(t.expiresMs);
    if (t.change == TimerChange::Backoff)
        return std::string(t.timer == TimerKind::Retransmit ? "retx " : "probe ") + std::to_string(t.retrans) +
               ", next " + timerDurationText(t.expiresMs);
    return timerText(t);
}

std::string sysctlText(const RunInfo &run)
{
    std::string out;
    for (const auto &[name, value] : run.sysctl)
        out += (out.empty() ? "" : " ") + name + "=" + std::to_string(value);
    return out;
}

} // namespace sockscope::core
