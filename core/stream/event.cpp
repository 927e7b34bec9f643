// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/stream/event.h"

#include <array>

namespace sockscope::core {

namespace {
constexpr std::array<std::string_view, 12> kKindNames = {"run",    "socket", "step",  "syscall", "return", "signal",
                                                         "packet", "state",  "queue", "timer",   "check",  "end"};
constexpr std::array<std::string_view, kTimerKindCount> kTimerNames = {"off", "retransmit", "keepalive", "timewait",
                                                                       "persist"};
constexpr std::array<std::string_view, kTimerChangeCount> kTimerChangeNames = {"armed", "stopped", "restarted",
                                                                               "backoff"};
constexpr std::array<std::string_view, kTcpStateCount> kStateNames = {
    "CLOSED",     "LISTEN",     "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1",
    "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING",  "LAST_ACK",     "TIME_WAIT"};
struct FlagName
{
    SegmentFlag flag;
    std::string_view name;
};
constexpr std::array<FlagName, 6> kFlagOrder = {{{SegmentFlag::Syn, "SYN"},
                                                 {SegmentFlag::Fin, "FIN"},
                                                 {SegmentFlag::Rst, "RST"},
                                                 {SegmentFlag::Psh, "PSH"},
                                                 {SegmentFlag::Ack, "ACK"},
                                                 {SegmentFlag::Urg, "URG"}}};
// The enum value whose name (by index in names) is name.
template <typename Enum, std::size_t N>
std::optional<Enum> fromName(const std::array<std::string_view, N> &names, std::string_view name)
{
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == name)
            return static_cast<Enum>(i);
    return std::nullopt;
}
} // namespace

std::string callArg(const SyscallInfo &call, std::string_view key)
{
    for (const auto &a : call.args)
        if (a.key == key)
            return a.value;
    return {};
}

std::string_view kindName(EventKind kind)
{
    return kKindNames[static_cast<size_t>(kind)];
}

std::optional<EventKind> kindFromName(std::string_view name)
{
    return fromName<EventKind>(kKindNames, name);
}

std::string_view stateName(TcpState state)
{
    return kStateNames[static_cast<size_t>(state)];
}

std::optional<TcpState> stateFromName(std::string_view name)
{
    return fromName<TcpState>(kStateNames, name);
}

std::string_view timerName(TimerKind kind)
{
    return kTimerNames[static_cast<size_t>(kind)];
}

std::optional<TimerKind> timerFromName(std::string_view name)
{
    return fromName<TimerKind>(kTimerNames, name);
}

std::string_view timerChangeName(TimerChange change)
{
    return kTimerChangeNames[static_cast<size_t>(change)];
}

std::optional<TimerChange> timerChangeFromName(std::string_view name)
{
    return fromName<TimerChange>(kTimerChangeNames, name);
}

std::vector<std::string> flagNames(std::uint8_t flags)
{
    std::vector<std::string> out;
    for (const auto &f : kFlagOrder)
        if (hasFlag(flags, f.flag))
            out.emplace_back(f.name);
    return out;
}

std::string flagsText(std::uint8_t flags)
{
    std::string out;
    for (const auto &name : flagNames(flags)) {
        if (!out.empty())
            out += ' ';
        out += name;
    }
    return out;
}

std::optional<std::uint8_t> flagFromName(std::string_view name)
{
    for (const auto &f : kFlagOrder)
        if (f.name == name)
            return static_cast<std::uint8_t>(f.flag);
    return std::nullopt;
}

} // namespace sockscope::core
