// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/io/textdiagram.h"

#include "core/stream/eventtext.h"

#include <map>
#include <optional>

namespace sockscope::core {

namespace {

// The diagram once, independent of the syntax it is written in.
struct Participant
{
    std::string name;                 // the actor, or an address for an end no socket owns
    std::vector<std::string> sockets; // the actor's sockets, in order of first appearance
};

struct Item
{
    enum class Kind
    {
        Message,  // a segment from -> to
        Note,     // a call, a state change or a signal, over `from`
        Narration // the scenario's own note of a step, over every participant
    };
    Kind kind = Kind::Note;
    int from = 0;
    int to = 0;
    bool dashed = false; // pure ACKs
    bool lost = false;   // dropped on the wire: an arrow ending in a cross
    std::string text;
};

struct Diagram
{
    std::string title;
    std::vector<Participant> participants;
    std::vector<Item> items;
};

class DiagramBuilder
{
public:
    explicit DiagramBuilder(const std::vector<Event> &events) : m_events(events) {}

    Diagram build()
    {
        indexSteps();
        // Actors and their sockets first, so the participants read in the scenario's order.
        for (const auto &e : m_events) {
            if (const auto *r = e.as<RunInfo>())
                m_diagram.title = r->title.empty() ? r->scenario : r->title;
            else if (const auto *s = e.as<SocketInfo>())
                socketParticipant(s->sock, s->actor);
            else if (const auto *c = e.as<SyscallInfo>())
                actor(c->actor);
        }
        std::map<std::int64_t, std::size_t> returns; // syscall id -> index of its return
        for (std::size_t i = 0; i < m_events.size(); ++i)
            if (const auto *r = m_events[i].as<ReturnInfo>())
                returns[r->id] = i;

        std::map<std::int64_t, std::pair<int, std::string>> blocked; // id -> participant, call text
        std::map<std::int64_t, int> callOwner;                       // id -> participant, for signals
        for (std::size_t i = 0; i < m_events.size(); ++i) {
            const Event &e = m_events[i];
            if (const auto *st = e.as<StepInfo>()) {
                if (!st->note.empty())
                    add(Item::Kind::Narration, actor(st->actor), st->note);
            } else if (const auto *c = e.as<SyscallInfo>()) {
                const int p = actor(c->actor);
                callOwner[c->id] = p;
                auto ret = returns.find(c->id);
                if (ret != returns.end() && !stepBetween(i, ret->second)) {
                    add(Item::Kind::Note, p,
                        callText(*c) + " " + resultText(*m_events[ret->second].as<ReturnInfo>(), ErrnoText::Hide));
                } else {
                    add(Item::Kind::Note, p, callText(*c) + " blocks");
                    blocked[c->id] = {p, callText(*c)};
                }
            } else if (const auto *r = e.as<ReturnInfo>()) {
                if (auto b = blocked.find(r->id); b != blocked.end())
                    add(Item::Kind::Note, b->second.first,
                        b->second.second + " " + resultText(*r, ErrnoText::Hide) + " (after blocking)");
            } else if (const auto *pk = e.as<PacketInfo>()) {
                message(*pk);
            } else if (const auto *state = e.as<StateInfo>()) {
                // Arrows would be read as syntax by both languages; U+2192 is plain text to them.
                const int p = socketParticipant(state->sock, "");
                if (state->source == StateSource::Derived)
                    add(Item::Kind::Note, p,
                        socketPrefix(p, state->sock) + std::string(stateName(state->from)) + " \u2192 " +
                            std::string(stateName(state->to)));
                else if (state->conflict)
                    add(Item::Kind::Note, p,
                        socketPrefix(p, state->sock) + "kernel says " + std::string(stateName(state->to)) +
                            ", derived " + std::string(stateName(state->derived)) + " (CONTRADICTION)");
            } else if (const auto *sg = e.as<SignalInfo>()) {
                auto owner = callOwner.find(sg->during);
                const int p = owner != callOwner.end() ? owner->second : actor(sg->actor);
                add(Item::Kind::Note, p,
                    sg->signal + (sg->signal == "SIGPIPE" ? " (default action would terminate the process)" : ""));
            }
        }
        return std::move(m_diagram);
    }

private:
    // A RST is drawn as delivered, like every segment the capture saw arrive: its flags say what it is.
    void message(const PacketInfo &pk)
    {
        const std::string from = pk.from.empty() ? pk.src : pk.from, to = pk.to.empty() ? pk.dst : pk.to;
        Item item;
        item.kind = Item::Kind::Message;
        item.from = socketParticipant(from, "");
        item.to = socketParticipant(to, "");
        item.dashed = isPureAck(pk);
        item.lost = pk.dropped;
        // Which socket, only where the participant alone does not say (an actor with several sockets).
        const bool ambiguous = m_diagram.participants[static_cast<std::size_t>(item.from)].sockets.size() > 1 ||
                               m_diagram.participants[static_cast<std::size_t>(item.to)].sockets.size() > 1;
        item.text = (ambiguous ? from + " \u2192 " + to + ": " : "") + segmentText(pk);
        m_diagram.items.push_back(std::move(item));
    }

    std::string socketPrefix(int p, const std::string &sock) const
    {
        return m_diagram.participants[static_cast<std::size_t>(p)].sockets.size() > 1 ? sock + ": " : "";
    }

    int actor(const std::string &name)
    {
        if (auto it = m_index.find(name); it != m_index.end())
            return it->second;
        m_diagram.participants.push_back({name, {}});
        return m_index[name] = static_cast<int>(m_diagram.participants.size()) - 1;
    }

    // The actor a socket belongs to gets it in its list; an end no actor owns is a participant of its own.
    int socketParticipant(const std::string &sock, const std::string &actorName)
    {
        if (auto it = m_socketOwner.find(sock); it != m_socketOwner.end())
            return it->second;
        std::string owner = actorName;
        // A socket seen only in packets or states still belongs to the actor its stable name starts with.
        // Of the actors the name starts with (followed by a dot), the last to appear; looked up per dot in the
        // name, not per actor.
        if (owner.empty()) {
            int latest = -1;
            for (auto dot = sock.find('.'); dot != std::string::npos; dot = sock.find('.', dot + 1))
                if (auto it = m_index.find(sock.substr(0, dot)); it != m_index.end() && it->second > latest)
                    latest = it->second;
            if (latest >= 0)
                owner = m_diagram.participants[static_cast<std::size_t>(latest)].name;
        }
        if (owner.empty())
            return m_socketOwner[sock] = actor(sock);
        const int p = actor(owner);
        m_diagram.participants[static_cast<std::size_t>(p)].sockets.push_back(sock);
        return m_socketOwner[sock] = p;
    }

    // The scheduler moved on (a step event) before the call returned: it blocked.
    bool stepBetween(std::size_t a, std::size_t b) const
    {
        return b > a + 1 && m_stepsBefore[b] > m_stepsBefore[a + 1];
    }

    // One pass instead of a scan per call (forged runs made it quadratic): step events before each index.
    void indexSteps()
    {
        m_stepsBefore.assign(m_events.size() + 1, 0);
        for (std::size_t i = 0; i < m_events.size(); ++i)
            m_stepsBefore[i + 1] = m_stepsBefore[i] + (m_events[i].kind() == EventKind::Step ? 1 : 0);
    }

    void add(Item::Kind kind, int p, std::string text)
    {
        Item item;
        item.kind = kind;
        item.from = item.to = p;
        item.text = std::move(text);
        m_diagram.items.push_back(std::move(item));
    }

    const std::vector<Event> &m_events;
    Diagram m_diagram;
    std::map<std::string, int> m_index;       // actor (or unowned address) -> participant
    std::map<std::string, int> m_socketOwner; // socket name -> participant
    std::vector<int> m_stepsBefore;           // [i]: step events before event i
};

// "client (client.1)", "server (server.listen, server.1)": each actor with the sockets it had.
std::string participantLabel(const Participant &p)
{
    if (p.sockets.empty())
        return p.name;
    std::string out = p.name + " (";
    for (std::size_t i = 0; i < p.sockets.size(); ++i)
        out += (i ? ", " : "") + p.sockets[i];
    return out + ")";
}

std::string replaceAll(std::string s, const std::string &what, const std::string &with)
{
    for (std::size_t pos = 0; (pos = s.find(what, pos)) != std::string::npos; pos += with.size())
        s.replace(pos, what.size(), with);
    return s;
}

// Mermaid reads '#' entity codes, ';' ends a statement, "%%" starts a comment and '<' '>' are HTML.
std::string mermaidText(const std::string &s)
{
    std::string out;
    for (char c : s) {
        switch (c) {
        case '#':
            out += "#35;";
            break;
        case ';':
            out += "#59;";
            break;
        case '%':
            out += "#37;";
            break;
        case '<':
            out += "#60;";
            break;
        case '>':
            out += "#62;";
            break;
        case '"':
            out += "#34;";
            break;
        case '\n':
            out += "<br/>";
            break;
        default:
            out += c;
        }
    }
    return out;
}

// PlantUML turns "\n" into a line break and '~' escapes creole markup; Unicode escapes keep both literal.
std::string plantText(const std::string &s)
{
    std::string out;
    for (char c : s) {
        switch (c) {
        case '\\':
            out += "<U+005C>";
            break;
        case '~':
            out += "<U+007E>";
            break;
        case '"':
            out += "<U+0022>";
            break;
        case '\n':
            out += "\\n";
            break;
        default:
            out += c;
        }
    }
    // Creole markup that could appear in payload text.
    for (const char *m : {"**", "//", "__", "--", "\"\"", "~~"})
        out = replaceAll(out, m, std::string(1, m[0]) + "<U+200B>" + m[1]);
    return out;
}

} // namespace

std::string toMermaid(const std::vector<Event> &events)
{
    const Diagram d = DiagramBuilder(events).build();
    auto pid = [](int i) { return "p" + std::to_string(i); };
    std::string out = "sequenceDiagram\n";
    if (!d.title.empty()) // the title statement ends at '#' or ';', and its text is not entity-decoded
        out += "    title " + mermaidText(replaceAll(replaceAll(d.title, "#", " "), ";", ",")) + "\n";
    for (std::size_t i = 0; i < d.participants.size(); ++i)
        out += "    participant " + pid(static_cast<int>(i)) + " as " +
               mermaidText(participantLabel(d.participants[i])) + "\n";
    const std::string everyone =
        d.participants.size() > 1 ? pid(0) + "," + pid(static_cast<int>(d.participants.size()) - 1) : pid(0);
    for (const auto &item : d.items) {
        switch (item.kind) {
        case Item::Kind::Narration:
            out += "    Note over " + everyone + ": " + mermaidText(item.text) + "\n";
            break;
        case Item::Kind::Note:
            out += "    Note over " + pid(item.from) + ": " + mermaidText(item.text) + "\n";
            break;
        case Item::Kind::Message:
            out += "    " + pid(item.from) +
                   (item.lost ? (item.dashed ? "--x" : "-x") : (item.dashed ? "-->>" : "->>")) + pid(item.to) + ": " +
                   mermaidText(item.text) + "\n";
            break;
        }
    }
    return out;
}

std::string toPlantUml(const std::vector<Event> &events)
{
    const Diagram d = DiagramBuilder(events).build();
    auto pid = [](int i) { return "p" + std::to_string(i); };
    std::string out = "@startuml\n";
    if (!d.title.empty())
        out += "title " + plantText(d.title) + "\n";
    for (std::size_t i = 0; i < d.participants.size(); ++i)
        out += "participant \"" + plantText(participantLabel(d.participants[i])) + "\" as " + pid(static_cast<int>(i)) +
               "\n";
    const std::string everyone =
        d.participants.size() > 1 ? pid(0) + ", " + pid(static_cast<int>(d.participants.size()) - 1) : pid(0);
    for (const auto &item : d.items) {
        switch (item.kind) {
        case Item::Kind::Narration:
            out += "note over " + everyone + " : " + plantText(item.text) + "\n";
            break;
        case Item::Kind::Note:
            out += "note over " + pid(item.from) + " : " + plantText(item.text) + "\n";
            break;
        case Item::Kind::Message:
            out += pid(item.from) + (item.dashed ? " --" : " -") + (item.lost ? ">x " : "> ") + pid(item.to) + " : " +
                   plantText(item.text) + "\n";
            break;
        }
    }
    out += "@enduml\n";
    return out;
}

} // namespace sockscope::core
