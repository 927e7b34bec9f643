// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: writes a random but valid scenario (docs/scenario-format.md) from a seed: two or three actors,
// connects, accepts, sends of many sizes, receives, shutdowns, SO_LINGER, closes, dup()s, an exit(), listener closes,
// reused ports, IPv4 or IPv6, waits. The same seed always gives the same text. No step can block forever: receives
// never wait, big sends do not wait, accept() waits only for a connection the generator knows is queued.
// Thread-safety: a plain value; one generator per thread.

#include <cstdint>
#include <string>

namespace sockscope::differential {

std::string generateScenario(std::uint64_t seed);

} // namespace sockscope::differential
