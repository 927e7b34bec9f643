// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the pcapng writer fed random packet events (flags, numbers, times and header bytes taken from the
// input). The output must be a whole number of 32-bit words made of blocks whose lengths add up.
#include "core/io/pcapng.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace {

struct Input
{
    const std::uint8_t *data;
    std::size_t size;
    std::uint64_t take(int bytes)
    {
        std::uint64_t v = 0;
        for (int i = 0; i < bytes && size > 0; ++i, ++data, --size)
            v = (v << 8) | *data;
        return v;
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace sockscope::core;
    Input in{data, size};
    std::vector<Event> events;
    RunInfo run;
    run.startNs = static_cast<std::int64_t>(in.take(8) >> 1);
    events.push_back(Event{0, 0, run});
    static const char *kHex = "0123456789abcdef";
    std::int64_t t = 0;
    while (in.size > 0 && events.size() < 256) {
        PacketInfo p;
        p.flags = static_cast<std::uint8_t>(in.take(1));
        p.seq = static_cast<std::uint32_t>(in.take(4));
        p.ack = static_cast<std::uint32_t>(in.take(4));
        p.len = static_cast<std::uint32_t>(in.take(4));
        p.from = (in.take(1) & 1) ? "a.1" : "";
        const std::size_t hdrBytes = in.take(1);
        for (std::size_t i = 0; i < hdrBytes && in.size > 0; ++i) {
            const auto b = static_cast<std::uint8_t>(in.take(1));
            p.hdr += kHex[b >> 4];
            p.hdr += kHex[b & 15];
        }
        if (in.take(1) == 0xff)
            p.hdr += "zz"; // not hex: must be skipped, not written
        t += static_cast<std::int64_t>(in.take(3));
        events.push_back(Event{static_cast<std::int64_t>(events.size()), t, p});
    }
    PcapngStats stats;
    const std::string bytes = pcapngBytes(events, &stats);
    if (bytes.size() % 4 != 0 || stats.written + stats.skipped != static_cast<int>(events.size()) - 1)
        std::abort();
    // Walk the blocks: each starts with type and total length and ends with the same length.
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        if (bytes.size() - pos < 12)
            std::abort();
        std::uint32_t len = 0, tail = 0;
        std::memcpy(&len, bytes.data() + pos + 4, 4);
        if (len < 12 || len % 4 != 0 || len > bytes.size() - pos)
            std::abort();
        std::memcpy(&tail, bytes.data() + pos + len - 4, 4);
        if (tail != len)
            std::abort();
        pos += len;
    }
    return 0;
}
