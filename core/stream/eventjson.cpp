// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/stream/eventjson.h"

#include "core/stream/eventlimits.h"
#include "core/stream/jsonline.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <limits>

namespace sockscope::core {

using Json = nlohmann::ordered_json;

namespace {

// Reading: a missing, mistyped or out-of-range field is an error naming the field, with the column of its key.
struct Reader
{
    const Json &j;
    std::string_view line;
    std::string error;
    int column = 0;

    void setError(const char *name, std::string message)
    {
        if (!error.empty())
            return;
        error = std::move(message);
        column = columnOfKey(line, name);
    }
    const Json *field(const char *name)
    {
        auto it = j.find(name);
        if (it == j.end()) {
            if (error.empty()) {
                error = std::string("missing field \"") + name + "\"";
                column = 1;
            }
            return nullptr;
        }
        return &*it;
    }
    std::string checkedString(const char *name, const Json &f, std::size_t maxBytes)
    {
        const auto &s = f.get_ref<const std::string &>();
        if (s.size() <= maxBytes)
            return s;
        setError(name, std::string("field \"") + name + "\" is too long (" + std::to_string(s.size()) +
                           " bytes, at most " + std::to_string(maxBytes) + ")");
        return {};
    }
    std::string str(const char *name, bool nullable = false, std::size_t maxBytes = kMaxFieldBytes)
    {
        const Json *f = field(name);
        if (!f)
            return {};
        if (f->is_string())
            return checkedString(name, *f, maxBytes);
        if (nullable && f->is_null())
            return {};
        setError(name, std::string("field \"") + name + "\" must be a string");
        return {};
    }
    // Socket and actor names: short, and only the characters the lab gives them (letters, digits, _ . : -).
    std::string name(const char *key, bool nullable = false)
    {
        std::string s = str(key, nullable, kMaxNameBytes);
        for (unsigned char c : s)
            if (!(std::isalnum(c) || c == '_' || c == '.' || c == ':' || c == '-')) {
                setError(key, std::string("field \"") + key + "\" is not a socket or actor name");
                return {};
            }
        if (s.empty() && !nullable && error.empty())
            setError(key, std::string("field \"") + key + "\" must not be empty");
        return s;
    }
    std::string optStr(const char *name, std::size_t maxBytes = kMaxFieldBytes)
    {
        auto it = j.find(name);
        if (it == j.end() || it->is_null())
            return {};
        if (!it->is_string()) {
            setError(name, std::string("field \"") + name + "\" must be a string");
            return {};
        }
        return checkedString(name, *it, maxBytes);
    }
    std::int64_t num(const char *name, std::int64_t min, std::int64_t max, bool nullable = false,
                     std::int64_t dflt = -1)
    {
        const Json *f = field(name);
        if (!f)
            return dflt;
        if (nullable && f->is_null())
            return dflt;
        if (!f->is_number_integer()) {
            setError(name, std::string("field \"") + name + "\" must be an integer");
            return dflt;
        }
        // An unsigned value above INT64_MAX would wrap to a negative one.
        const bool inRange = f->is_number_unsigned() ? f->get<std::uint64_t>() <= static_cast<std::uint64_t>(max)
                                                     : f->get<std::int64_t>() >= min && f->get<std::int64_t>() <= max;
        if (!inRange) {
            setError(name, std::string("field \"") + name + "\" is out of range: " + f->dump() + " (allowed " +
                               std::to_string(min) + " to " + std::to_string(max) + ")");
            return dflt;
        }
        return f->get<std::int64_t>();
    }
    int small(const char *name, std::int64_t min, std::int64_t max, bool nullable = false)
    {
        return static_cast<int>(num(name, min, max, nullable));
    }
    std::int64_t count(const char *name) { return num(name, 0, std::numeric_limits<std::int64_t>::max()); }
    // An optional object of kernel setting names to integers ("sysctl" of the run event).
    std::vector<std::pair<std::string, std::int64_t>> settings(const char *name)
    {
        constexpr std::size_t kMaxSettings = 64;
        std::vector<std::pair<std::string, std::int64_t>> out;
        auto it = j.find(name);
        if (it == j.end() || it->is_null())
            return out;
        if (!it->is_object() || it->size() > kMaxSettings) {
            setError(name, std::string("field \"") + name + "\" must be an object of at most " +
                               std::to_string(kMaxSettings) + " settings");
            return out;
        }
        for (const auto &[key, value] : it->items()) {
            if (key.size() > kMaxNameBytes || !value.is_number_integer()) {
                setError(name, std::string("field \"") + name + "\" must map setting names to integers");
                return {};
            }
            out.emplace_back(key, value.get<std::int64_t>());
        }
        return out;
    }
    std::uint32_t u32(const char *name) { return static_cast<std::uint32_t>(num(name, 0, 0xffffffffLL)); }
    bool boolean(const char *name)
    {
        const Json *f = field(name);
        if (f && f->is_boolean())
            return f->get<bool>();
        if (f)
            setError(name, std::string("field \"") + name + "\" must be true or false");
        return false;
    }
    // A word of a fixed vocabulary (timer kinds and changes), by its name-lookup function.
    template <typename Enum, typename Lookup> Enum word(const char *name, Lookup lookup, const char *what)
    {
        std::string s = str(name, false, kMaxNameBytes);
        if (auto v = lookup(s))
            return *v;
        if (error.empty())
            setError(name, std::string("field \"") + name + "\" is not " + what + ": \"" + s + "\"");
        return Enum{};
    }
    TcpState state(const char *name)
    {
        std::string s = str(name);
        if (auto st = stateFromName(s))
            return *st;
        if (error.empty())
            setError(name, std::string("field \"") + name + "\" is not a TCP state: \"" + s + "\"");
        return TcpState::Closed;
    }
};

constexpr std::int64_t kAnyId = std::numeric_limits<std::int64_t>::max();
// start_ns + t_ns must never overflow.
constexpr std::int64_t kMaxStartNs = std::numeric_limits<std::int64_t>::max() - kMaxTimeNs;

EventPayload readPayload(EventKind kind, Reader &r)
{
    switch (kind) {
    case EventKind::Run:
        return RunInfo{r.small("version", 1, 1'000'000),
                       r.str("scenario"),
                       r.str("title"),
                       r.str("kernel"),
                       r.str("isolation"),
                       r.boolean("capture"),
                       r.optStr("capture_note"),
                       r.j.contains("start_ns") ? r.num("start_ns", 0, kMaxStartNs) : 0,
                       r.settings("sysctl")};
    case EventKind::Socket:
        return SocketInfo{r.name("sock"),       r.name("actor"),      r.str("role"), r.small("fd", -1, kMaxFd),
                          r.str("local", true), r.str("remote", true)};
    case EventKind::Step:
        return StepInfo{r.small("step", 0, kMaxSteps - 1), r.name("actor"), r.str("text"),
                        r.small("line", 0, kMaxScenarioLine), r.optStr("note")};
    case EventKind::Syscall: {
        SyscallInfo s{r.num("id", 0, kAnyId),
                      r.small("step", -1, kMaxSteps - 1),
                      r.name("actor"),
                      r.str("call", false, kMaxNameBytes),
                      r.small("fd", -1, kMaxFd, true),
                      r.name("sock", true),
                      {}};
        if (const Json *args = r.field("args"); args && args->is_object()) {
            if (args->size() > kMaxArgs)
                r.setError("args", "field \"args\" has more than " + std::to_string(kMaxArgs) + " entries");
            for (auto it = args->begin(); it != args->end() && r.error.empty(); ++it) {
                if (it.key().size() > kMaxNameBytes)
                    r.setError("args", "an argument name in \"args\" is too long");
                else if (it->is_number_integer() && !it->is_number_unsigned())
                    s.args.push_back({it.key(), std::to_string(it->get<std::int64_t>()), true});
                else if (it->is_number_unsigned() && it->get<std::uint64_t>() <= static_cast<std::uint64_t>(kAnyId))
                    s.args.push_back({it.key(), std::to_string(it->get<std::int64_t>()), true});
                else if (it->is_string())
                    s.args.push_back({it.key(), r.checkedString("args", *it, kMaxFieldBytes), false});
                else
                    r.setError("args", "argument \"" + it.key() + "\" must be an integer or a string");
            }
        } else if (args) {
            r.setError("args", "field \"args\" must be an object");
        }
        return s;
    }
    case EventKind::Return:
        return ReturnInfo{r.num("id", 0, kAnyId), r.num("ret", std::numeric_limits<std::int64_t>::min(), kAnyId),
                          r.str("errno", true, kMaxNameBytes), r.num("dur_ns", 0, kMaxTimeNs),
                          r.j.contains("data") ? std::optional<std::string>(r.optStr("data", kMaxJsonLineBytes))
                                               : std::nullopt};
    case EventKind::Signal:
        return SignalInfo{r.name("actor"), r.str("signal", false, kMaxNameBytes), r.num("during", -1, kAnyId)};
    case EventKind::Packet: {
        PacketInfo p{r.name("from", true),
                     r.name("to", true),
                     r.str("src", false, kMaxNameBytes),
                     r.str("dst", false, kMaxNameBytes),
                     0,
                     r.u32("seq"),
                     r.u32("ack"),
                     r.u32("len"),
                     r.u32("win"),
                     r.optStr("hdr"),
                     r.optStr("payload")};
        if (const Json *flags = r.field("flags"); flags && flags->is_array()) {
            for (const auto &f : *flags) {
                auto bit = f.is_string() ? flagFromName(f.get<std::string>()) : std::nullopt;
                if (!bit) {
                    r.setError("flags", "unknown TCP flag " + f.dump().substr(0, kMaxNameBytes));
                    break;
                }
                p.flags |= *bit;
            }
        } else if (flags) {
            r.setError("flags", "field \"flags\" must be a list");
        }
        if (auto it = r.j.find("dropped"); it != r.j.end() && it->is_boolean())
            p.dropped = it->get<bool>();
        if (r.j.contains("retx")) {
            p.retx = static_cast<int>(r.num("retx", 1, 1000000));
            p.retxNs = r.num("retx_ns", 0, kMaxTimeNs);
        }
        return p;
    }
    case EventKind::State: {
        StateInfo s{
            r.name("sock"), r.state("from"), r.state("to"), StateSource::Derived, r.num("cause", -1, kAnyId, true),
            false,          TcpState::Closed};
        std::string source = r.str("source");
        if (source == "kernel")
            s.source = StateSource::Kernel;
        else if (source != "derived")
            r.setError("source", "field \"source\" must be \"derived\" or \"kernel\"");
        if (auto it = r.j.find("conflict"); it != r.j.end() && it->is_boolean() && it->get<bool>()) {
            s.conflict = true;
            s.derived = r.state("derived");
        }
        return s;
    }
    case EventKind::Queue:
        return QueueInfo{r.name("sock"), r.count("recv_q"), r.count("send_q")};
    case EventKind::Timer: {
        TimerInfo t{
            r.name("sock"),
            r.word<TimerKind>("timer", timerFromName, "a timer (off retransmit keepalive timewait persist)"),
            r.word<TimerChange>("change", timerChangeFromName, "a timer change (armed stopped restarted backoff)"),
            r.num("expires_ms", 0, kMaxTimeNs / 1000000),
            r.num("retrans", 0, 0xffffffffLL),
            0};
        if (t.change == TimerChange::Restarted)
            t.movedMs = r.num("moved_ms", 0, kMaxTimeNs / 1000000);
        if ((t.change == TimerChange::Stopped) != (t.timer == TimerKind::Off))
            r.setError("change", "field \"change\" is \"stopped\" exactly when \"timer\" is \"off\"");
        return t;
    }
    case EventKind::Check:
        return CheckInfo{r.small("step", 0, kMaxSteps - 1), r.str("expected"), r.str("got"), r.boolean("ok")};
    case EventKind::End:
        return EndInfo{r.boolean("ok"), r.num("duration_ns", 0, kMaxTimeNs), r.count("packets"), r.count("drops"),
                       r.optStr("error")};
    }
    return RunInfo{};
}

} // namespace

JsonLineResult fromJsonLine(std::string_view line)
{
    JsonLineResult out;
    JsonLineError parseError;
    std::optional<Json> parsed = parseJsonLine(line, &parseError);
    if (!parsed) {
        out.error = std::move(parseError.message);
        out.column = parseError.column;
        return out;
    }
    const Json &j = *parsed;
    if (!j.is_object()) {
        out.error = "an event must be a JSON object";
        out.column = 1;
        return out;
    }
    // The checks above keep nlohmann's accessors from throwing; this is the last line of defence.
    try {
        Reader r{j, line, {}, 0};
        std::int64_t n = r.num("n", 0, kMaxEvents * 1024);
        std::int64_t t = r.num("t_ns", 0, kMaxTimeNs);
        std::string kindText = r.str("kind", false, kMaxNameBytes);
        auto kind = kindFromName(kindText);
        if (!r.error.empty() || !kind) {
            out.error = r.error.empty() ? "unknown event kind \"" + kindText + "\"" : r.error;
            out.column = r.error.empty() ? columnOfKey(line, "kind") : r.column;
            return out;
        }
        EventPayload payload = readPayload(*kind, r);
        if (!r.error.empty()) {
            out.error = std::string(kindName(*kind)) + " event: " + r.error;
            out.column = r.column;
            return out;
        }
        out.event = Event{n, t, std::move(payload)};
    } catch (const std::exception &e) {
        out.error = std::string("unreadable event: ") + e.what();
        out.column = 1;
    }
    return out;
}

} // namespace sockscope::core
