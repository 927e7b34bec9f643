// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lab/wirefaults.h"

#include "core/lab/nftrules.h"

#include <nftables/libnftables.h>

namespace sockscope::core {

bool hasWireFaults(const Scenario &scenario)
{
    for (const auto &step : scenario.steps)
        if (!step.faults.empty())
            return true;
    return false;
}

std::unique_ptr<WireFaults> WireFaults::open(const Scenario &scenario, std::string *error)
{
    nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
    if (!ctx) {
        *error = "nftables: cannot create a context";
        return nullptr;
    }
    nft_ctx_buffer_output(ctx);
    nft_ctx_buffer_error(ctx);
    std::unique_ptr<WireFaults> faults(new WireFaults(scenario, ctx));
    if (!faults->run(nftTableCommands(), error))
        return nullptr;
    return faults;
}

WireFaults::~WireFaults()
{
    nft_ctx_free(m_ctx);
}

bool WireFaults::apply(const Step &step, std::string *error)
{
    for (const auto &fault : step.faults)
        if (!run(nftFaultCommands(m_scenario, fault, m_next++), error)) {
            *error = "line " + std::to_string(fault.line) + " (" + fault.text + "): " + *error;
            return false;
        }
    return true;
}

bool WireFaults::run(const std::string &commands, std::string *error)
{
    if (nft_run_cmd_from_buffer(m_ctx, commands.c_str()) == 0)
        return true;
    const char *text = nft_ctx_get_error_buffer(m_ctx);
    std::string message = text ? text : "";
    while (!message.empty() && message.back() == '\n')
        message.pop_back();
    *error = "nftables refused the rule: " + (message.empty() ? commands : message);
    return false;
}

} // namespace sockscope::core
