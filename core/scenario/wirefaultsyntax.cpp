// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scenario/wirefaultsyntax.h"

#include <algorithm>
#include <array>
#include <utility>

namespace sockscope::core {

namespace {

constexpr std::array<std::pair<std::string_view, SegmentFlag>, 5> kFlagNames{{{"SYN", SegmentFlag::Syn},
                                                                              {"FIN", SegmentFlag::Fin},
                                                                              {"ACK", SegmentFlag::Ack},
                                                                              {"RST", SegmentFlag::Rst},
                                                                              {"PSH", SegmentFlag::Psh}}};
constexpr std::string_view kWhat = "'all', segment flags (SYN FIN ACK RST PSH joined by '|') or a percentage";

std::optional<SegmentFlag> flagNamed(std::string_view word)
{
    for (const auto &[name, flag] : kFlagNames)
        if (name == word)
            return flag;
    return std::nullopt;
}

bool isActor(const std::vector<std::string> &actors, std::string_view word)
{
    return std::find(actors.begin(), actors.end(), word) != actors.end();
}

std::string actorList(const std::vector<std::string> &actors)
{
    std::string list;
    for (const auto &a : actors)
        list += (list.empty() ? "" : " ") + a;
    return list;
}

void parseDirection(scn::LineCursor &cursor, const std::vector<std::string> &actors, WireFault &fault)
{
    const std::size_t start = cursor.pos();
    std::string_view word = cursor.identifier(kWhat);
    if (word == "any")
        return;
    if (word == "all" || flagNamed(word)) {
        cursor.seek(start); // no direction: either way
        return;
    }
    if (!isActor(actors, word))
        scn::LineCursor::failAt(start, "expected an actor (" + actorList(actors) + "), 'any' or " + std::string(kWhat) +
                                           ", found '" + std::string(word) + "'");
    fault.from = std::string(word);
    cursor.skipSpace();
    if (!cursor.accept('-') || !cursor.accept('>'))
        cursor.failExpected("'->' after the sending actor");
    cursor.skipSpace();
    const std::size_t toPos = cursor.pos();
    std::string_view to = cursor.identifier("the receiving actor");
    if (!isActor(actors, to))
        scn::LineCursor::failAt(toPos, "unknown actor '" + std::string(to) +
                                           "' (declared in 'actors:': " + actorList(actors) + ")");
    if (to == fault.from)
        scn::LineCursor::failAt(toPos, "a segment goes to another actor, not from '" + fault.from + "' to itself");
    fault.to = std::string(to);
}

void parsePercent(scn::LineCursor &cursor, WireFault &fault)
{
    fault.percent = static_cast<int>(cursor.integer("the percentage", 1, 100));
    cursor.expect('%', "after the percentage");
    cursor.skipSpace();
    if (cursor.atEnd())
        return;
    const std::size_t at = cursor.pos();
    if (cursor.identifier("'seed' or the end of the line") != "seed")
        scn::LineCursor::failAt(at, "expected 'seed' or the end of the line, found '" +
                                        std::string(cursor.line().substr(at, cursor.pos() - at)) + "'");
    fault.seed = static_cast<std::uint32_t>(cursor.integer("the seed", 0, 4294967295LL));
}

void parseFlags(scn::LineCursor &cursor, WireFault &fault)
{
    int count = 0;
    do {
        cursor.skipSpace();
        const std::size_t at = cursor.pos();
        std::string_view word = cursor.identifier("a segment flag (SYN FIN ACK RST PSH)");
        auto flag = flagNamed(word);
        if (!flag)
            scn::LineCursor::failAt(at,
                                    "expected a segment flag (SYN FIN ACK RST PSH), found '" + std::string(word) + "'");
        const auto bit = static_cast<std::uint8_t>(*flag);
        if (fault.flags & bit)
            scn::LineCursor::failAt(at, "flag " + std::string(word) + " is given twice");
        fault.flags |= bit;
        ++count;
    } while (cursor.accept('|'));
    fault.onlyAck = count == 1 && fault.flags == static_cast<std::uint8_t>(SegmentFlag::Ack);
}

} // namespace

namespace scn {

void parseDrop(LineCursor &cursor, const std::vector<std::string> &actors, WireFault &fault)
{
    fault.kind = WireFault::Kind::Drop;
    cursor.skipSpace();
    if (!isDigit(cursor.peek()))
        parseDirection(cursor, actors, fault);
    cursor.skipSpace();
    if (isDigit(cursor.peek())) {
        parsePercent(cursor, fault);
    } else {
        const std::size_t at = cursor.pos();
        if (isIdentStart(cursor.peek()) && cursor.identifier(kWhat) == "all") {
            // every segment
        } else {
            cursor.seek(at);
            parseFlags(cursor, fault);
            cursor.skipSpace();
            const std::size_t afterPos = cursor.pos();
            if (isIdentStart(cursor.peek())) {
                std::string_view word = cursor.identifier("'after FIN', '#N' or a percentage");
                if (word != "after")
                    LineCursor::failAt(afterPos,
                                       "expected 'after FIN', '#N', a percentage or the end of the line, found '" +
                                           std::string(word) + "'");
                cursor.skipSpace();
                const std::size_t finPos = cursor.pos();
                if (!isIdentStart(cursor.peek()) || cursor.identifier("FIN") != "FIN")
                    LineCursor::failAt(finPos, "expected FIN after 'after', found " + cursor.describeHere());
                if (fault.from.empty())
                    LineCursor::failAt(afterPos,
                                       "'after FIN' needs a direction ('FROM -> TO'): the FIN it follows comes the "
                                       "other way");
                fault.afterFin = true;
            }
            cursor.skipSpace();
            if (cursor.accept('#'))
                fault.nth = static_cast<int>(cursor.integer("the segment number after '#'", 1, 1000000));
            else if (isDigit(cursor.peek()))
                parsePercent(cursor, fault);
        }
    }
    if (!cursor.atEnd())
        cursor.failExpected("the end of the line after the drop rule");
}

// "timer restarted" after a socket name: the change a timer event of that socket must (or, negated, must not) show.
void parseTimerChange(LineCursor &cursor, std::size_t afterTimer, bool negated, WireExpectation &expect)
{
    cursor.seek(afterTimer);
    cursor.skipSpace();
    const std::size_t changePos = cursor.pos();
    std::size_t changeEnd = changePos;
    while (changeEnd < cursor.line().size() && isIdentChar(cursor.line()[changeEnd]))
        ++changeEnd;
    const std::string_view change = cursor.line().substr(changePos, changeEnd - changePos);
    const std::optional<TimerChange> parsed = timerChangeFromName(change);
    if (!parsed)
        LineCursor::failAt(changePos, "expected a timer change (armed stopped restarted backoff), found " +
                                          (change.empty() ? cursor.describeHere() : "'" + std::string(change) + "'"));
    expect.kind = negated ? WireExpectation::Kind::NoTimer : WireExpectation::Kind::Timer;
    expect.timerChange = *parsed;
    cursor.seek(changeEnd);
}

void parseWireExpectation(LineCursor &cursor, const std::vector<std::string> &actors, WireExpectation &expect)
{
    cursor.skipSpace();
    std::size_t start = cursor.pos();
    constexpr std::string_view kForms =
        "a segment ('[no] [FROM -> TO] FLAGS'), a socket and its state, or '[no] SOCK timer CHANGE'";
    std::string_view word = cursor.identifier(kForms);
    bool negated = false;
    if (word == "no" && (cursor.pos() >= cursor.line().size() || cursor.line()[cursor.pos()] != '.')) {
        // "no" before a socket name: only its timer can be denied ("~ no client.1 timer restarted").
        const std::size_t afterNo = cursor.pos();
        cursor.skipSpace();
        const std::size_t next = cursor.pos();
        std::size_t end = next;
        while (end < cursor.line().size() && isIdentChar(cursor.line()[end]))
            ++end;
        if (end < cursor.line().size() && cursor.line()[end] == '.' && end > next) {
            negated = true;
            start = next;
            word = cursor.line().substr(next, end - next);
            cursor.seek(end);
        } else {
            cursor.seek(afterNo);
        }
    }
    if (cursor.pos() < cursor.line().size() && cursor.line()[cursor.pos()] == '.') {
        // "client.1 TIME_WAIT": the socket's stable name, then a state.
        std::size_t end = cursor.pos() + 1;
        while (end < cursor.line().size() && isIdentChar(cursor.line()[end]))
            ++end;
        if (!isActor(actors, word) || end == cursor.pos() + 1)
            LineCursor::failAt(start, "expected a socket name such as '" + (actors.empty() ? "A" : actors[0]) +
                                          ".1' (an actor, '.', its socket's number), found '" +
                                          std::string(cursor.line().substr(start, end - start)) + "'");
        expect.kind = WireExpectation::Kind::State;
        expect.sock = std::string(cursor.line().substr(start, end - start));
        cursor.seek(end);
        cursor.skipSpace();
        const std::size_t statePos = cursor.pos();
        std::size_t stateEnd = statePos;
        while (stateEnd < cursor.line().size() && isIdentChar(cursor.line()[stateEnd]))
            ++stateEnd;
        std::string_view state = cursor.line().substr(statePos, stateEnd - statePos);
        if (state == "timer") {
            parseTimerChange(cursor, stateEnd, negated, expect);
            if (!cursor.atEnd())
                cursor.failExpected("the end of the line after the '~' expectation");
            return;
        }
        if (negated)
            LineCursor::failAt(statePos, "expected 'timer' after '~ no " + expect.sock +
                                             "' (a state cannot be denied: write the state the socket must be in)");
        if (!stateFromName(state))
            LineCursor::failAt(statePos, "expected a TCP state (CLOSED LISTEN SYN_SENT SYN_RECEIVED ESTABLISHED "
                                         "FIN_WAIT_1 FIN_WAIT_2 CLOSE_WAIT CLOSING LAST_ACK TIME_WAIT), found " +
                                             (state.empty() ? cursor.describeHere() : "'" + std::string(state) + "'"));
        expect.state = std::string(state);
        cursor.seek(stateEnd);
    } else {
        expect.kind = WireExpectation::Kind::Sent;
        if (word == "no")
            expect.kind = WireExpectation::Kind::NotSent;
        else
            cursor.seek(start);
        cursor.skipSpace();
        WireFault pattern;
        parseDirection(cursor, actors, pattern);
        parseFlags(cursor, pattern);
        expect.from = pattern.from;
        expect.to = pattern.to;
        expect.flags = pattern.flags;
        expect.onlyAck = pattern.onlyAck;
    }
    if (!cursor.atEnd())
        cursor.failExpected("the end of the line after the '~' expectation");
}

} // namespace scn

ActorPorts actorPorts(const Scenario &scenario, const std::string &actor)
{
    ActorPorts own;
    ActorPorts others;
    others.complement = true;
    for (const auto &step : scenario.steps) {
        if (step.call != Call::Bind || step.addr.port == 0)
            continue;
        auto &list = step.actor == actor ? own.ports : others.ports;
        if (std::find(list.begin(), list.end(), step.addr.port) == list.end())
            list.push_back(step.addr.port);
    }
    return own.ports.empty() ? others : own;
}

std::string wireDirectionProblem(const Scenario &scenario, const WireFault &fault)
{
    if (fault.kind != WireFault::Kind::Drop || fault.from.empty())
        return {};
    if (actorPorts(scenario, fault.from).complement && actorPorts(scenario, fault.to).complement)
        return "cannot tell " + fault.from + "'s segments from " + fault.to +
               "'s: on loopback an actor is known by the ports it binds, and neither binds one";
    return {};
}

} // namespace sockscope::core
