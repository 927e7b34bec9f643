// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/io/pcapng.h"

#include "core/io/atomicfile.h"
#include "core/io/capturenotes.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <tuple>

namespace sockscope::core {

namespace {

// pcapng block types and option codes (draft-ietf-opsawg-pcapng).
constexpr std::uint32_t kSectionHeader = 0x0A0D0D0A;
constexpr std::uint32_t kInterfaceDescription = 0x00000001;
constexpr std::uint32_t kEnhancedPacket = 0x00000006;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr std::uint16_t kOptEnd = 0;
constexpr std::uint16_t kOptComment = 1;
constexpr std::uint16_t kShbUserAppl = 4;
constexpr std::uint16_t kIfName = 2;
constexpr std::uint16_t kIfTsresol = 9;
constexpr std::uint16_t kLinktypeRaw = 101; // the capture starts at the IP header
// Wireshark's "exported PDU": a few tags, then bytes for the dissector the tags name. Syslog shows a message
// with no priority as it is in the Info column, so each event frame lists as "Syslog  client: connect(...)".
constexpr std::uint16_t kLinktypeUpperPdu = 252;
constexpr std::uint16_t kPduTagEnd = 0;
constexpr std::uint16_t kPduTagDissectorName = 12;
constexpr std::uint32_t kSegmentInterface = 0;
constexpr std::uint32_t kEventInterface = 1;
constexpr std::size_t kMaxOptionBytes = 0xfff0; // an option's length is 16 bits
constexpr std::uint8_t kNanoseconds = 9;        // if_tsresol: 10^-9 s, the resolution of SO_TIMESTAMPNS

// Host byte order is fine: the byte-order magic tells readers which one we used.
class Block
{
public:
    explicit Block(std::uint32_t type) { u32(type), u32(0); }
    void u16(std::uint16_t v) { raw(&v, 2); }
    void u32(std::uint32_t v) { raw(&v, 4); }
    void u64(std::uint64_t v) { raw(&v, 8); }
    void bytes(const std::string &b)
    {
        m_data += b;
        pad();
    }
    void option(std::uint16_t code, const std::string &value)
    {
        u16(code);
        u16(static_cast<std::uint16_t>(value.size()));
        bytes(value);
    }
    std::string finish()
    {
        u16(kOptEnd), u16(0);
        const auto total = static_cast<std::uint32_t>(m_data.size() + 4);
        u32(total);
        m_data.replace(4, 4, reinterpret_cast<const char *>(&total), 4);
        return std::move(m_data);
    }

private:
    void raw(const void *p, std::size_t n) { m_data.append(static_cast<const char *>(p), n); }
    void pad() { m_data.append((4 - m_data.size() % 4) % 4, '\0'); }
    std::string m_data;
};

std::optional<std::string> fromHex(const std::string &hex)
{
    if (hex.empty() || hex.size() % 2 != 0)
        return std::nullopt;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        out += static_cast<char>(hi << 4 | lo);
    }
    return out;
}

std::string endName(const std::string &sock, const std::string &addr)
{
    return sock.empty() ? addr : sock;
}

std::string bigEndianTag(std::uint16_t tag, const std::string &value)
{
    const auto len = static_cast<std::uint16_t>(value.size());
    return std::string{static_cast<char>(tag >> 8), static_cast<char>(tag & 0xff), static_cast<char>(len >> 8),
                       static_cast<char>(len & 0xff)} +
           value;
}

std::string interfaceBlock(std::uint16_t linktype, const std::string &name)
{
    Block idb(kInterfaceDescription);
    idb.u16(linktype), idb.u16(0);
    idb.u32(0); // no snap length limit
    idb.option(kIfName, name);
    idb.option(kIfTsresol, std::string(1, static_cast<char>(kNanoseconds)));
    return idb.finish();
}

// Added unsigned: a forged start_ns near INT64_MAX must wrap, not overflow (found by fuzz_pcapng).
std::uint64_t stamp(std::int64_t startNs, std::int64_t tNs)
{
    return static_cast<std::uint64_t>(startNs) + static_cast<std::uint64_t>(tNs);
}

std::string packetBlock(std::uint32_t interface, std::uint64_t ts, const std::string &data, std::uint32_t origLen,
                        const std::string &comment)
{
    Block epb(kEnhancedPacket);
    epb.u32(interface);
    epb.u32(static_cast<std::uint32_t>(ts >> 32));
    epb.u32(static_cast<std::uint32_t>(ts));
    epb.u32(static_cast<std::uint32_t>(data.size()));
    epb.u32(origLen);
    epb.bytes(data);
    epb.option(kOptComment, comment.substr(0, kMaxOptionBytes));
    return epb.finish();
}

std::string eventBlock(std::uint64_t ts, const std::string &text)
{
    const std::string pdu = bigEndianTag(kPduTagDissectorName, "syslog") + bigEndianTag(kPduTagEnd, "") + text;
    return packetBlock(kEventInterface, ts, pdu, static_cast<std::uint32_t>(pdu.size()), text);
}

} // namespace

std::string pcapngBytes(const std::vector<Event> &events, PcapngStats *stats)
{
    PcapngStats counts;
    std::int64_t startNs = 0;
    for (const auto &e : events)
        if (const auto *run = e.as<RunInfo>())
            startNs = run->startNs;

    Block shb(kSectionHeader);
    shb.u32(kByteOrderMagic);
    shb.u16(1), shb.u16(0);
    shb.u64(~std::uint64_t{0}); // section length not given
    shb.option(kShbUserAppl, std::string("sockscope ") + SOCKSCOPE_VERSION);
    std::string out = shb.finish();
    out += interfaceBlock(kLinktypeRaw, "lo");
    out += interfaceBlock(kLinktypeUpperPdu, "sockscope events");

    const std::vector<CaptureNote> notes = captureNotes(events);
    auto note = notes.begin();
    // Notes before the event at index i, in the stream's order (a state change follows the segment it came of).
    const auto notesBefore = [&](std::int64_t tNs, std::size_t i) {
        for (; note != notes.end() && std::tie(note->tNs, note->at) < std::tie(tNs, i); ++note, ++counts.notes)
            out += eventBlock(stamp(startNs, note->tNs), note->text);
    };
    for (std::size_t i = 0; i < events.size(); ++i) {
        const Event &e = events[i];
        const auto *p = e.as<PacketInfo>();
        if (!p)
            continue;
        auto hdr = fromHex(p->hdr);
        if (!hdr) {
            ++counts.skipped;
            continue;
        }
        notesBefore(e.tNs, i);
        // The payload's captured first bytes (never more than the segment holds, whatever a forged file says).
        std::string data = *hdr + fromHex(p->payload).value_or("").substr(0, p->len);
        out += packetBlock(kSegmentInterface, stamp(startNs, e.tNs), data,
                           static_cast<std::uint32_t>(hdr->size() + p->len),
                           endName(p->from, p->src) + " -> " + endName(p->to, p->dst));
        ++counts.written;
    }
    notesBefore(std::numeric_limits<std::int64_t>::max(), events.size());
    if (stats)
        *stats = counts;
    return out;
}

bool writePcapng(const std::string &path, const std::vector<Event> &events, std::string *error, PcapngStats *stats)
{
    return writeFileAtomically(path, pcapngBytes(events, stats), error);
}

} // namespace sockscope::core
