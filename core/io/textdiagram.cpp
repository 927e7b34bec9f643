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
    std::string name;  // socket name, or an address for an end no socket owns
    std::string actor; // "" when unknown: drawn outside the boxes
};

struct Item
{
    enum class Arrow
    {
        Solid,
        Dashed,
        Cross
    };
    bool message = false; // a segment from -> to; otherwise a note over `from`
    int from = 0;
    int to = 0;
    Arrow arrow = Arrow::Solid;
    std::string text;
};

struct Diagram
{
    std::vector<std::string> actors; // in order of first appearance
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
        // Sockets first, so each lands in its actor's box whatever refers to it first.
        for (const auto &e : m_events) {
            if (const auto *s = e.as<SocketInfo>())
                participant(s->sock, s->actor);
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
            if (const auto *c = e.as<SyscallInfo>()) {
                const int p = syscallParticipant(*c, i);
                callOwner[c->id] = p;
                auto ret = returns.find(c->id);
                if (ret != returns.end() && !stepBetween(i, ret->second)) {
                    note(p, callText(*c) + " " + resultText(*m_events[ret->second].as<ReturnInfo>(), ErrnoText::Hide));
                } else {
                    note(p, callText(*c) + " blocks");
                    blocked[c->id] = {p, c->call};
                }
            } else if (const auto *r = e.as<ReturnInfo>()) {
                if (auto b = blocked.find(r->id); b != blocked.end())
                    note(b->second.first, b->second.second + " resumed " + resultText(*r, ErrnoText::Hide));
            } else if (const auto *pk = e.as<PacketInfo>()) {
                Item item;
                item.message = true;
                item.from = participant(pk->from.empty() ? pk->src : pk->from, "");
                item.to = participant(pk->to.empty() ? pk->dst : pk->to, "");
                item.arrow = hasFlag(pk->flags, SegmentFlag::Rst) ? Item::Arrow::Cross
                             : isPureAck(*pk)                     ? Item::Arrow::Dashed
                                                                  : Item::Arrow::Solid;
                item.text = segmentText(*pk);
                m_diagram.items.push_back(std::move(item));
            } else if (const auto *st = e.as<StateInfo>()) {
                // Arrows would be read as syntax by both languages; U+2192 is plain text to them.
                if (st->source == StateSource::Derived)
                    note(participant(st->sock, ""),
                         std::string(stateName(st->from)) + " \u2192 " + std::string(stateName(st->to)));
                else if (st->conflict)
                    note(participant(st->sock, ""), "kernel says " + std::string(stateName(st->to)) + ", derived " +
                                                        std::string(stateName(st->derived)) + " (CONTRADICTION)");
            } else if (const auto *sg = e.as<SignalInfo>()) {
                auto owner = callOwner.find(sg->during);
                const int p = owner != callOwner.end() ? owner->second : actorParticipant(sg->actor);
                note(p, sg->signal + (sg->signal == "SIGPIPE" ? " (default action would terminate the process)" : ""));
            }
        }
        return std::move(m_diagram);
    }

private:
    void actor(const std::string &name)
    {
        if (name.empty() || !m_actorIndex.emplace(name, static_cast<int>(m_diagram.actors.size())).second)
            return;
        m_diagram.actors.push_back(name);
    }

    int participant(const std::string &name, const std::string &actorName)
    {
        if (auto it = m_index.find(name); it != m_index.end())
            return it->second;
        std::string owner = actorName;
        // A socket seen only in packets or states still belongs to the actor its stable name starts with.
        // Of the actors the name starts with (followed by a dot), the last to appear; looked up per dot in the
        // name, not per actor.
        if (owner.empty()) {
            int latest = -1;
            for (auto dot = name.find('.'); dot != std::string::npos; dot = name.find('.', dot + 1))
                if (auto it = m_actorIndex.find(name.substr(0, dot)); it != m_actorIndex.end() && it->second > latest)
                    latest = it->second;
            if (latest >= 0)
                owner = m_diagram.actors[static_cast<std::size_t>(latest)];
        }
        actor(owner);
        m_diagram.participants.push_back({name, owner});
        const int id = static_cast<int>(m_diagram.participants.size()) - 1;
        m_firstOfActor.emplace(owner, id);
        return m_index[name] = id;
    }

    // The actor's first socket; the actor itself when it has none (a scenario that only sleeps).
    int actorParticipant(const std::string &actorName)
    {
        if (auto it = m_firstOfActor.find(actorName); it != m_firstOfActor.end())
            return it->second;
        return participant(actorName, actorName);
    }

    // socket() has no socket name yet: it is the one the actor's next socket event announces.
    int syscallParticipant(const SyscallInfo &c, std::size_t at)
    {
        if (!c.sock.empty())
            return participant(c.sock, c.actor);
        if (c.call == "socket")
            if (auto next = m_nextSocket.find(at); next != m_nextSocket.end())
                return participant(m_events[next->second].as<SocketInfo>()->sock, c.actor);
        return actorParticipant(c.actor);
    }

    // The scheduler moved on (a step event) before the call returned: it blocked.
    bool stepBetween(std::size_t a, std::size_t b) const
    {
        return b > a + 1 && m_stepsBefore[b] > m_stepsBefore[a + 1];
    }

    // One pass each way instead of a scan per call (forged runs made both quadratic): the number of step events
    // before each index, and for each socket() call the index of its actor's next socket event.
    void indexSteps()
    {
        m_stepsBefore.assign(m_events.size() + 1, 0);
        for (std::size_t i = 0; i < m_events.size(); ++i)
            m_stepsBefore[i + 1] = m_stepsBefore[i] + (m_events[i].kind() == EventKind::Step ? 1 : 0);
        std::map<std::string, std::size_t> nextSocketOfActor;
        for (std::size_t i = m_events.size(); i-- > 0;) {
            if (const auto *s = m_events[i].as<SocketInfo>()) {
                nextSocketOfActor[s->actor] = i;
            } else if (const auto *c = m_events[i].as<SyscallInfo>(); c && c->sock.empty() && c->call == "socket") {
                if (auto it = nextSocketOfActor.find(c->actor); it != nextSocketOfActor.end())
                    m_nextSocket.emplace(i, it->second);
            }
        }
    }

    void note(int p, std::string text)
    {
        Item item;
        item.from = item.to = p;
        item.text = std::move(text);
        m_diagram.items.push_back(std::move(item));
    }

    const std::vector<Event> &m_events;
    Diagram m_diagram;
    std::map<std::string, int> m_index;
    std::map<std::string, int> m_actorIndex;         // actor -> index in m_diagram.actors
    std::map<std::string, int> m_firstOfActor;       // actor -> its first participant
    std::vector<int> m_stepsBefore;                  // [i]: step events before event i
    std::map<std::size_t, std::size_t> m_nextSocket; // socket() call index -> its actor's next socket event
};

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

// Participant ids in the order the boxes declare them, so the text reads p0, p1, ... from left to right.
std::vector<int> declarationOrder(const Diagram &d)
{
    std::vector<int> order;
    for (const auto &a : d.actors)
        for (std::size_t i = 0; i < d.participants.size(); ++i)
            if (d.participants[i].actor == a)
                order.push_back(static_cast<int>(i));
    for (std::size_t i = 0; i < d.participants.size(); ++i)
        if (d.participants[i].actor.empty())
            order.push_back(static_cast<int>(i));
    std::vector<int> id(d.participants.size());
    for (std::size_t k = 0; k < order.size(); ++k)
        id[static_cast<std::size_t>(order[k])] = static_cast<int>(k);
    return id;
}

} // namespace

std::string toMermaid(const std::vector<Event> &events)
{
    const Diagram d = DiagramBuilder(events).build();
    const std::vector<int> ids = declarationOrder(d);
    auto pid = [&](int i) { return "p" + std::to_string(ids[static_cast<std::size_t>(i)]); };
    std::string out = "sequenceDiagram\n";
    auto declare = [&](int i, const char *indent) {
        out += std::string(indent) + "participant " + pid(i) + " as " + mermaidText(d.participants[i].name) + "\n";
    };
    for (const auto &a : d.actors) {
        // "transparent" first, so an actor called "red" is a label and not a colour.
        out += "    box transparent " + mermaidText(a) + "\n";
        for (std::size_t i = 0; i < d.participants.size(); ++i)
            if (d.participants[i].actor == a)
                declare(static_cast<int>(i), "        ");
        out += "    end\n";
    }
    for (std::size_t i = 0; i < d.participants.size(); ++i)
        if (d.participants[i].actor.empty())
            declare(static_cast<int>(i), "    ");
    for (const auto &item : d.items) {
        if (!item.message) {
            out += "    Note over " + pid(item.from) + ": " + mermaidText(item.text) + "\n";
            continue;
        }
        const char *arrow = item.arrow == Item::Arrow::Cross    ? "-x"
                            : item.arrow == Item::Arrow::Dashed ? "-->>"
                                                                : "->>";
        out += "    " + pid(item.from) + arrow + pid(item.to) + ": " + mermaidText(item.text) + "\n";
    }
    return out;
}

std::string toPlantUml(const std::vector<Event> &events)
{
    const Diagram d = DiagramBuilder(events).build();
    const std::vector<int> ids = declarationOrder(d);
    auto pid = [&](int i) { return "p" + std::to_string(ids[static_cast<std::size_t>(i)]); };
    std::string out = "@startuml\n";
    auto declare = [&](int i, const char *indent) {
        out += std::string(indent) + "participant \"" + plantText(d.participants[i].name) + "\" as " + pid(i) + "\n";
    };
    for (const auto &a : d.actors) {
        out += "box \"" + plantText(a) + "\"\n";
        for (std::size_t i = 0; i < d.participants.size(); ++i)
            if (d.participants[i].actor == a)
                declare(static_cast<int>(i), "    ");
        out += "end box\n";
    }
    for (std::size_t i = 0; i < d.participants.size(); ++i)
        if (d.participants[i].actor.empty())
            declare(static_cast<int>(i), "");
    for (const auto &item : d.items) {
        if (!item.message) {
            out += "note over " + pid(item.from) + " : " + plantText(item.text) + "\n";
            continue;
        }
        const char *arrow = item.arrow == Item::Arrow::Cross ? "->x" : item.arrow == Item::Arrow::Dashed ? "-->" : "->";
        out += pid(item.from) + " " + arrow + " " + pid(item.to) + " : " + plantText(item.text) + "\n";
    }
    out += "@enduml\n";
    return out;
}

} // namespace sockscope::core
