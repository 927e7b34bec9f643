// SPDX-License-Identifier: GPL-3.0-or-later
// toJsonLine(): the writing half of eventjson.h. The lab writes every event through it (a run of 1000 connection
// lifecycles writes ~35,000 lines), so it appends to the line directly instead of building an nlohmann tree and
// dumping it, which cost more than building the events themselves (a perf profile of bench_core_recording). The
// bytes are those nlohmann's dump() of that tree wrote: keys in insertion order, no spaces, integers in decimal, a
// repeated key keeps its first place and its last value, and any string that is not plain printable ASCII is
// escaped by nlohmann itself (control characters, quotes, invalid UTF-8 replaced by U+FFFD).
#include "core/stream/eventjson.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <vector>

namespace sockscope::core {

namespace {

using Json = nlohmann::ordered_json;

void appendString(std::string &out, std::string_view s)
{
    bool plain = true;
    for (unsigned char c : s)
        plain = plain && c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    if (!plain) {
        out += Json(s).dump(-1, ' ', false, Json::error_handler_t::replace);
        return;
    }
    out += '"';
    out += s;
    out += '"';
}

template <typename Int> void appendInt(std::string &out, Int v)
{
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, end);
}

// One JSON object being written; keys are literals of this file (plain ASCII) unless written with dataKey().
class ObjectWriter
{
public:
    explicit ObjectWriter(std::string &out) : m_out(out) { m_out += '{'; }
    ~ObjectWriter() { m_out += '}'; }
    std::string &key(const char *k)
    {
        comma();
        m_out += '"';
        m_out += k;
        m_out += "\":";
        return m_out;
    }
    std::string &dataKey(std::string_view k)
    {
        comma();
        appendString(m_out, k);
        m_out += ':';
        return m_out;
    }
    template <typename Int> void integer(const char *k, Int v) { appendInt(key(k), v); }
    void string(const char *k, std::string_view v) { appendString(key(k), v); }
    void nullableString(const char *k, const std::string &v)
    {
        if (v.empty())
            key(k) += "null";
        else
            string(k, v);
    }
    void boolean(const char *k, bool v) { key(k) += v ? "true" : "false"; }

private:
    void comma()
    {
        if (!m_first)
            m_out += ',';
        m_first = false;
    }
    std::string &m_out;
    bool m_first = true;
};

// A repeated key of an object built from a list: nlohmann keeps the first place and the last value.
template <typename Pair, typename Key> std::vector<const Pair *> lastOfEachKey(const std::vector<Pair> &pairs, Key key)
{
    std::vector<const Pair *> out;
    for (const auto &p : pairs) {
        bool replaced = false;
        for (auto &o : out)
            if (key(*o) == key(p)) {
                o = &p;
                replaced = true;
            }
        if (!replaced)
            out.push_back(&p);
    }
    return out;
}

void putPayload(ObjectWriter &j, const RunInfo &p)
{
    j.integer("version", p.version);
    j.string("scenario", p.scenario);
    j.string("title", p.title);
    j.string("kernel", p.kernel);
    j.string("isolation", p.isolation);
    j.boolean("capture", p.capture);
    if (!p.captureNote.empty())
        j.string("capture_note", p.captureNote);
    j.integer("start_ns", p.startNs);
    if (!p.sysctl.empty()) {
        ObjectWriter settings(j.key("sysctl"));
        for (const auto *s : lastOfEachKey(p.sysctl, [](const auto &kv) { return kv.first; }))
            appendInt(settings.dataKey(s->first), s->second);
    }
}
void putPayload(ObjectWriter &j, const SocketInfo &p)
{
    j.string("sock", p.sock);
    j.string("actor", p.actor);
    j.string("role", p.role);
    j.integer("fd", p.fd);
    j.nullableString("local", p.local);
    j.nullableString("remote", p.remote);
}
void putPayload(ObjectWriter &j, const StepInfo &p)
{
    j.integer("step", p.step);
    j.string("actor", p.actor);
    j.string("text", p.text);
    j.integer("line", p.line);
    if (!p.note.empty())
        j.string("note", p.note);
}
void putPayload(ObjectWriter &j, const SyscallInfo &p)
{
    j.integer("id", p.id);
    j.integer("step", p.step);
    j.string("actor", p.actor);
    j.string("call", p.call);
    j.integer("fd", p.fd);
    j.nullableString("sock", p.sock);
    ObjectWriter args(j.key("args"));
    for (const auto *a : lastOfEachKey(p.args, [](const auto &arg) { return arg.key; })) {
        std::string &out = args.dataKey(a->key);
        if (a->isNumber)
            appendInt(out, std::stoll(a->value));
        else
            appendString(out, a->value);
    }
}
void putPayload(ObjectWriter &j, const ReturnInfo &p)
{
    j.integer("id", p.id);
    j.integer("ret", p.ret);
    j.nullableString("errno", p.err);
    j.integer("dur_ns", p.durNs);
    if (p.data)
        j.string("data", *p.data);
}
void putPayload(ObjectWriter &j, const SignalInfo &p)
{
    j.string("actor", p.actor);
    j.string("signal", p.signal);
    j.integer("during", p.during);
}
void putPayload(ObjectWriter &j, const PacketInfo &p)
{
    j.nullableString("from", p.from);
    j.nullableString("to", p.to);
    j.string("src", p.src);
    j.string("dst", p.dst);
    std::string &flags = j.key("flags");
    flags += '[';
    bool first = true;
    for (const auto &f : flagNames(p.flags)) {
        if (!first)
            flags += ',';
        first = false;
        appendString(flags, f);
    }
    flags += ']';
    j.integer("seq", p.seq);
    j.integer("ack", p.ack);
    j.integer("len", p.len);
    j.integer("win", p.win);
    if (!p.hdr.empty())
        j.string("hdr", p.hdr);
    if (!p.payload.empty())
        j.string("payload", p.payload);
    if (p.dropped)
        j.boolean("dropped", true);
    if (p.retx > 0) {
        j.integer("retx", p.retx);
        j.integer("retx_ns", p.retxNs);
    }
}
void putPayload(ObjectWriter &j, const StateInfo &p)
{
    j.string("sock", p.sock);
    j.string("from", stateName(p.from));
    j.string("to", stateName(p.to));
    j.string("source", p.source == StateSource::Derived ? "derived" : "kernel");
    if (p.cause < 0)
        j.key("cause") += "null";
    else
        j.integer("cause", p.cause);
    if (p.conflict) {
        j.boolean("conflict", true);
        j.string("derived", stateName(p.derived));
    }
}
void putPayload(ObjectWriter &j, const QueueInfo &p)
{
    j.string("sock", p.sock);
    j.integer("recv_q", p.recvQ);
    j.integer("send_q", p.sendQ);
}
void putPayload(ObjectWriter &j, const TimerInfo &p)
{
    j.string("sock", p.sock);
    j.string("timer", timerName(p.timer));
    j.string("change", timerChangeName(p.change));
    j.integer("expires_ms", p.expiresMs);
    j.integer("retrans", p.retrans);
    if (p.change == TimerChange::Restarted)
        j.integer("moved_ms", p.movedMs);
}
void putPayload(ObjectWriter &j, const CheckInfo &p)
{
    j.integer("step", p.step);
    j.string("expected", p.expected);
    j.string("got", p.got);
    j.boolean("ok", p.ok);
}
void putPayload(ObjectWriter &j, const EndInfo &p)
{
    j.boolean("ok", p.ok);
    j.integer("duration_ns", p.durationNs);
    j.integer("packets", p.packets);
    j.integer("drops", p.drops);
    if (!p.error.empty())
        j.string("error", p.error);
}

} // namespace

std::string toJsonLine(const Event &event)
{
    std::string line;
    line.reserve(256);
    {
        ObjectWriter j(line);
        j.integer("n", event.n);
        j.integer("t_ns", event.tNs);
        j.string("kind", kindName(event.kind()));
        std::visit([&j](const auto &p) { putPayload(j, p); }, event.payload);
    }
    return line;
}

} // namespace sockscope::core
