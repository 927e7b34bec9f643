// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: per-scenario kernel settings ("sysctl: net.ipv4.tcp_fin_timeout=5"): the whitelist of per-network-
// namespace TCP sysctls a scenario may set, their ranges, and the grammar of one NAME=VALUE item. The lab writes
// them in its private namespace only (core/lab/netsysctl), never on the host.
// Thread-safety: constant tables and pure functions.

#include "core/scenario/scenario.h"
#include "core/scenario/scenariolexer.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sockscope::core {

struct SysctlSpec
{
    std::string_view name; // "net.ipv4.tcp_fin_timeout"
    std::int64_t min = 0, max = 0;
    std::string_view unit; // "s", "" for a count or a switch
};

// Every sysctl a scenario may set, each one per network namespace on Linux (writable under `unshare -Urn`).
std::span<const SysctlSpec> sysctlWhitelist();
const SysctlSpec *findSysctl(std::string_view name);
// "/proc/sys/net/ipv4/tcp_fin_timeout" for "net.ipv4.tcp_fin_timeout".
std::string sysctlPath(std::string_view name);

namespace scn {

// Parses one "NAME=VALUE" at the cursor and appends it (line and column left for the caller); returns the byte
// offset where it starts. Throws LineError (an unknown name, a value out of its range, a name given twice).
std::size_t parseSysctl(LineCursor &cursor, std::vector<KernelSetting> &settings);

} // namespace scn

} // namespace sockscope::core
