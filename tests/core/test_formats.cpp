// SPDX-License-Identifier: GPL-3.0-or-later
// Export formats (human log, run files, pcapng, Mermaid/PlantUML) checked on a hand-made event stream, and,
// once the lab runs scenarios, on real runs.
#include "testsupport.h"

#include "core/io/capturenotes.h"
#include "core/io/pcapng.h"
#include "core/io/runfile.h"
#include "core/io/textdiagram.h"
#include "core/io/textlog.h"
#include "core/stream/eventjson.h"
#include "core/stream/eventtext.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace sockscope::core;

namespace {

constexpr std::uint8_t kSyn = 0x02, kFin = 0x01, kRst = 0x04, kPsh = 0x08, kAck = 0x10;

// Builds a stream the way the engine emits it: n counts up, t_ns never goes back.
class Stream
{
public:
    std::vector<Event> events;

    void add(std::int64_t tUs, EventPayload p) { events.push_back(Event{m_n++, tUs * 1000, std::move(p)}); }
    void step(std::int64_t tUs, int step, const std::string &actor, const std::string &text, std::string note = {})
    {
        add(tUs, StepInfo{step, actor, text, 10 + step, std::move(note)});
    }
    std::int64_t call(std::int64_t tUs, int step, const std::string &actor, const std::string &call, int fd,
                      const std::string &sock, std::vector<SyscallArg> args)
    {
        add(tUs, SyscallInfo{++m_id, step, actor, call, fd, sock, std::move(args)});
        return m_id;
    }
    void ret(std::int64_t tUs, std::int64_t id, std::int64_t r, std::string err = {},
             std::optional<std::string> data = std::nullopt)
    {
        add(tUs, ReturnInfo{id, r, std::move(err), 1000, std::move(data)});
    }
    void packet(std::int64_t tUs, const std::string &from, const std::string &to, std::uint8_t flags, std::uint32_t seq,
                std::uint32_t ack, const std::string &payload = {})
    {
        const bool fromClient = from.rfind("client", 0) == 0;
        const std::string c = "127.0.0.1:40000", s = "127.0.0.1:5000";
        const auto len = static_cast<std::uint32_t>(payload.size());
        add(tUs, PacketInfo{from, to, fromClient ? c : s, fromClient ? s : c, flags, seq, ack, len, 65483,
                            tcpHeaderHex(fromClient, flags, seq, ack, len), hex({payload.begin(), payload.end()})});
    }
    void state(std::int64_t tUs, const std::string &sock, TcpState from, TcpState to)
    {
        add(tUs, StateInfo{sock, from, to, StateSource::Derived, m_n - 1, false, TcpState::Closed});
    }

    // A plausible IPv4 + TCP header (20 + 20 bytes) so the pcapng writer has real bytes to store.
    static std::string tcpHeaderHex(bool fromClient, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack,
                                    std::uint32_t len)
    {
        std::vector<std::uint8_t> h(40, 0);
        const unsigned total = 40 + len;
        h[0] = 0x45;
        h[2] = static_cast<std::uint8_t>(total >> 8);
        h[3] = static_cast<std::uint8_t>(total);
        h[8] = 64;
        h[9] = 6;
        h[12] = 127, h[15] = 1, h[16] = 127, h[19] = 1;
        unsigned sum = 0;
        for (int i = 0; i < 20; i += 2)
            sum += (h[i] << 8) | h[i + 1];
        while (sum >> 16)
            sum = (sum & 0xffff) + (sum >> 16);
        h[10] = static_cast<std::uint8_t>(~sum >> 8);
        h[11] = static_cast<std::uint8_t>(~sum);
        const unsigned sport = fromClient ? 40000 : 5000, dport = fromClient ? 5000 : 40000;
        h[20] = sport >> 8, h[21] = sport & 0xff, h[22] = dport >> 8, h[23] = dport & 0xff;
        const std::uint32_t isn = fromClient ? 1000000 : 2000000, peerIsn = fromClient ? 2000000 : 1000000;
        const std::uint32_t aseq = isn + seq, aack = (flags & kAck) ? peerIsn + ack : 0;
        for (int i = 0; i < 4; ++i) {
            h[24 + i] = static_cast<std::uint8_t>(aseq >> (24 - 8 * i));
            h[28 + i] = static_cast<std::uint8_t>(aack >> (24 - 8 * i));
        }
        h[32] = 0x50;
        h[33] = flags;
        h[34] = 0xff, h[35] = 0xcb;
        return hex(h);
    }

    static std::string hex(const std::vector<std::uint8_t> &bytes)
    {
        static const char *kHex = "0123456789abcdef";
        std::string out;
        for (auto b : bytes) {
            out += kHex[b >> 4];
            out += kHex[b & 15];
        }
        return out;
    }

private:
    std::int64_t m_n = 0;
    std::int64_t m_id = 0;
};

SyscallArg num(const std::string &k, std::int64_t v)
{
    return {k, std::to_string(v), true};
}
SyscallArg str(const std::string &k, const std::string &v)
{
    return {k, v, false};
}

// close() with unread data, then the client meets the RST: every kind of event and line of the log.
std::vector<Event> handMadeRun()
{
    using S = TcpState;
    Stream s;
    s.add(0, RunInfo{1, "close-unread-data", "close() with unread data sends RST", "6.1.0-test", "netns", true, "",
                     1700000000123456789});
    s.step(5, 0, "server", "L = socket(v4)");
    auto id = s.call(10, 0, "server", "socket", -1, "", {str("family", "v4")});
    s.ret(20, id, 3);
    s.add(21, SocketInfo{"server.listen", "server", "listen", 3, "", ""});
    s.step(30, 1, "server", "bind(L, 127.0.0.1:5000)");
    id = s.call(31, 1, "server", "bind", 3, "server.listen", {str("addr", "127.0.0.1:5000")});
    s.ret(35, id, 0);
    s.step(40, 2, "server", "listen(L, 1)");
    id = s.call(41, 2, "server", "listen", 3, "server.listen", {num("backlog", 1)});
    s.state(44, "server.listen", S::Closed, S::Listen);
    s.ret(45, id, 0);
    s.step(50, 3, "server", "A = accept(L)");
    auto accept = s.call(51, 3, "server", "accept", 3, "server.listen", {});
    s.step(15100, 4, "client", "C = socket(v4)", "The client connects while accept() waits.");
    id = s.call(15101, 4, "client", "socket", -1, "", {str("family", "v4")});
    s.ret(15105, id, 3);
    s.add(15106, SocketInfo{"client.1", "client", "connect", 3, "", ""});
    s.step(15200, 5, "client", "connect(C, 127.0.0.1:5000)");
    id = s.call(15201, 5, "client", "connect", 3, "client.1", {str("addr", "127.0.0.1:5000")});
    s.packet(15210, "client.1", "server.1", kSyn, 0, 0);
    s.state(15211, "client.1", S::Closed, S::SynSent);
    s.packet(15220, "server.1", "client.1", kSyn | kAck, 0, 1);
    s.state(15221, "server.1", S::Listen, S::SynReceived);
    s.packet(15230, "client.1", "server.1", kAck, 1, 1);
    s.state(15231, "client.1", S::SynSent, S::Established);
    s.ret(15232, id, 0);
    s.state(15233, "server.1", S::SynReceived, S::Established);
    s.ret(15240, accept, 4);
    s.add(15241, SocketInfo{"server.1", "server", "accepted", 4, "127.0.0.1:5000", "127.0.0.1:40000"});
    s.step(15300, 6, "client", "send(C, \"hello\\n\")");
    id = s.call(15301, 6, "client", "send", 3, "client.1", {str("data", "hello\n")});
    s.packet(15310, "client.1", "server.1", kPsh | kAck, 1, 1, "hello\n");
    s.ret(15311, id, 6);
    s.packet(15320, "server.1", "client.1", kAck, 1, 7);
    s.add(15321, QueueInfo{"server.1", 6, 0});
    s.step(15400, 7, "server", "close(A)");
    id = s.call(15401, 7, "server", "close", 4, "server.1", {});
    s.packet(15410, "server.1", "client.1", kRst | kAck, 1, 7);
    s.state(15411, "server.1", S::Established, S::Closed);
    s.ret(15412, id, 0);
    s.state(15413, "client.1", S::Established, S::Closed);
    s.add(15500, StateInfo{"client.1", S::Established, S::Closed, StateSource::Kernel, 40, false, S::Closed});
    s.step(15600, 8, "client", "epoll_wait(C, EPOLLIN, 100)");
    id = s.call(15601, 8, "client", "epoll_wait", 3, "client.1", {str("events", "EPOLLIN"), num("timeout_ms", 100)});
    s.ret(15605, id, 1, "", std::string("EPOLLIN EPOLLERR EPOLLHUP"));
    s.step(15700, 9, "client", "recv(C, 100)");
    id = s.call(15701, 9, "client", "recv", 3, "client.1", {num("len", 100)});
    s.ret(15705, id, -1, "ECONNRESET");
    s.step(15800, 10, "client", "send(C, \"x\")  = 1");
    id = s.call(15801, 10, "client", "send", 3, "client.1", {str("data", "x")});
    s.ret(15805, id, -1, "EPIPE");
    s.add(15806, SignalInfo{"client", "SIGPIPE", id});
    s.add(15807, CheckInfo{10, "= 1", "= -1 EPIPE", false});
    s.add(15808, CheckInfo{9, "= -1 ECONNRESET", "= -1 ECONNRESET", true});
    s.add(15900, StateInfo{"server.1", S::Closed, S::TimeWait, StateSource::Kernel, -1, true, S::Closed});
    s.add(16000, EndInfo{false, 16000000, 7, 0, ""});
    return s.events;
}

int packetCount(const std::vector<Event> &events)
{
    int n = 0;
    for (const auto &e : events)
        n += e.kind() == EventKind::Packet;
    return n;
}

using TempDir = sockscope::test::TempDir;

std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void writeFile(const std::string &path, const std::string &text)
{
    std::ofstream(path, std::ios::binary) << text;
}

RunData handMadeRunData()
{
    return RunData{"close-unread-data", ":builtin/close-unread-data.scn",
                   "title: close() with unread data\nactors: server client\n\tserver  L = socket(v4) # \"quoted\"\n",
                   handMadeRun(), ""};
}

void expectSameEvents(const std::vector<Event> &a, const std::vector<Event> &b)
{
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        EXPECT_EQ(toJsonLine(a[i]), toJsonLine(b[i])) << "event " << i;
}

// The error loading `text` as a run file gives, formatted.
std::string loadError(const TempDir &dir, const std::string &text)
{
    const std::string path = dir.file("bad.sockrun");
    writeFile(path, text);
    LoadError error;
    auto run = loadRun(path, &error);
    EXPECT_FALSE(run.has_value());
    return error.format();
}

// A minimal pcapng reader, independent of the writer, for machines without tshark and to check block layout.
struct PcapPacket
{
    std::uint32_t interface = 0;
    std::uint64_t tsNs = 0;
    std::uint32_t capLen = 0, origLen = 0;
    std::string data, comment;
    std::uint8_t tcpFlags() const
    {
        // IPv4: the header length is in the first byte; IPv6 (version 6): a fixed 40-byte header.
        const auto first = static_cast<std::uint8_t>(data.at(0));
        const std::size_t ipHeader = (first >> 4) == 6 ? 40u : (first & 0x0f) * 4u;
        return static_cast<std::uint8_t>(data.at(ipHeader + 13));
    }
};
struct PcapFile
{
    std::string error; // empty when the file is well formed
    std::vector<int> linktypes, tsresols;
    std::vector<PcapPacket> packets;
    std::vector<PcapPacket> on(std::uint32_t interface) const
    {
        std::vector<PcapPacket> out;
        for (const auto &p : packets)
            if (p.interface == interface)
                out.push_back(p);
        return out;
    }
};

PcapFile readPcapng(const std::string &b)
{
    PcapFile f;
    auto u16 = [&](std::size_t at) {
        std::uint16_t v;
        std::memcpy(&v, b.data() + at, 2);
        return v;
    };
    auto u32 = [&](std::size_t at) {
        std::uint32_t v;
        std::memcpy(&v, b.data() + at, 4);
        return v;
    };
    // Calls fn(code, value) for each option in [at, end).
    auto options = [&](std::size_t at, std::size_t end, auto fn) {
        while (at + 4 <= end) {
            const std::uint16_t code = u16(at), len = u16(at + 2);
            if (code == 0)
                return;
            fn(code, b.substr(at + 4, len));
            at += 4 + (len + 3u) / 4 * 4;
        }
    };
    std::size_t at = 0;
    int blocks = 0;
    while (at < b.size()) {
        if (at + 12 > b.size())
            return f.error = "short block header", f;
        const std::uint32_t type = u32(at), len = u32(at + 4);
        if (len % 4 != 0 || len < 12 || at + len > b.size() || u32(at + len - 4) != len)
            return f.error = "bad block length at " + std::to_string(at), f;
        if (blocks++ == 0 && (type != 0x0A0D0D0A || u32(at + 8) != 0x1A2B3C4D || u16(at + 12) != 1))
            return f.error = "no section header first", f;
        if (type == 1) {
            f.linktypes.push_back(u16(at + 8));
            f.tsresols.push_back(6);
            options(at + 16, at + len - 4, [&](int code, const std::string &v) {
                if (code == 9)
                    f.tsresols.back() = static_cast<std::uint8_t>(v.at(0));
            });
        } else if (type == 6) {
            PcapPacket p;
            p.interface = u32(at + 8);
            p.tsNs = (std::uint64_t{u32(at + 12)} << 32) | u32(at + 16);
            p.capLen = u32(at + 20);
            p.origLen = u32(at + 24);
            p.data = b.substr(at + 28, p.capLen);
            options(at + 28 + (p.capLen + 3) / 4 * 4, at + len - 4, [&](int code, const std::string &v) {
                if (code == 1)
                    p.comment = v;
            });
            f.packets.push_back(std::move(p));
        }
        at += len;
    }
    return f;
}

std::string shellOutput(const std::string &command)
{
    std::string out;
    if (FILE *p = ::popen(command.c_str(), "r")) {
        char buf[4096];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;)
            out.append(buf, n);
        ::pclose(p);
    }
    return out;
}

bool haveTshark()
{
    return std::system("command -v tshark >/dev/null 2>&1") == 0;
}

// Each packet tshark reads back: "flags len comment", flags masked to the six we record.
std::vector<std::string> tsharkPackets(const std::string &path)
{
    std::vector<std::string> out;
    std::istringstream lines(shellOutput("tshark -r '" + path +
                                         "' -Y tcp -T fields -E separator=';' -e tcp.flags -e frame.len -e "
                                         "frame.comment 2>/dev/null"));
    for (std::string line; std::getline(lines, line);) {
        auto a = line.find(';'), b = line.find(';', a + 1);
        const unsigned flags = std::stoul(line.substr(0, a), nullptr, 16) & 0x3f;
        out.push_back(flagsText(static_cast<std::uint8_t>(flags)) + " " + line.substr(a + 1, b - a - 1) + " " +
                      line.substr(b + 1));
    }
    return out;
}

// What tsharkPackets should give for these events (those with headers).
std::vector<std::string> expectedPackets(const std::vector<Event> &events)
{
    std::vector<std::string> out;
    for (const auto &e : events)
        if (const auto *p = e.as<PacketInfo>(); p && !p->hdr.empty())
            out.push_back(flagsText(p->flags) + " " + std::to_string(p->hdr.size() / 2 + p->len) + " " +
                          (p->from.empty() ? p->src : p->from) + " -> " + (p->to.empty() ? p->dst : p->to));
    return out;
}

std::string unhex(const std::string &hex)
{
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}

// tshark's frame comments of the event frames (interface 1), one per line.
std::vector<std::string> tsharkNotes(const std::string &path)
{
    std::vector<std::string> out;
    std::istringstream lines(
        shellOutput("tshark -r '" + path + "' -Y 'frame.interface_id == 1' -T fields -e frame.comment 2>/dev/null"));
    for (std::string line; std::getline(lines, line);)
        out.push_back(line);
    return out;
}

void checkPcapng(const std::vector<Event> &events, const std::string &path)
{
    const PcapFile f = readPcapng(readFile(path));
    ASSERT_EQ(f.error, "");
    EXPECT_EQ(f.linktypes, (std::vector<int>{101, 252}));
    EXPECT_EQ(f.tsresols, (std::vector<int>{9, 9}));
    std::int64_t start = 0;
    std::vector<const Event *> packets;
    for (const auto &e : events) {
        if (const auto *r = e.as<RunInfo>())
            start = r->startNs;
        if (const auto *p = e.as<PacketInfo>(); p && !p->hdr.empty())
            packets.push_back(&e);
    }
    const std::vector<PcapPacket> segments = f.on(0);
    ASSERT_EQ(segments.size(), packets.size());
    for (std::size_t i = 0; i < packets.size(); ++i) {
        const auto &p = *packets[i]->as<PacketInfo>();
        EXPECT_EQ(segments[i].tsNs, static_cast<std::uint64_t>(start + packets[i]->tNs)) << i;
        // The headers, then the payload's captured bytes.
        EXPECT_EQ(segments[i].data, unhex(p.hdr) + unhex(p.payload)) << i;
        EXPECT_EQ(segments[i].capLen, (p.hdr.size() + p.payload.size()) / 2) << i;
        EXPECT_EQ(segments[i].origLen, p.hdr.size() / 2 + p.len) << i;
        EXPECT_EQ(segments[i].tcpFlags() & 0x3f, p.flags) << i;
    }
    // One event frame per note, its text both its comment and (after the exported-PDU tags) its bytes.
    const std::vector<CaptureNote> notes = captureNotes(events);
    const std::vector<PcapPacket> frames = f.on(1);
    ASSERT_EQ(frames.size(), notes.size());
    for (std::size_t i = 0; i < notes.size(); ++i) {
        EXPECT_EQ(frames[i].comment, notes[i].text) << i;
        EXPECT_EQ(frames[i].tsNs, static_cast<std::uint64_t>(start + notes[i].tNs)) << i;
        EXPECT_EQ(frames[i].data, std::string("\0\x0c\0\x06syslog\0\0\0\0", 14) + notes[i].text) << i;
    }
    // Segments and event frames in one time order, as Wireshark lists them.
    for (std::size_t i = 1; i < f.packets.size(); ++i)
        EXPECT_LE(f.packets[i - 1].tsNs, f.packets[i].tsNs) << i;
    if (haveTshark()) {
        EXPECT_EQ(tsharkPackets(path), expectedPackets(events));
        std::vector<std::string> texts;
        for (const auto &n : notes)
            texts.push_back(n.text);
        EXPECT_EQ(tsharkNotes(path), texts);
    } else {
        std::cout << "tshark not installed: checked with the built-in reader only\n";
    }
}

int countMatches(const std::string &text, const std::string &pattern)
{
    const std::regex re(pattern);
    return static_cast<int>(std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
}

struct SegmentCounts
{
    int all = 0, pureAcks = 0, rsts = 0, dropped = 0, droppedAcks = 0, droppedRsts = 0;
};
SegmentCounts segmentCounts(const std::vector<Event> &events)
{
    SegmentCounts c;
    for (const auto &e : events)
        if (const auto *p = e.as<PacketInfo>()) {
            ++c.all;
            c.rsts += hasFlag(p->flags, SegmentFlag::Rst);
            c.pureAcks += isPureAck(*p);
            c.dropped += p->dropped;
            c.droppedAcks += p->dropped && isPureAck(*p);
            c.droppedRsts += p->dropped && hasFlag(p->flags, SegmentFlag::Rst);
        }
    return c;
}

// One message per segment, drawn dashed for pure ACKs, in both languages; a RST is an arrow like the others (it
// arrived), and only a segment a fault rule dropped ends in a "lost" cross.
void checkDiagramMessages(const std::vector<Event> &events)
{
    const SegmentCounts c = segmentCounts(events);
    const std::string mermaid = toMermaid(events), plant = toPlantUml(events);
    EXPECT_EQ(mermaid.rfind("sequenceDiagram\n", 0), 0u);
    EXPECT_EQ(countMatches(mermaid, R"(\n    p\d+(->>|-->>)p\d+: )"), c.all - c.dropped) << mermaid;
    EXPECT_EQ(countMatches(mermaid, R"(\n    p\d+-->>p\d+: )"), c.pureAcks - c.droppedAcks);
    EXPECT_EQ(countMatches(mermaid, R"(\n    p\d+->>p\d+: [^\n]*RST)"), c.rsts - c.droppedRsts);
    EXPECT_EQ(countMatches(mermaid, R"(\n    p\d+--?xp\d+: )"), c.dropped);
    EXPECT_EQ(plant.rfind("@startuml\n", 0), 0u);
    EXPECT_NE(plant.find("\n@enduml\n"), std::string::npos);
    EXPECT_EQ(countMatches(plant, R"(\np\d+ (->|-->) p\d+ : )"), c.all - c.dropped) << plant;
    EXPECT_EQ(countMatches(plant, R"(\np\d+ --> p\d+ : )"), c.pureAcks - c.droppedAcks);
    EXPECT_EQ(countMatches(plant, R"(\np\d+ -> p\d+ : [^\n]*RST)"), c.rsts - c.droppedRsts);
    EXPECT_EQ(countMatches(plant, R"(\np\d+ --?>x p\d+ : )"), c.dropped);
    EXPECT_EQ(countMatches(mermaid, "\n    participant "), countMatches(plant, "\nparticipant "));
}

// PlantUML's own parser, when it is installed: "-syntax" names the diagram type or reports an error.
void checkPlantUmlSyntax(const std::string &text)
{
    if (std::system("command -v plantuml >/dev/null 2>&1") != 0)
        return;
    TempDir dir;
    writeFile(dir.file("d.puml"), text);
    const std::string out = shellOutput("plantuml -syntax < '" + dir.file("d.puml") + "' 2>&1");
    EXPECT_EQ(out.rfind("SEQUENCE", 0), 0u) << out << text;
}

} // namespace

// toJsonLine() writes the line itself; it must be the bytes nlohmann's dump() of the same object gives (docs/events.md
// is written against those), for any string a scenario can put in a field and for a repeated argument name.
TEST(EventJson, WritesWhatNlohmannWritesForAnyString)
{
    using Json = nlohmann::ordered_json;
    for (const std::string text : {"plain", "quote \" in", "back\\slash", "tab\t and newline\n", "ctl \x01\x1f \x7f",
                                   "caf\xc3\xa9 \xe2\x9c\x93", "bad \xff\xfe utf-8 \xc3", ""}) {
        Event step{3, 40, StepInfo{2, "server", text, 7, text}};
        Json j;
        j["n"] = 3;
        j["t_ns"] = 40;
        j["kind"] = "step";
        j["step"] = 2;
        j["actor"] = "server";
        j["text"] = text;
        j["line"] = 7;
        if (!text.empty())
            j["note"] = text;
        EXPECT_EQ(toJsonLine(step), j.dump(-1, ' ', false, Json::error_handler_t::replace)) << text;
    }
    Event call{1, 2,
               SyscallInfo{
                   5, 0, "client", "send", 4, "", {{"len", "10", true}, {"data", "x\"y", false}, {"len", "-3", true}}}};
    EXPECT_EQ(toJsonLine(call), R"({"n":1,"t_ns":2,"kind":"syscall","id":5,"step":0,"actor":"client","call":"send",)"
                                R"("fd":4,"sock":null,"args":{"len":-3,"data":"x\"y"}})");
}

TEST(TextLog, HandMadeRunReadsLikeStrace)
{
    // Calls print when they return (at their enter time); what happened meanwhile follows the call line.
    const std::string expected =
        R"(# scenario: close() with unread data sends RST (kernel 6.1.0-test, isolation netns, capture on)
+0.000010 server  socket(v4) = 3
+0.000031 server  bind(3, 127.0.0.1:5000) = 0
+0.000041 server  listen(3, 1) = 0
+0.000044   server.listen  CLOSED -> LISTEN
+0.000051 server  accept(3) <blocked>
        # The client connects while accept() waits.
+0.015101 client  socket(v4) = 3
+0.015201 client  connect(3, 127.0.0.1:5000) = 0
+0.015210   client.1 -> server.1  SYN seq=0
+0.015211   client.1  CLOSED -> SYN_SENT
+0.015220   server.1 -> client.1  SYN ACK seq=0 ack=1
+0.015221   server.1  LISTEN -> SYN_RECEIVED
+0.015230   client.1 -> server.1  ACK seq=1 ack=1
+0.015231   client.1  SYN_SENT -> ESTABLISHED
+0.015233   server.1  SYN_RECEIVED -> ESTABLISHED
+0.015240 server  <... accept resumed> = 4
+0.015301 client  send(3, "hello\n") = 6
+0.015310   client.1 -> server.1  PSH ACK seq=1 ack=1 len=6
+0.015320   server.1 -> client.1  ACK seq=1 ack=7
+0.015401 server  close(4) = 0
+0.015410   server.1 -> client.1  RST ACK seq=1 ack=7
+0.015411   server.1  ESTABLISHED -> CLOSED
+0.015413   client.1  ESTABLISHED -> CLOSED
+0.015601 client  epoll_wait(3, EPOLLIN, 100) = 1 [EPOLLIN EPOLLERR EPOLLHUP]
+0.015701 client  recv(3, 100) = -1 ECONNRESET (Connection reset by peer)
+0.015801 client  send(3, "x") = -1 EPIPE (Broken pipe)
+0.015806 client  --- SIGPIPE --- (default action would terminate the process)
+0.015807  CHECK FAILED step 10: expected = 1, got = -1 EPIPE
+0.015900   server.1  kernel says TIME_WAIT, derived CLOSED  (CONTRADICTION)
# end: FAILED (1 contradiction), 7 packets, 0 drops, 0.016000 s
)";
    EXPECT_EQ(formatLog(handMadeRun()), expected);
}

TEST(TextLog, StreamingMatchesWholeLog)
{
    // The CLI prints line by line; with the actor width set up front it must print exactly formatLog's text.
    auto events = handMadeRun();
    LogContext ctx = LogContext::forActors({"server", "client"});
    std::string out;
    for (const auto &e : events)
        if (std::string s = formatLogLine(e, ctx); !s.empty())
            out += s + '\n';
    EXPECT_EQ(out, formatLog(events));
    EXPECT_TRUE(ctx.pending.empty());
    EXPECT_TRUE(ctx.deferred.empty());
}

TEST(TextLog, CallNeverReturnedIsUnfinished)
{
    std::vector<Event> events = handMadeRun();
    events.resize(14); // cut after "accept(3)" entered, before the next step
    const std::string log = formatLog(events);
    EXPECT_NE(log.find("+0.000051 server  accept(3) <unfinished ...>\n"), std::string::npos) << log;
}

TEST(TextLog, RunningCallHoldsBackWhatItCaused)
{
    std::vector<Event> events = handMadeRun();
    LogContext ctx;
    // Feed up to and including the RST sent inside close(): nothing about close() is printed yet.
    std::size_t i = 0;
    for (; i < events.size(); ++i) {
        formatLogLine(events[i], ctx);
        if (const auto *p = events[i].as<PacketInfo>(); p && hasFlag(p->flags, SegmentFlag::Rst))
            break;
    }
    EXPECT_EQ(ctx.deferred.size(), 1u);
    EXPECT_EQ(formatLogLine(events[++i], ctx), ""); // the state change is held back too
    const std::string closeLines = formatLogLine(events[++i], ctx);
    EXPECT_EQ(closeLines, "+0.015401 server  close(4) = 0\n"
                          "+0.015410   server.1 -> client.1  RST ACK seq=1 ack=7\n"
                          "+0.015411   server.1  ESTABLISHED -> CLOSED");
}

TEST(TextLog, ArgumentsQuotingAndErrno)
{
    std::vector<Event> events;
    events.push_back(Event{0, 0,
                           SyscallInfo{1,
                                       0,
                                       "A",
                                       "send",
                                       5,
                                       "A.1",
                                       {{"data", std::string(40, 'z'), false},
                                        {"flags", "MSG_NOSIGNAL|MSG_DONTWAIT", false},
                                        {"text", "say \"hi\"\t\x01", false}}}});
    events.push_back(Event{1, 5000, ReturnInfo{1, -1, "EAGAIN", 5000, std::nullopt}});
    EXPECT_EQ(formatLog(events), "+0.000000 A  send(5, \"" + std::string(32, 'z') +
                                     "\"..., MSG_NOSIGNAL|MSG_DONTWAIT, \"say \\\"hi\\\"\\t\\x01\") = -1 EAGAIN "
                                     "(Resource temporarily unavailable)\n");
    EXPECT_EQ(errnoText("ECONNREFUSED"), "Connection refused");
    EXPECT_EQ(errnoText("ENOSUCHERRNO"), "");
}

TEST(TextLog, NormalizeMasksWhatChangesBetweenRuns)
{
    const std::string log = "# scenario: t (kernel 6.12.1-amd64, isolation netns, capture on)\n"
                            "+0.015201 client  connect(3, 127.0.0.1:5000) = 0\n"
                            "+1.000000   127.0.0.1:40000 -> [::1]:5000  RST ACK seq=1 ack=7\n"
                            "+0.000001   [::1]:61000 -> 127.0.0.1:1023  RST seq=0\n"
                            "# end: ok, 3 packets, 0 drops, 0.004512 s\n";
    EXPECT_EQ(normalizeLog(log), "# scenario: t (kernel K, isolation netns, capture on)\n"
                                 "+T client  connect(3, 127.0.0.1:5000) = 0\n"
                                 "+T   127.0.0.1:EPORT -> [::1]:5000  RST ACK seq=1 ack=7\n"
                                 "+T   [::1]:EPORT -> 127.0.0.1:1023  RST seq=0\n"
                                 "# end: ok, 3 packets, 0 drops, D s\n");
}

TEST(RunFile, RoundTripKeepsEveryEventAndTheScenario)
{
    TempDir dir;
    const std::string path = dir.file("run.sockrun");
    const RunData run = handMadeRunData();
    std::string error;
    ASSERT_TRUE(saveRun(path, run, &error)) << error;
    LoadError loadErr;
    auto loaded = loadRun(path, &loadErr);
    ASSERT_TRUE(loaded) << loadErr.format();
    EXPECT_EQ(loaded->scenarioName, run.scenarioName);
    EXPECT_EQ(loaded->scenarioPath, run.scenarioPath);
    EXPECT_EQ(loaded->scenarioSource, run.scenarioSource);
    EXPECT_EQ(loaded->saved.size(), 20u) << loaded->saved; // 2024-01-31T12:00:00Z
    expectSameEvents(loaded->events, run.events);

    // The documented layout: a header line, then exactly the event stream's JSON lines.
    const std::string text = readFile(path);
    EXPECT_EQ(text.rfind("{\"sockscope_run\":1,\"saved\":\"", 0), 0u) << text.substr(0, 80);
    std::string events;
    for (const auto &e : run.events)
        events += toJsonLine(e) + "\n";
    EXPECT_EQ(text.substr(text.find('\n') + 1), events);
    struct stat st
    {
    };
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_NE(st.st_mode & 0044, 0u) << "saved runs are readable like any new file, not 0600";
}

TEST(RunFile, FailedSaveKeepsTheExistingFile)
{
    TempDir dir;
    const std::string path = dir.file("run.sockrun");
    std::string error;
    ASSERT_TRUE(saveRun(path, handMadeRunData(), &error)) << error;
    const std::string before = readFile(path);
    if (::geteuid() != 0) {
        // A directory we cannot write into: the temporary file cannot be made, the old file must stay.
        ASSERT_EQ(::chmod(dir.path().c_str(), 0555), 0);
        RunData other = handMadeRunData();
        other.events.resize(3);
        EXPECT_FALSE(saveRun(path, other, &error));
        EXPECT_NE(error.find("cannot create a temporary file"), std::string::npos) << error;
        ::chmod(dir.path().c_str(), 0755);
        EXPECT_EQ(readFile(path), before);
    }
    // A path that is a directory: refused before anything is written, no temporary file is left.
    const std::string subdir = dir.file("adir");
    ASSERT_EQ(::mkdir(subdir.c_str(), 0755), 0);
    EXPECT_FALSE(saveRun(subdir, handMadeRunData(), &error));
    EXPECT_EQ(error, "refusing to replace " + subdir + ": it is a directory, not a regular file");
    EXPECT_EQ(std::system(("test $(ls -A '" + dir.path() + "' | wc -l) -eq 2").c_str()), 0)
        << "a temporary file was left behind";
    EXPECT_EQ(readFile(path), before);
}

TEST(RunFile, ErrorsNameFileLineAndColumn)
{
    TempDir dir;
    const std::string f = dir.file("bad.sockrun");
    const std::string header = R"({"sockscope_run":1,"saved":"2024-01-01T00:00:00Z","scenario_name":"x",)"
                               R"("scenario_path":"x.scn","scenario_source":""})"
                               "\n";
    auto events = handMadeRun();
    std::string body;
    for (const auto &e : events)
        body += toJsonLine(e) + "\n";

    EXPECT_EQ(loadError(dir, ""), f + ": error: empty file, not a sockscope run");
    EXPECT_EQ(loadRun(dir.file("missing.sockrun"), nullptr), std::nullopt);
    EXPECT_EQ(loadError(dir, body).rfind(f + ":1:1: error: missing header", 0), 0u);
    EXPECT_EQ(loadError(dir, R"({"sockscope_run":2})"
                             "\n"),
              f + ":1:1: error: unsupported run file version 2 (this sockscope reads version 1); a newer sockscope "
                  "saved it");
    EXPECT_EQ(loadError(dir, R"({"sockscope_run":1,"saved":"","scenario_name":3})"
                             "\n"),
              f + ":1:1: error: header: field \"scenario_name\" must be a string");

    // A malformed event line: line 3, column where the JSON parser stopped.
    std::string broken = header + toJsonLine(events[0]) + "\n" + R"({"n":1,"t_ns":5,"kind":"step",,})" + "\n";
    EXPECT_EQ(loadError(dir, broken).rfind(f + ":3:31: error: invalid JSON: syntax error", 0), 0u)
        << loadError(dir, broken);
    std::string missingField = header + R"({"n":0,"t_ns":0,"kind":"step","actor":"a"})" + "\n";
    EXPECT_EQ(loadError(dir, missingField), f + ":2:1: error: step event: missing field \"step\"");

    // Out of order: the third event repeats n=1.
    std::string swapped =
        header + toJsonLine(events[0]) + "\n" + toJsonLine(events[1]) + "\n" + toJsonLine(events[1]) + "\n";
    EXPECT_EQ(loadError(dir, swapped), f + ":4:1: error: events out of order: n=1 after n=1");

    // Cut in the middle of a line, and cut at a line boundary (no end event).
    const std::string whole = header + body;
    EXPECT_EQ(
        loadError(dir, whole.substr(0, whole.size() - 10)).rfind(f + ":" + std::to_string(events.size() + 1) + ":", 0),
        0u);
    EXPECT_NE(loadError(dir, whole.substr(0, whole.size() - 10)).find("truncated file: the last line is incomplete"),
              std::string::npos);
    const std::string cut = whole.substr(0, whole.rfind('\n', whole.size() - 2) + 1);
    EXPECT_EQ(loadError(dir, cut), f + ":" + std::to_string(events.size()) +
                                       ":1: error: truncated file: the event stream stops after event n=" +
                                       std::to_string(events.size() - 2) + " without an end event");
    EXPECT_NE(loadError(dir, header.substr(0, 30)).find("truncated file: the header line is incomplete"),
              std::string::npos);
    EXPECT_NE(loadError(dir, whole + toJsonLine(events[3]) + "\n").find("after the end event"), std::string::npos);

    // CRLF line ends still load.
    std::string crlf;
    for (std::size_t p = 0, q; (q = whole.find('\n', p)) != std::string::npos; p = q + 1)
        crlf += whole.substr(p, q - p) + "\r\n";
    writeFile(f, crlf);
    LoadError err;
    EXPECT_TRUE(loadRun(f, &err)) << err.format();
}

// Timer events (docs/events.md, "Timers") read back field for field, and each bad value is an error at its line and
// the column of its field, like every other field.
TEST(RunFile, TimerEventsReadBackAndBadValuesAreLocated)
{
    const TimerInfo restart{"client.1", TimerKind::TimeWait, TimerChange::Restarted, 59998, 0, 208};
    const auto back = fromJsonLine(toJsonLine(Event{31, 262187000, restart}));
    ASSERT_TRUE(back.event) << back.error;
    const auto *t = back.event->as<TimerInfo>();
    ASSERT_TRUE(t);
    EXPECT_EQ(t->sock, "client.1");
    EXPECT_EQ(t->timer, TimerKind::TimeWait);
    EXPECT_EQ(t->change, TimerChange::Restarted);
    EXPECT_EQ(t->expiresMs, 59998);
    EXPECT_EQ(t->movedMs, 208);
    const TimerInfo backoff{"client.1", TimerKind::Retransmit, TimerChange::Backoff, 800, 2, 0};
    EXPECT_EQ(toJsonLine(Event{3, 5, backoff}),
              R"({"n":3,"t_ns":5,"kind":"timer","sock":"client.1",)"
              R"("timer":"retransmit","change":"backoff","expires_ms":800,"retrans":2})");
    EXPECT_EQ(timerText(restart), "timewait timer restarted: 60.0 s left (+208 ms)");
    EXPECT_EQ(timerText(backoff), "retransmit timer backoff: retransmission 2, next in 800 ms");
    EXPECT_EQ(timerMarkText(backoff), "retx 2, next 800 ms");

    TempDir dir;
    const std::string f = dir.file("bad.sockrun");
    const std::string header = R"({"sockscope_run":1,"saved":"2024-01-01T00:00:00Z","scenario_name":"x",)"
                               R"("scenario_path":"x.scn","scenario_source":""})"
                               "\n" +
                               toJsonLine(handMadeRun()[0]) + "\n";
    auto timerLine = [](const std::string &fields) {
        return R"({"n":1,"t_ns":5,"kind":"timer","sock":"client.1",)" + fields + "}\n";
    };
    const std::string good = R"("timer":"timewait","change":"armed","expires_ms":60000,"retrans":0)";
    const std::string end = R"({"n":2,"t_ns":6,"kind":"end","ok":true,"duration_ns":6,"packets":0,"drops":0})"
                            "\n";
    writeFile(f, header + timerLine(good) + end);
    LoadError err;
    EXPECT_TRUE(loadRun(f, &err)) << "a good timer event loads: " << err.format();
    const std::string badKind = R"("timer":"tw","change":"armed","expires_ms":60000,"retrans":0)";
    EXPECT_EQ(loadError(dir, header + timerLine(badKind) + end),
              f + ":3:50: error: timer event: field \"timer\" is not a timer (off retransmit keepalive timewait "
                  "persist): \"tw\"");
    const std::string stoppedButOn = R"("timer":"timewait","change":"stopped","expires_ms":0,"retrans":0)";
    EXPECT_EQ(loadError(dir, header + timerLine(stoppedButOn) + end),
              f + ":3:69: error: timer event: field \"change\" is \"stopped\" exactly when \"timer\" is \"off\"");
    const std::string negative = R"("timer":"timewait","change":"armed","expires_ms":-1,"retrans":0)";
    EXPECT_NE(loadError(dir, header + timerLine(negative) + end)
                  .find(f + ":3:86: error: timer event: field \"expires_ms\" is out of range: -1"),
              std::string::npos)
        << loadError(dir, header + timerLine(negative) + end);
    const std::string noMove = R"("timer":"timewait","change":"restarted","expires_ms":60000,"retrans":0)";
    EXPECT_EQ(loadError(dir, header + timerLine(noMove) + end),
              f + ":3:1: error: timer event: missing field \"moved_ms\"");
}

TEST(Pcapng, EverySegmentReadsBackWithItsFlagsAndTime)
{
    TempDir dir;
    auto events = handMadeRun();
    // A segment recorded without its header bytes cannot be exported: it is skipped and counted.
    events.insert(events.end() - 1,
                  Event{events.back().n, events.back().tNs,
                        PacketInfo{"", "client.1", "127.0.0.1:5000", "127.0.0.1:40000", kRst, 0, 0, 0, 0, ""}});
    events.back().n += 1;
    const std::string path = dir.file("run.pcapng");
    std::string error;
    PcapngStats stats;
    ASSERT_TRUE(writePcapng(path, events, &error, &stats)) << error;
    EXPECT_EQ(stats.written, packetCount(events) - 1);
    EXPECT_EQ(stats.skipped, 1);
    checkPcapng(events, path);
    const PcapFile f = readPcapng(readFile(path));
    EXPECT_EQ(f.on(0).at(0).comment, "client.1 -> server.1");
    EXPECT_EQ(stats.notes, static_cast<int>(f.on(1).size()));
    // The event frames' comments, as Wireshark's frame.comment shows them, in the order it lists the frames.
    std::vector<std::string> listed;
    for (const auto &p : f.packets)
        listed.push_back((p.interface == 0 ? "segment: " : "") + p.comment);
    const std::vector<std::string> expected{
        "server: socket(v4) = 3",
        "server: bind(3, 127.0.0.1:5000) = 0",
        "server: listen(3, 1) = 0",
        "server.listen: CLOSED -> LISTEN",
        "server: accept(3) <unfinished ...>", // blocked: the client's steps ran before it returned
        "client: socket(v4) = 3",
        "client: connect(3, 127.0.0.1:5000) = 0", // at its entry, before the handshake it caused
        "segment: client.1 -> server.1",
        "client.1: CLOSED -> SYN_SENT",
        "segment: server.1 -> client.1",
        "server.1: LISTEN -> SYN_RECEIVED",
        "segment: client.1 -> server.1",
        "client.1: SYN_SENT -> ESTABLISHED",
        "server.1: SYN_RECEIVED -> ESTABLISHED",
        "server: <... accept resumed> = 4",
        "client: send(3, \"hello\\n\") = 6",
        "segment: client.1 -> server.1",
        "segment: server.1 -> client.1",
        "server: close(4) = 0",
        "segment: server.1 -> client.1",
        "server.1: ESTABLISHED -> CLOSED",
        "client.1: ESTABLISHED -> CLOSED", // the kernel's agreeing snapshot after it is left out
        "client: epoll_wait(3, EPOLLIN, 100) = 1 [EPOLLIN EPOLLERR EPOLLHUP]",
        "client: recv(3, 100) = -1 ECONNRESET (Connection reset by peer)",
        "client: send(3, \"x\") = -1 EPIPE (Broken pipe)",
        "client: --- SIGPIPE ---",
        "CHECK FAILED step 10: expected = 1, got = -1 EPIPE",
        "server.1: kernel says TIME_WAIT, derived CLOSED (CONTRADICTION)",
        // The segment without headers is not in the file.
    };
    EXPECT_EQ(listed, expected);
    // Follow TCP Stream: the payload's bytes are in the file.
    EXPECT_NE(f.on(0).at(3).data.find("hello\n"), std::string::npos);
    if (haveTshark())
        EXPECT_NE(shellOutput("tshark -r '" + path + "' -q -z follow,tcp,ascii,0 2>/dev/null").find("\nhello\n"),
                  std::string::npos);
    EXPECT_FALSE(writePcapng(dir.file("no/such/dir/x.pcapng"), events, &error));
    EXPECT_NE(error.find("cannot create a temporary file"), std::string::npos) << error;
}

TEST(Pcapng, NoPacketsIsAValidEmptyCapture)
{
    TempDir dir;
    std::vector<Event> events{Event{0, 0, RunInfo{}}, Event{1, 5, EndInfo{}}};
    ASSERT_TRUE(writePcapng(dir.file("empty.pcapng"), events, nullptr));
    checkPcapng(events, dir.file("empty.pcapng"));
}

TEST(TextDiagram, MermaidReadsLikeAHandWrittenDiagram)
{
    const auto events = handMadeRun();
    checkDiagramMessages(events);
    // Written by hand from handMadeRun(): a title, a participant per actor naming its sockets, the step's note
    // across the diagram, a RST drawn as an arrow like any segment, sockets named where an actor has two.
    const std::string expected = R"(sequenceDiagram
    title close() with unread data sends RST
    participant p0 as server (server.listen, server.1)
    participant p1 as client (client.1)
    Note over p0: socket(v4) = 3
    Note over p0: bind(3, 127.0.0.1:5000) = 0
    Note over p0: listen(3, 1) = 0
    Note over p0: server.listen: CLOSED → LISTEN
    Note over p0: accept(3) blocks
    Note over p0,p1: The client connects while accept() waits.
    Note over p1: socket(v4) = 3
    Note over p1: connect(3, 127.0.0.1:5000) = 0
    p1->>p0: client.1 → server.1: SYN seq=0
    Note over p1: CLOSED → SYN_SENT
    p0->>p1: server.1 → client.1: SYN ACK seq=0 ack=1
    Note over p0: server.1: LISTEN → SYN_RECEIVED
    p1-->>p0: client.1 → server.1: ACK seq=1 ack=1
    Note over p1: SYN_SENT → ESTABLISHED
    Note over p0: server.1: SYN_RECEIVED → ESTABLISHED
    Note over p0: accept(3) = 4 (after blocking)
    Note over p1: send(3, #34;hello\n#34;) = 6
    p1->>p0: client.1 → server.1: PSH ACK seq=1 ack=1 len=6
    p0-->>p1: server.1 → client.1: ACK seq=1 ack=7
    Note over p0: close(4) = 0
    p0->>p1: server.1 → client.1: RST ACK seq=1 ack=7
    Note over p0: server.1: ESTABLISHED → CLOSED
    Note over p1: ESTABLISHED → CLOSED
    Note over p1: epoll_wait(3, EPOLLIN, 100) = 1 [EPOLLIN EPOLLERR EPOLLHUP]
    Note over p1: recv(3, 100) = -1 ECONNRESET
    Note over p1: send(3, #34;x#34;) = -1 EPIPE
    Note over p1: SIGPIPE (default action would terminate the process)
    Note over p0: server.1: kernel says TIME_WAIT, derived CLOSED (CONTRADICTION)
)";
    EXPECT_EQ(toMermaid(events), expected);
}

TEST(TextDiagram, PlantUmlSaysTheSameInItsSyntax)
{
    const auto events = handMadeRun();
    const std::string p = toPlantUml(events);
    // Line for line the Mermaid diagram above (plus @enduml), in PlantUML's words.
    EXPECT_EQ(countMatches(p, "\n"), countMatches(toMermaid(events), "\n") + 1);
    EXPECT_EQ(p.rfind("@startuml\ntitle close() with unread data sends RST\nparticipant \"server (server.listen, "
                      "server.1)\" as p0\nparticipant \"client (client.1)\" as p1\nnote over p0 : socket(v4) = 3\n",
                      0),
              0u)
        << p;
    for (const char *line :
         {"note over p0, p1 : The client connects while accept() waits.\n",
          "p1 -> p0 : client.1 → server.1: SYN seq=0\n", "p1 --> p0 : client.1 → server.1: ACK seq=1 ack=1\n",
          "note over p0 : accept(3) = 4 (after blocking)\n",
          "note over p1 : send(3, <U+0022>hello<U+005C>n<U+0022>) = 6\n",
          "note over p0 : close(4) = 0\np0 -> p1 : server.1 → client.1: RST ACK seq=1 ack=7\n",
          "note over p1 : ESTABLISHED → CLOSED\n"})
        EXPECT_NE(p.find(line), std::string::npos) << line << p;
    EXPECT_EQ(p.substr(p.size() - 8), "@enduml\n");
    checkPlantUmlSyntax(p);
}

TEST(TextDiagram, TextThatWouldBreakTheSyntaxIsEscaped)
{
    std::vector<Event> events{
        Event{0, 0, SocketInfo{"A.1", "A", "connect", 3, "", ""}},
        Event{1, 1, SyscallInfo{1, 0, "A", "send", 3, "A.1", {{"data", "a;b#c%%d<e>f\"g\\h\n--**//~end", false}}}},
        Event{2, 2, ReturnInfo{1, 27, "", 1, std::nullopt}},
        // An end no socket owns (a RST from a closed port) is a participant of its own, named by its address.
        Event{3, 3, PacketInfo{"", "A.1", "127.0.0.1:5001", "127.0.0.1:40000", kRst | kAck, 0, 1, 0, 0, ""}},
    };
    const std::string m = toMermaid(events);
    EXPECT_NE(
        m.find("    Note over p0: send(3, #34;a#59;b#35;c#37;#37;d#60;e#62;f\\#34;g\\\\h\\n--**//~end#34;) = 27\n"),
        std::string::npos)
        << m;
    EXPECT_EQ(m.find("sequenceDiagram\n    participant p0 as A (A.1)\n    participant p1 as 127.0.0.1:5001\n"), 0u)
        << m;
    EXPECT_NE(m.find("\n    p1->>p0: RST ACK seq=0 ack=1\n"), std::string::npos) << m;
    const std::string p = toPlantUml(events);
    // The log's own escapes (\" \\ \n) come through as literal backslashes; creole markers are split.
    EXPECT_NE(p.find("note over p0 : send(3, <U+0022>a;b#c%%d<e>f<U+005C><U+0022>g<U+005C><U+005C>h<U+005C>n-<U+200B>-*"
                     "<U+200B>*/<U+200B>/<U+007E>end<U+0022>) = 27\n"),
              std::string::npos)
        << p;
    EXPECT_NE(p.find("participant \"A (A.1)\" as p0\nparticipant \"127.0.0.1:5001\" as p1\n"), std::string::npos) << p;
    EXPECT_NE(p.find("\np1 -> p0 : RST ACK seq=0 ack=1\n"), std::string::npos) << p;
    checkDiagramMessages(events);
    checkPlantUmlSyntax(p);
}

#ifndef SOCKSCOPE_FORMATS_STANDALONE
// Every format on real runs of the built-in scenarios, through the real lab.
//
// Golden logs: tests/fixtures/log/NAME.log holds normalizeLog(formatLog(events)) of scenario NAME. After an
// intended change of the log format or of a scenario, regenerate and review them:
//   SOCKSCOPE_UPDATE_GOLDENS=1 BUILD/tests/core_test_formats --gtest_filter='Builtins/RealRun.*'
//   git diff tests/fixtures/log
// A scenario without a golden file is still checked in every other format; give one to scenarios whose log
// does not depend on timing (not simultaneous open/close, not retransmissions).
#include "testsupport.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>

namespace {

std::vector<std::string> builtinNames()
{
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator(SOCKSCOPE_SCENARIO_DIR, ec))
        if (entry.path().extension() == ".scn")
            names.push_back(entry.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::string goldenPath(const std::string &name)
{
    return std::string(SOCKSCOPE_FIXTURES) + "/log/" + name + ".log";
}

// The lab child inherits whatever fds its parent leaks (ctest leaves one open), so socket() returns 3 in one
// environment and 4 in another. Shift fds so the first socket the scenario opens is 3, as in a clean process.
std::vector<Event> canonicalFds(std::vector<Event> events)
{
    std::map<std::int64_t, std::string> calls; // syscall id -> call
    int lowest = -1;
    for (const auto &e : events) {
        if (const auto *c = e.as<SyscallInfo>())
            calls[c->id] = c->call;
        else if (const auto *r = e.as<ReturnInfo>(); r && r->ret >= 0 && calls[r->id] == "socket")
            if (lowest < 0 || r->ret < lowest)
                lowest = static_cast<int>(r->ret);
    }
    const int shift = lowest < 0 ? 0 : lowest - 3;
    for (auto &e : events) {
        if (auto *c = e.as<SyscallInfo>()) {
            if (c->fd >= 0)
                c->fd -= shift;
            for (auto &a : c->args)
                if (a.key == "fd" && a.isNumber)
                    a.value = std::to_string(std::stoll(a.value) - shift);
        } else if (auto *r = e.as<ReturnInfo>();
                   r && r->ret >= 0 && (calls[r->id] == "socket" || calls[r->id] == "accept")) {
            r->ret -= shift;
        } else if (auto *s = e.as<SocketInfo>(); s && s->fd >= 0) {
            s->fd -= shift;
        }
    }
    return events;
}

class RealRun : public ::testing::TestWithParam<std::string>
{
};

} // namespace

TEST_P(RealRun, EveryFormatHoldsTheRun)
{
    const std::string name = GetParam();
    const auto events = sockscope::test::runScenario(sockscope::test::loadBuiltin(name));
    ASSERT_GE(events.size(), 2u);
    ASSERT_EQ(events.front().kind(), EventKind::Run);
    ASSERT_EQ(events.back().kind(), EventKind::End);
    TempDir dir;

    // Run file: event for event the same JSON after a save and a load.
    RunData run{name, sockscope::test::builtinScenarioPath(name), readFile(sockscope::test::builtinScenarioPath(name)),
                events, ""};
    std::string error;
    ASSERT_TRUE(saveRun(dir.file(name + ".sockrun"), run, &error)) << error;
    LoadError loadErr;
    auto loaded = loadRun(dir.file(name + ".sockrun"), &loadErr);
    ASSERT_TRUE(loaded) << loadErr.format();
    EXPECT_EQ(loaded->scenarioSource, run.scenarioSource);
    expectSameEvents(loaded->events, events);

    // pcapng: with capture on every segment carries its headers and reads back with its flags.
    PcapngStats stats;
    ASSERT_TRUE(writePcapng(dir.file(name + ".pcapng"), events, &error, &stats)) << error;
    if (events.front().as<RunInfo>()->capture) {
        EXPECT_EQ(stats.skipped, 0);
        // Scenario data is small: every segment's payload is captured whole, for Follow TCP Stream.
        for (const auto &e : events)
            if (const auto *p = e.as<PacketInfo>(); p && p->len <= 512)
                EXPECT_EQ(p->payload.size(), 2u * p->len) << e.n;
    }
    EXPECT_EQ(stats.written + stats.skipped, packetCount(events));
    checkPcapng(events, dir.file(name + ".pcapng"));

    // Diagrams: one message per segment.
    checkDiagramMessages(events);
    checkPlantUmlSyntax(toPlantUml(events));

    // Log: golden text after masking what changes from run to run.
    const std::string log = normalizeLog(formatLog(canonicalFds(events)));
    EXPECT_NE(log.find("# end: "), std::string::npos);
    const std::string golden = goldenPath(name);
    if (std::getenv("SOCKSCOPE_UPDATE_GOLDENS")) {
        std::filesystem::create_directories(std::filesystem::path(golden).parent_path());
        writeFile(golden, log);
    } else if (std::filesystem::exists(golden)) {
        EXPECT_EQ(log, readFile(golden)) << "regenerate with SOCKSCOPE_UPDATE_GOLDENS=1 if the change is intended";
    } else {
        std::cout << "no golden log for " << name << " (" << golden << ")\n";
    }
}

// A real run's pcapng read back: the calls with their results beside the segments, and the payload in them.
TEST(PcapngOfARealRun, HoldsTheCallsAndThePayload)
{
    const auto events = sockscope::test::runScenario(sockscope::test::loadBuiltin("three-way-handshake"));
    ASSERT_TRUE(events.front().as<RunInfo>()->capture)
        << "capture is off: " << events.front().as<RunInfo>()->captureNote;
    TempDir dir;
    std::string error;
    ASSERT_TRUE(writePcapng(dir.file("hs.pcapng"), events, &error)) << error;
    const PcapFile f = readPcapng(readFile(dir.file("hs.pcapng")));
    ASSERT_EQ(f.error, "");
    std::string comments;
    for (const auto &p : f.packets)
        comments += (p.interface == 0 ? "[segment] " : "") + p.comment + "\n";
    // In the order Wireshark lists them: connect() before its handshake, accept() (which sends nothing) after.
    EXPECT_TRUE(std::regex_search(comments, std::regex(R"(client: connect\(\d+, 127\.0\.0\.1:5000\) = 0
\[segment\] client\.1 -> server\.1
client\.1: CLOSED -> SYN_SENT
server\.1: LISTEN -> SYN_RECEIVED
\[segment\] server\.1 -> client\.1
)"))) << comments;
    EXPECT_TRUE(std::regex_search(comments, std::regex(R"(\nserver: accept\(\d+\) = \d+\n)"))) << comments;
    EXPECT_TRUE(std::regex_search(comments, std::regex(R"(\nclient: send\(\d+, "hello", 5\) = 5\n)"))) << comments;
    EXPECT_TRUE(std::regex_search(comments, std::regex(R"(\nserver: recv\(\d+, 100\) = 5 \[hello\]\n)"))) << comments;
    EXPECT_TRUE(std::regex_search(comments, std::regex(R"(\nserver: recv\(\d+, 100\) = 0\n)"))) << comments;
    EXPECT_TRUE(std::regex_search(comments, std::regex(R"(\nserver\.1: LAST_ACK -> CLOSED\n)"))) << comments;
    // The one segment with data carries it: the bytes after its headers are "hello".
    int withData = 0;
    for (const auto &p : f.on(0))
        if (p.data.size() >= 5 && p.data.compare(p.data.size() - 5, 5, "hello") == 0) {
            ++withData;
            EXPECT_EQ(p.capLen, p.origLen);
        }
    EXPECT_EQ(withData, 1) << comments;
}

INSTANTIATE_TEST_SUITE_P(Builtins, RealRun, ::testing::ValuesIn(builtinNames()),
                         [](const ::testing::TestParamInfo<std::string> &info) {
                             std::string id = info.param;
                             std::replace_if(
                                 id.begin(), id.end(), [](char c) { return !std::isalnum(c); }, '_');
                             return id;
                         });
#endif
