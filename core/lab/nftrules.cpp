// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/nftrules.h"

#include "core/scenario/wirefaultsyntax.h"

#include <random>

namespace sockscope::core {

namespace {

constexpr std::string_view kTable = "netdev sockscope";
constexpr int kPatternLength = 1000; // a percentage repeats its seeded pattern every 1000 matching segments

std::string portClause(std::string_view field, const ActorPorts &ports)
{
    std::string list;
    for (auto p : ports.ports)
        list += (list.empty() ? "" : ", ") + std::to_string(p);
    return "tcp " + std::string(field) + (ports.complement ? " != { " : " { ") + list + " } ";
}

std::string directionClause(const Scenario &scenario, const std::string &from, const std::string &to)
{
    if (from.empty())
        return "meta l4proto tcp ";
    return portClause("sport", actorPorts(scenario, from)) + portClause("dport", actorPorts(scenario, to));
}

std::string flagNames(std::uint8_t flags)
{
    static constexpr std::pair<SegmentFlag, std::string_view> kNames[] = {
        {SegmentFlag::Fin, "fin"}, {SegmentFlag::Syn, "syn"}, {SegmentFlag::Rst, "rst"},
        {SegmentFlag::Psh, "psh"}, {SegmentFlag::Ack, "ack"}, {SegmentFlag::Urg, "urg"}};
    std::string text;
    for (const auto &[flag, name] : kNames)
        if (flags & static_cast<std::uint8_t>(flag))
            text += (text.empty() ? "" : "|") + std::string(name);
    return text;
}

std::string flagClause(const WireFault &fault)
{
    if (fault.flags == 0)
        return {};
    // "ACK" alone is a pure acknowledgment: every segment after the SYN carries ACK.
    const std::string mask = fault.onlyAck ? "fin|syn|rst|psh|ack|urg" : flagNames(fault.flags);
    return "tcp flags & (" + mask + ") == " + flagNames(fault.flags) + " ";
}

// Which of the matching segments: the Nth, or a seeded pattern of P in 100 (the same in every run, so a run
// can be repeated as far as the kernel sends the same segments in the same order).
std::string countClause(const WireFault &fault)
{
    if (fault.nth > 0)
        return "numgen inc mod 1000000 " + std::to_string(fault.nth - 1) + " ";
    if (fault.percent == 0 || fault.percent == 100)
        return {};
    std::mt19937 random(fault.seed);
    std::string list;
    for (int i = 0; i < kPatternLength; ++i)
        if (static_cast<int>(random() % 100) < fault.percent)
            list += (list.empty() ? "" : ", ") + std::to_string(i);
    if (list.empty())
        list = "0";
    return "numgen inc mod " + std::to_string(kPatternLength) + " { " + list + " } ";
}

std::string dropAction()
{
    return "log group " + std::to_string(kNflogGroup) + " drop\n";
}

} // namespace

std::string nftTableCommands()
{
    const std::string t(kTable);
    return "add table " + t + "\n" + "add chain " + t +
           " faults { type filter hook ingress device \"lo\" priority 0; policy accept; }\n" + "add chain " + t +
           " seen { type filter hook ingress device \"lo\" priority 10; policy accept; }\n";
}

std::string nftFaultCommands(const Scenario &scenario, const WireFault &fault, int index)
{
    const std::string t(kTable);
    switch (fault.kind) {
    case WireFault::Kind::Restore:
        return "flush chain " + t + " faults\n";
    case WireFault::Kind::Blackhole:
        return "add rule " + t + " faults meta l4proto tcp " + dropAction();
    case WireFault::Kind::Drop:
        break;
    }
    std::string commands;
    std::string finSeen;
    if (fault.afterFin) {
        // The FIN the other way ends at the sender of the ACK: remember its port once the FIN got through.
        const std::string set = "fin_seen_" + std::to_string(index);
        commands += "add set " + t + " " + set + " { type inet_service; flags dynamic; size 4096; }\n";
        commands += "add rule " + t + " seen " + directionClause(scenario, fault.to, fault.from) +
                    "tcp flags & fin == fin add @" + set + " { tcp dport }\n";
        finSeen = "tcp sport @" + set + " ";
    }
    commands += "add rule " + t + " faults " + directionClause(scenario, fault.from, fault.to) + flagClause(fault) +
                finSeen + countClause(fault) + dropAction();
    return commands;
}

} // namespace sockscope::core
