// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scenario/kernelsettings.h"

#include <algorithm>
#include <array>

namespace sockscope::core {

namespace {

// Ranges a lesson needs, inside what the kernel accepts (tcp_syn_retries: 1..127; tcp_tw_reuse: 0..2;
// tcp_abort_on_overflow: 0..1; tcp_syncookies: 0..2).
constexpr std::array<SysctlSpec, 13> kWhitelist{{
    {"net.ipv4.tcp_fin_timeout", 1, 600, "s"},
    {"net.ipv4.tcp_syn_retries", 1, 10, ""},
    {"net.ipv4.tcp_synack_retries", 1, 10, ""},
    {"net.ipv4.tcp_retries2", 1, 15, ""},
    {"net.ipv4.tcp_keepalive_time", 1, 7200, "s"},
    {"net.ipv4.tcp_keepalive_intvl", 1, 600, "s"},
    {"net.ipv4.tcp_keepalive_probes", 1, 20, ""},
    {"net.ipv4.tcp_tw_reuse", 0, 2, ""},
    {"net.ipv4.tcp_orphan_retries", 0, 15, ""},
    {"net.ipv4.tcp_abort_on_overflow", 0, 1, ""},
    {"net.ipv4.tcp_syncookies", 0, 2, ""},
    {"net.ipv4.tcp_max_syn_backlog", 1, 65535, ""},
    {"net.core.somaxconn", 1, 65535, ""},
}};

bool sysctlNameChar(char c)
{
    return scn::isIdentChar(c) || c == '.';
}

} // namespace

std::span<const SysctlSpec> sysctlWhitelist()
{
    return kWhitelist;
}

const SysctlSpec *findSysctl(std::string_view name)
{
    for (const auto &s : kWhitelist)
        if (s.name == name)
            return &s;
    return nullptr;
}

std::string sysctlPath(std::string_view name)
{
    std::string path = "/proc/sys/" + std::string(name);
    std::replace(path.begin() + 10, path.end(), '.', '/');
    return path;
}

namespace scn {

std::size_t parseSysctl(LineCursor &cursor, std::vector<KernelSetting> &settings)
{
    cursor.skipSpace();
    const std::size_t start = cursor.pos();
    std::size_t end = start;
    const std::string_view line = cursor.line();
    while (end < line.size() && sysctlNameChar(line[end]))
        ++end;
    const std::string_view name = line.substr(start, end - start);
    if (name.empty())
        cursor.failExpected("a kernel setting NAME=VALUE (e.g. net.ipv4.tcp_fin_timeout=5)");
    const SysctlSpec *spec = findSysctl(name);
    if (!spec) {
        std::string known;
        for (const auto &s : kWhitelist)
            known += (known.empty() ? "" : ", ") + std::string(s.name);
        LineCursor::failAt(start, "'" + std::string(name) +
                                      "' is not a kernel setting a scenario may change (only these per-namespace "
                                      "TCP settings: " +
                                      known + ")");
    }
    for (const auto &s : settings)
        if (s.name == name)
            LineCursor::failAt(start, "'" + std::string(name) + "' is set twice (first on line " +
                                          std::to_string(s.line) + ")");
    cursor.seek(end);
    if (cursor.peek() != '=')
        cursor.failExpected("'=' and a value after '" + std::string(name) + "'");
    cursor.accept('=');
    KernelSetting setting;
    setting.name = std::string(name);
    setting.value = cursor.integer(
        "a whole number for " + std::string(name) + (spec->unit == "s" ? " (in seconds)" : ""), spec->min, spec->max);
    if (cursor.pos() < line.size() && !isSpace(line[cursor.pos()]))
        cursor.failExpected("a space or the end of the line after the value");
    settings.push_back(std::move(setting));
    return start;
}

} // namespace scn

} // namespace sockscope::core
