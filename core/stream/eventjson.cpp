// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/stream/eventjson.h"

#include <nlohmann/json.hpp>

namespace sockscope::core {

using Json = nlohmann::ordered_json;

namespace {

Json nullableString(const std::string &s)
{
    return s.empty() ? Json(nullptr) : Json(s);
}

void putPayload(Json &j, const RunInfo &p)
{
    j["version"] = p.version;
    j["scenario"] = p.scenario;
    j["title"] = p.title;
    j["kernel"] = p.kernel;
    j["isolation"] = p.isolation;
    j["capture"] = p.capture;
    if (!p.captureNote.empty())
        j["capture_note"] = p.captureNote;
    j["start_ns"] = p.startNs;
}
void putPayload(Json &j, const SocketInfo &p)
{
    j["sock"] = p.sock;
    j["actor"] = p.actor;
    j["role"] = p.role;
    j["fd"] = p.fd;
    j["local"] = nullableString(p.local);
    j["remote"] = nullableString(p.remote);
}
void putPayload(Json &j, const StepInfo &p)
{
    j["step"] = p.step;
    j["actor"] = p.actor;
    j["text"] = p.text;
    j["line"] = p.line;
    if (!p.note.empty())
        j["note"] = p.note;
}
void putPayload(Json &j, const SyscallInfo &p)
{
    j["id"] = p.id;
    j["step"] = p.step;
    j["actor"] = p.actor;
    j["call"] = p.call;
    j["fd"] = p.fd;
    j["sock"] = nullableString(p.sock);
    Json args = Json::object();
    for (const auto &a : p.args) {
        if (a.isNumber)
            args[a.key] = std::stoll(a.value);
        else
            args[a.key] = a.value;
    }
    j["args"] = std::move(args);
}
void putPayload(Json &j, const ReturnInfo &p)
{
    j["id"] = p.id;
    j["ret"] = p.ret;
    j["errno"] = nullableString(p.err);
    j["dur_ns"] = p.durNs;
    if (p.data)
        j["data"] = *p.data;
}
void putPayload(Json &j, const SignalInfo &p)
{
    j["actor"] = p.actor;
    j["signal"] = p.signal;
    j["during"] = p.during;
}
void putPayload(Json &j, const PacketInfo &p)
{
    j["from"] = nullableString(p.from);
    j["to"] = nullableString(p.to);
    j["src"] = p.src;
    j["dst"] = p.dst;
    j["flags"] = flagNames(p.flags);
    j["seq"] = p.seq;
    j["ack"] = p.ack;
    j["len"] = p.len;
    j["win"] = p.win;
    if (!p.hdr.empty())
        j["hdr"] = p.hdr;
}
void putPayload(Json &j, const StateInfo &p)
{
    j["sock"] = p.sock;
    j["from"] = stateName(p.from);
    j["to"] = stateName(p.to);
    j["source"] = p.source == StateSource::Derived ? "derived" : "kernel";
    j["cause"] = p.cause < 0 ? Json(nullptr) : Json(p.cause);
    if (p.conflict) {
        j["conflict"] = true;
        j["derived"] = stateName(p.derived);
    }
}
void putPayload(Json &j, const QueueInfo &p)
{
    j["sock"] = p.sock;
    j["recv_q"] = p.recvQ;
    j["send_q"] = p.sendQ;
}
void putPayload(Json &j, const CheckInfo &p)
{
    j["step"] = p.step;
    j["expected"] = p.expected;
    j["got"] = p.got;
    j["ok"] = p.ok;
}
void putPayload(Json &j, const EndInfo &p)
{
    j["ok"] = p.ok;
    j["duration_ns"] = p.durationNs;
    j["packets"] = p.packets;
    j["drops"] = p.drops;
    if (!p.error.empty())
        j["error"] = p.error;
}

// Reading: a missing or mistyped field is an error naming the field.
struct Reader
{
    const Json &j;
    std::string error;

    const Json *field(const char *name)
    {
        auto it = j.find(name);
        if (it == j.end()) {
            if (error.empty())
                error = std::string("missing field \"") + name + "\"";
            return nullptr;
        }
        return &*it;
    }
    std::string str(const char *name, bool nullable = false)
    {
        const Json *f = field(name);
        if (!f)
            return {};
        if (f->is_string())
            return f->get<std::string>();
        if (nullable && f->is_null())
            return {};
        if (error.empty())
            error = std::string("field \"") + name + "\" must be a string";
        return {};
    }
    std::string optStr(const char *name)
    {
        auto it = j.find(name);
        return (it != j.end() && it->is_string()) ? it->get<std::string>() : std::string();
    }
    std::int64_t num(const char *name, bool nullable = false, std::int64_t dflt = -1)
    {
        const Json *f = field(name);
        if (!f)
            return dflt;
        if (f->is_number_integer())
            return f->get<std::int64_t>();
        if (nullable && f->is_null())
            return dflt;
        if (error.empty())
            error = std::string("field \"") + name + "\" must be an integer";
        return dflt;
    }
    bool boolean(const char *name)
    {
        const Json *f = field(name);
        if (f && f->is_boolean())
            return f->get<bool>();
        if (f && error.empty())
            error = std::string("field \"") + name + "\" must be true or false";
        return false;
    }
    TcpState state(const char *name)
    {
        std::string s = str(name);
        if (auto st = stateFromName(s))
            return *st;
        if (error.empty())
            error = std::string("field \"") + name + "\" is not a TCP state: \"" + s + "\"";
        return TcpState::Closed;
    }
};

EventPayload readPayload(EventKind kind, Reader &r)
{
    switch (kind) {
    case EventKind::Run:
        return RunInfo{static_cast<int>(r.num("version")),
                       r.str("scenario"),
                       r.str("title"),
                       r.str("kernel"),
                       r.str("isolation"),
                       r.boolean("capture"),
                       r.optStr("capture_note"),
                       r.j.contains("start_ns") ? r.num("start_ns") : 0};
    case EventKind::Socket:
        return SocketInfo{r.str("sock"),        r.str("actor"),       r.str("role"), static_cast<int>(r.num("fd")),
                          r.str("local", true), r.str("remote", true)};
    case EventKind::Step:
        return StepInfo{static_cast<int>(r.num("step")), r.str("actor"), r.str("text"), static_cast<int>(r.num("line")),
                        r.optStr("note")};
    case EventKind::Syscall: {
        SyscallInfo s{r.num("id"),
                      static_cast<int>(r.num("step")),
                      r.str("actor"),
                      r.str("call"),
                      static_cast<int>(r.num("fd", true)),
                      r.str("sock", true),
                      {}};
        if (const Json *args = r.field("args"); args && args->is_object()) {
            for (auto it = args->begin(); it != args->end(); ++it) {
                if (it->is_number_integer())
                    s.args.push_back({it.key(), std::to_string(it->get<std::int64_t>()), true});
                else if (it->is_string())
                    s.args.push_back({it.key(), it->get<std::string>(), false});
                else
                    s.args.push_back({it.key(), it->dump(), false});
            }
        } else if (args && r.error.empty()) {
            r.error = "field \"args\" must be an object";
        }
        return s;
    }
    case EventKind::Return: {
        ReturnInfo ret{r.num("id"), r.num("ret"), r.str("errno", true), r.num("dur_ns"), std::nullopt};
        if (auto it = r.j.find("data"); it != r.j.end() && it->is_string())
            ret.data = it->get<std::string>();
        return ret;
    }
    case EventKind::Signal:
        return SignalInfo{r.str("actor"), r.str("signal"), r.num("during")};
    case EventKind::Packet: {
        PacketInfo p{r.str("from", true),
                     r.str("to", true),
                     r.str("src"),
                     r.str("dst"),
                     0,
                     static_cast<std::uint32_t>(r.num("seq")),
                     static_cast<std::uint32_t>(r.num("ack")),
                     static_cast<std::uint32_t>(r.num("len")),
                     static_cast<std::uint32_t>(r.num("win")),
                     r.optStr("hdr")};
        if (const Json *flags = r.field("flags"); flags && flags->is_array()) {
            for (const auto &f : *flags) {
                auto bit = f.is_string() ? flagFromName(f.get<std::string>()) : std::nullopt;
                if (!bit) {
                    if (r.error.empty())
                        r.error = "unknown TCP flag " + f.dump();
                    continue;
                }
                p.flags |= *bit;
            }
        } else if (flags && r.error.empty()) {
            r.error = "field \"flags\" must be a list";
        }
        return p;
    }
    case EventKind::State: {
        StateInfo s{r.str("sock"),        r.state("from"), r.state("to"),   StateSource::Derived,
                    r.num("cause", true), false,           TcpState::Closed};
        std::string source = r.str("source");
        if (source == "kernel")
            s.source = StateSource::Kernel;
        else if (source != "derived" && r.error.empty())
            r.error = "field \"source\" must be \"derived\" or \"kernel\"";
        if (auto it = r.j.find("conflict"); it != r.j.end() && it->is_boolean() && it->get<bool>()) {
            s.conflict = true;
            s.derived = r.state("derived");
        }
        return s;
    }
    case EventKind::Queue:
        return QueueInfo{r.str("sock"), r.num("recv_q"), r.num("send_q")};
    case EventKind::Check:
        return CheckInfo{static_cast<int>(r.num("step")), r.str("expected"), r.str("got"), r.boolean("ok")};
    case EventKind::End:
        return EndInfo{r.boolean("ok"), r.num("duration_ns"), r.num("packets"), r.num("drops"), r.optStr("error")};
    }
    return RunInfo{};
}

} // namespace

std::string toJsonLine(const Event &event)
{
    Json j;
    j["n"] = event.n;
    j["t_ns"] = event.tNs;
    j["kind"] = kindName(event.kind());
    std::visit([&j](const auto &p) { putPayload(j, p); }, event.payload);
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

JsonLineResult fromJsonLine(std::string_view line)
{
    JsonLineResult out;
    Json j = Json::parse(line.begin(), line.end(), nullptr, false);
    if (j.is_discarded()) {
        // Re-parse with exceptions to learn the column nlohmann stopped at.
        try {
            (void)Json::parse(line.begin(), line.end());
        } catch (const Json::parse_error &e) {
            out.column = static_cast<int>(e.byte);
            std::string what = e.what();
            auto pos = what.find("syntax error");
            out.error = "invalid JSON: " + (pos == std::string::npos ? what : what.substr(pos));
            return out;
        }
        out.error = "invalid JSON";
        return out;
    }
    if (!j.is_object()) {
        out.error = "an event must be a JSON object";
        out.column = 1;
        return out;
    }
    Reader r{j, {}};
    std::int64_t n = r.num("n");
    std::int64_t t = r.num("t_ns");
    std::string kindText = r.str("kind");
    auto kind = kindFromName(kindText);
    if (!r.error.empty() || !kind) {
        out.error = r.error.empty() ? "unknown event kind \"" + kindText + "\"" : r.error;
        return out;
    }
    EventPayload payload = readPayload(*kind, r);
    if (!r.error.empty()) {
        out.error = std::string(kindName(*kind)) + " event: " + r.error;
        return out;
    }
    out.event = Event{n, t, std::move(payload)};
    return out;
}

} // namespace sockscope::core
