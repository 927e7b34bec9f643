// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: puts a scenario's faults on the wire in force in the lab's own network namespace (libnftables), step by
// step. The rules live in that namespace only: they go with it when the lab exits, and never touch the host.
// Thread-safety: one thread (the lab's scheduler).

#include "core/scenario/scenario.h"

#include <memory>
#include <string>

struct nft_ctx;

namespace sockscope::core {

// True when some step of the scenario carries a fault line.
bool hasWireFaults(const Scenario &scenario);

class WireFaults
{
public:
    // Creates the table; call only inside the lab's private namespace. Null and *error on failure.
    static std::unique_ptr<WireFaults> open(const Scenario &scenario, std::string *error);
    ~WireFaults();
    WireFaults(const WireFaults &) = delete;
    WireFaults &operator=(const WireFaults &) = delete;

    // Puts the step's fault lines in force, in order; false and *error when nftables refused one.
    bool apply(const Step &step, std::string *error);

private:
    WireFaults(const Scenario &scenario, nft_ctx *ctx) : m_scenario(scenario), m_ctx(ctx) {}
    bool run(const std::string &commands, std::string *error);

    const Scenario &m_scenario;
    nft_ctx *m_ctx;
    int m_next = 0; // numbers the faults' sets
};

} // namespace sockscope::core
