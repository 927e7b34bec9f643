// SPDX-License-Identifier: GPL-3.0-or-later
// The scenario parser: metadata, steps and cross-line rules (variables, '&' groups, notes). The grammar of one
// step's call lives in scenariocalls.cpp, character handling in scenariolexer.cpp.
#include "core/scenario/kernelsettings.h"
#include "core/scenario/scenario.h"
#include "core/scenario/scenariocalls.h"
#include "core/scenario/scenariolexer.h"
#include "core/scenario/wirefaultsyntax.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

namespace sockscope::core {

namespace {

using scn::LineError;

constexpr std::size_t kMaxLineBytes = 4096;
constexpr std::size_t kMaxSteps = 10000;
constexpr std::size_t kMaxActors = 16; // each actor is a thread in the lab
constexpr std::uintmax_t kMaxFileBytes = 1024 * 1024;
constexpr std::string_view kKeys[] = {"title", "topic", "summary", "notes", "timeout", "actors", "sysctl", "sigpipe"};
// Keys that may be given on several lines, each adding to the value.
constexpr std::string_view kRepeatableKeys[] = {"sysctl"};
constexpr std::string_view kRequiredKeys[] = {"title", "topic", "summary", "actors"};

// One line of a metadata value: the key's own line or an indented continuation line.
struct MetaPiece
{
    int line = 0;
    std::string_view lineText; // the whole source line, for columns
    std::size_t pos = 0;       // byte offset of text in lineText
    std::string_view text;     // trimmed
};

// Calls f(word, column) for each space-separated word of a metadata line's value.
template <typename F> void forEachWord(const MetaPiece &piece, F &&f)
{
    std::size_t i = 0;
    while (i < piece.text.size()) {
        std::size_t end = i;
        while (end < piece.text.size() && !scn::isSpace(piece.text[end]))
            ++end;
        f(piece.text.substr(i, end - i), scn::columnOf(piece.lineText, piece.pos + i));
        i = end;
        while (i < piece.text.size() && scn::isSpace(piece.text[i]))
            ++i;
    }
}

// A fault line waits for the step it precedes: 'drop:' may stand among the metadata, before 'actors:' is known.
struct FaultLine
{
    int line = 0;
    std::string text;     // the line without its comment
    std::size_t pos = 0;  // where the rule starts: after "drop:", or at "blackhole"/"restore"
    std::size_t word = 0; // where the line's first word starts
    WireFault::Kind kind = WireFault::Kind::Drop;
};

struct MetaEntry
{
    int line = 0;
    int column = 0;
    std::vector<MetaPiece> pieces;
};

class Parser
{
public:
    Parser(std::string_view text, const std::string &fileName) : m_text(text), m_file(fileName) {}
    ParseResult run();

private:
    void parseLine(std::string_view line);
    void parseMetadataLine(std::string_view line, std::size_t keyEnd);
    void finishMetadata();
    void applyActors(const MetaEntry &entry);
    void applyTimeout(const MetaEntry &entry);
    void applySysctls(const MetaEntry &entry);
    void applySigpipe(const MetaEntry &entry);
    void parseNote(std::string_view line, std::size_t at);
    void parseWireExpectation(std::string_view line, std::size_t at);
    void queueFault(std::string_view line, std::size_t first, std::size_t pos, WireFault::Kind kind);
    std::vector<WireFault> takeFaults();
    void checkFaultDirections();
    void parseStepLine(std::string_view line, std::string_view content);
    void checkGroup(const Step &step, std::size_t actorPos);
    void error(std::string_view line, std::size_t pos, std::string message);
    void errorAt(int lineNo, int column, std::string message);

    std::string_view m_text;
    std::string m_file;
    Scenario m_scenario;
    std::vector<ParseError> m_errors;
    int m_lineNo = 0;

    std::map<std::string, MetaEntry, std::less<>> m_meta;
    MetaEntry *m_continued = nullptr; // the entry that indented lines continue, null once a blank line or step ends it
    bool m_metaDone = false;          // set by the first step line: later metadata is an error
    bool m_actorsKnown = false;       // false when 'actors:' is missing: do not flag every step's actor too

    bool m_sawStepLine = false;
    bool m_tooManySteps = false;
    Step *m_lastStep = nullptr; // the step '>' notes attach to; null after a step line with an error
    int m_noteLines = 0;        // '>' lines attached to m_lastStep so far
    scn::Variables m_vars;
    scn::Processes m_processes; // the declared actors and their exit() lines
    // Actors of the current group of steps joined by '&', with their lines; empty when the last step had no '&'.
    std::vector<std::pair<std::string, int>> m_group;
    int m_ampLine = 0, m_ampColumn = 0;  // position of the last step's '&', for "nothing follows it"
    std::vector<FaultLine> m_faultLines; // fault lines since the last step line
};

ParseResult Parser::run()
{
    m_scenario.path = m_file;
    m_scenario.name = std::filesystem::path(m_file).stem().string();
    m_scenario.source = std::string(m_text);

    std::size_t start = 0;
    while (start < m_text.size()) {
        std::size_t nl = m_text.find('\n', start);
        std::size_t end = nl == std::string_view::npos ? m_text.size() : nl;
        std::string_view line = m_text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1); // Windows line endings
        ++m_lineNo;
        parseLine(line);
        start = end + 1;
    }
    if (m_lineNo == 0)
        m_lineNo = 1;

    if (!m_metaDone)
        finishMetadata();
    if (!m_group.empty())
        errorAt(m_ampLine, m_ampColumn, "expected a step of another actor after '&', found the end of the file");
    if (!m_faultLines.empty()) {
        const FaultLine &f = m_faultLines.front();
        errorAt(f.line, scn::columnOf(f.text, f.word),
                "expected a step after the fault line (a fault takes effect before the next step), found the end "
                "of the file");
    }
    checkFaultDirections();
    if (!m_sawStepLine)
        errorAt(m_lineNo, 1, "expected at least one step ('ACTOR call(...)'), found the end of the file");
    // A file must not be able to tie up the lab (and a class) for hours.
    std::int64_t waitMs = 0;
    const Step *longest = nullptr;
    for (const auto &step : m_scenario.steps) {
        std::int64_t ms = (step.call == Call::Sleep || step.call == Call::Wait) ? step.number
                          : step.timeoutMs > 0                                  ? step.timeoutMs
                                                                                : 0;
        waitMs += ms;
        if (ms > 0 && waitMs > kMaxTotalWaitMs && !longest)
            longest = &step;
    }
    if (longest)
        errorAt(longest->line, longest->column,
                "the scenario's sleeps, waits and poll timeouts add up to " + std::to_string(waitMs / 1000) +
                    " s; at most " + std::to_string(kMaxTotalWaitMs / 1000) + " s are allowed in one run");
    if (m_scenario.actors.size() > kMaxActors)
        errorAt(1, 1,
                "too many actors (" + std::to_string(m_scenario.actors.size()) + "; at most " +
                    std::to_string(kMaxActors) + ")");

    ParseResult result;
    result.errors = std::move(m_errors);
    if (result.errors.empty())
        result.scenario = std::move(m_scenario);
    return result;
}

void Parser::error(std::string_view line, std::size_t pos, std::string message)
{
    errorAt(m_lineNo, scn::columnOf(line, pos), std::move(message));
}

void Parser::errorAt(int lineNo, int column, std::string message)
{
    m_errors.push_back({m_file, lineNo, column, std::move(message)});
}

void Parser::parseLine(std::string_view line)
{
    if (line.size() > kMaxLineBytes) {
        error(line, kMaxLineBytes, "line is longer than " + std::to_string(kMaxLineBytes) + " bytes");
        m_lastStep = nullptr;
        return;
    }
    if (auto bad = scn::checkEncoding(line)) {
        error(line, bad->pos, bad->message);
        m_lastStep = nullptr;
        return;
    }
    std::size_t cut = scn::commentStart(line);
    // In a drop line "#N" is the segment number, not a comment.
    if (scn::trim(line).substr(0, 5) == "drop:")
        while (cut + 1 < line.size() && scn::isDigit(line[cut + 1]))
            cut += 1 + scn::commentStart(line.substr(cut + 1));
    std::string_view content = line.substr(0, cut);
    std::string_view trimmed = scn::trim(content);
    if (trimmed.empty()) {
        if (content.size() == line.size())
            m_continued = nullptr; // a blank line ends a metadata value; a comment line does not
        return;
    }
    std::size_t first = line.find_first_not_of(" \t");
    if (line[first] == '>') {
        parseNote(content, first);
        return;
    }
    if (line[first] == '~') {
        parseWireExpectation(content, first);
        return;
    }
    if (!m_metaDone && first > 0 && m_continued) {
        m_continued->pieces.push_back({m_lineNo, line, first, trimmed});
        return;
    }
    std::size_t keyEnd = first;
    while (keyEnd < line.size() && scn::isIdentChar(line[keyEnd]))
        ++keyEnd;
    if (line.substr(first, keyEnd - first) == "drop" && keyEnd < line.size() && line[keyEnd] == ':') {
        queueFault(content, first, keyEnd + 1, WireFault::Kind::Drop);
        return;
    }
    if (trimmed == "blackhole" || trimmed == "restore") {
        queueFault(content, first, first,
                   trimmed == "blackhole" ? WireFault::Kind::Blackhole : WireFault::Kind::Restore);
        return;
    }
    if (keyEnd > first && scn::isIdentStart(line[first]) && keyEnd < line.size() && line[keyEnd] == ':') {
        parseMetadataLine(content, keyEnd);
        return;
    }
    parseStepLine(line, content);
}

void Parser::parseMetadataLine(std::string_view line, std::size_t keyEnd)
{
    std::size_t first = line.find_first_not_of(" \t");
    std::string_view key = line.substr(first, keyEnd - first);
    m_continued = nullptr;
    if (m_metaDone) {
        error(line, first, "metadata '" + std::string(key) + ":' must come before the first step");
        return;
    }
    bool known = false;
    for (auto k : kKeys)
        known = known || k == key;
    if (!known) {
        error(line, first,
              "unknown metadata key '" + std::string(key) +
                  "' (expected title, topic, summary, notes, timeout, actors, sysctl or sigpipe)");
        return;
    }
    const bool repeatable =
        std::find(std::begin(kRepeatableKeys), std::end(kRepeatableKeys), key) != std::end(kRepeatableKeys);
    if (auto it = m_meta.find(key); it != m_meta.end() && repeatable) {
        std::size_t valuePos = line.find_first_not_of(" \t", keyEnd + 1);
        if (valuePos == std::string_view::npos)
            error(line, first, "expected a value after '" + std::string(key) + ":'");
        else
            it->second.pieces.push_back({m_lineNo, line, valuePos, scn::trim(line.substr(valuePos))});
        m_continued = &it->second;
        return;
    }
    if (auto it = m_meta.find(key); it != m_meta.end()) {
        error(line, first,
              "duplicate metadata '" + std::string(key) + ":' (first given on line " + std::to_string(it->second.line) +
                  ")");
        return;
    }
    MetaEntry &entry = m_meta[std::string(key)];
    entry.line = m_lineNo;
    entry.column = scn::columnOf(line, first);
    std::size_t valuePos = line.find_first_not_of(" \t", keyEnd + 1);
    if (valuePos != std::string_view::npos)
        entry.pieces.push_back({m_lineNo, line, valuePos, scn::trim(line.substr(valuePos))});
    m_continued = &entry;
}

// Validates the metadata and moves it into the scenario; called at the first step line (steps need the actors)
// or at the end of a file without steps.
void Parser::finishMetadata()
{
    m_metaDone = true;
    m_continued = nullptr;
    for (auto key : kRequiredKeys)
        if (!m_meta.contains(key))
            errorAt(1, 1, "missing required metadata '" + std::string(key) + ":'");
    for (auto &[key, entry] : m_meta) {
        std::string value;
        for (const auto &piece : entry.pieces) {
            if (!value.empty())
                value += key == "notes" ? '\n' : ' ';
            value += piece.text;
        }
        if (value.empty()) {
            errorAt(entry.line, entry.column, "expected a value after '" + key + ":'");
            continue;
        }
        if (key == "title")
            m_scenario.title = value;
        else if (key == "topic")
            m_scenario.topic = value;
        else if (key == "summary")
            m_scenario.summary = value;
        else if (key == "notes")
            m_scenario.notes = value;
        else if (key == "actors")
            applyActors(entry);
        else if (key == "timeout")
            applyTimeout(entry);
        else if (key == "sysctl")
            applySysctls(entry);
    }
    // After the loop: the actors must be known.
    if (auto it = m_meta.find("sigpipe"); it != m_meta.end() && !it->second.pieces.empty())
        applySigpipe(it->second);
    m_processes.actors = m_scenario.actors;
}

// "sysctl: NAME=VALUE [NAME=VALUE ...]", on one or more lines (docs/scenario-format.md, "Kernel settings").
void Parser::applySysctls(const MetaEntry &entry)
{
    for (const auto &piece : entry.pieces) {
        scn::LineCursor cursor(piece.lineText.substr(0, piece.pos + piece.text.size()));
        cursor.seek(piece.pos);
        try {
            while (!cursor.atEnd()) {
                const std::size_t at = scn::parseSysctl(cursor, m_scenario.sysctls);
                m_scenario.sysctls.back().line = piece.line;
                m_scenario.sysctls.back().column = scn::columnOf(piece.lineText, at);
            }
        } catch (const LineError &e) {
            errorAt(piece.line, scn::columnOf(piece.lineText, e.pos), e.message);
        }
    }
}

// 'sigpipe: default' | 'sigpipe: ignore' for every actor, or per actor: 'sigpipe: server=default client=ignore'
// (docs/scenario-format.md, "Descriptors, processes and signals").
void Parser::applySigpipe(const MetaEntry &entry)
{
    constexpr char kForms[] = "'default', 'ignore' or ACTOR=default|ignore";
    for (const auto &piece : entry.pieces)
        forEachWord(piece, [&](std::string_view word, int column) {
            const std::size_t eq = word.find('=');
            const std::string_view actor = eq == std::string_view::npos ? std::string_view() : word.substr(0, eq);
            const std::string_view value = eq == std::string_view::npos ? word : word.substr(eq + 1);
            const bool knownActor =
                std::find(m_scenario.actors.begin(), m_scenario.actors.end(), actor) != m_scenario.actors.end();
            if (value != "default" && value != "ignore")
                errorAt(piece.line, column + static_cast<int>(eq == std::string_view::npos ? 0 : eq + 1),
                        "expected " + std::string(kForms) + " for 'sigpipe:', found '" + std::string(word) + "'");
            else if (eq != std::string_view::npos && !knownActor)
                errorAt(piece.line, column,
                        "unknown actor '" + std::string(actor) + "' in 'sigpipe:' (not declared in 'actors:')");
            else {
                const SigpipeAction action = value == "default" ? SigpipeAction::Default : SigpipeAction::Ignore;
                if (eq == std::string_view::npos)
                    for (const auto &a : m_scenario.actors)
                        m_scenario.sigpipe.try_emplace(a, action); // a per-actor word wins, wherever it stands
                else
                    m_scenario.sigpipe[std::string(actor)] = action;
            }
        });
}

void Parser::applyTimeout(const MetaEntry &entry)
{
    const MetaPiece &piece = entry.pieces.front();
    scn::LineCursor cursor(piece.lineText.substr(0, piece.pos + piece.text.size()));
    cursor.seek(piece.pos);
    try {
        m_scenario.stepTimeoutMs = static_cast<int>(cursor.integer("the step timeout in ms", 1, 60000));
        if (!cursor.atEnd())
            cursor.failExpected("the end of the timeout value");
    } catch (const LineError &e) {
        errorAt(piece.line, scn::columnOf(piece.lineText, e.pos), e.message);
        return;
    }
    if (entry.pieces.size() > 1)
        errorAt(entry.pieces[1].line, scn::columnOf(entry.pieces[1].lineText, entry.pieces[1].pos),
                "expected a single number for 'timeout:', found a continuation line");
}

void Parser::applyActors(const MetaEntry &entry)
{
    m_actorsKnown = true;
    for (const auto &piece : entry.pieces)
        forEachWord(piece, [&](std::string_view name, int column) {
            bool duplicate = false;
            for (const auto &a : m_scenario.actors)
                duplicate = duplicate || a == name;
            if (!scn::isIdentifier(name))
                errorAt(piece.line, column,
                        "expected an actor name (a letter, then letters, digits or '_'), found '" + std::string(name) +
                            "'");
            else if (duplicate)
                errorAt(piece.line, column, "actor '" + std::string(name) + "' is declared twice");
            else
                m_scenario.actors.emplace_back(name);
        });
}

void Parser::parseNote(std::string_view line, std::size_t at)
{
    m_continued = nullptr;
    if (!m_lastStep) {
        if (!m_sawStepLine)
            error(line, at, "a '>' note must follow a step");
        return; // after a step line with an error the note has nothing to attach to; that error is enough
    }
    std::string_view text = line.substr(at + 1);
    if (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && scn::isSpace(text.back()))
        text.remove_suffix(1);
    if (m_noteLines++ > 0)
        m_lastStep->note += '\n';
    m_lastStep->note += text;
}

void Parser::parseWireExpectation(std::string_view line, std::size_t at)
{
    m_continued = nullptr;
    if (!m_lastStep) {
        if (!m_sawStepLine || !m_faultLines.empty())
            error(line, at, "a '~' expectation must follow a step");
        return; // after a step line with an error there is nothing to attach to; that error is enough
    }
    WireExpectation expect;
    expect.line = m_lineNo;
    expect.column = scn::columnOf(line, at);
    expect.text = std::string(scn::trim(line.substr(at + 1)));
    scn::LineCursor cursor(line);
    cursor.seek(at + 1);
    try {
        scn::parseWireExpectation(cursor, m_scenario.actors, expect);
    } catch (const LineError &e) {
        error(line, e.pos, e.message);
        return;
    }
    m_lastStep->wireExpects.push_back(std::move(expect));
}

void Parser::queueFault(std::string_view line, std::size_t first, std::size_t pos, WireFault::Kind kind)
{
    m_continued = nullptr;
    m_lastStep = nullptr; // a '>' note after a fault line has no step to attach to
    if (!m_group.empty()) {
        error(line, first,
              "a fault line cannot split steps joined by '&' (the '&' on line " + std::to_string(m_ampLine) + ")");
        return;
    }
    m_faultLines.push_back({m_lineNo, std::string(line), pos, first, kind});
}

// Parses the fault lines queued since the last step, now that the actors are known.
std::vector<WireFault> Parser::takeFaults()
{
    std::vector<WireFault> faults;
    for (const auto &f : m_faultLines) {
        WireFault fault;
        fault.kind = f.kind;
        fault.line = f.line;
        fault.column = scn::columnOf(f.text, f.word);
        fault.text = std::string(scn::trim(f.text));
        if (f.kind == WireFault::Kind::Drop) {
            scn::LineCursor cursor(f.text);
            cursor.seek(f.pos);
            try {
                scn::parseDrop(cursor, m_scenario.actors, fault);
            } catch (const LineError &e) {
                errorAt(f.line, scn::columnOf(f.text, e.pos), e.message);
                continue;
            }
        }
        faults.push_back(std::move(fault));
    }
    m_faultLines.clear();
    return faults;
}

// Directions need every bind of the file, so they are checked once all steps are in.
void Parser::checkFaultDirections()
{
    for (const auto &step : m_scenario.steps)
        for (const auto &fault : step.faults)
            if (auto problem = wireDirectionProblem(m_scenario, fault); !problem.empty())
                errorAt(fault.line, fault.column, problem);
}

void Parser::parseStepLine(std::string_view line, std::string_view content)
{
    if (!m_metaDone)
        finishMetadata();
    std::vector<WireFault> faults = takeFaults();
    m_sawStepLine = true;
    m_lastStep = nullptr;
    m_noteLines = 0;
    if (m_tooManySteps)
        return;
    if (m_scenario.steps.size() >= kMaxSteps) {
        m_tooManySteps = true;
        error(line, 0, "too many steps (at most " + std::to_string(kMaxSteps) + ")");
        return;
    }
    Step step;
    step.line = m_lineNo;
    step.text = std::string(scn::trim(content));
    scn::LineCursor cursor(content);
    try {
        cursor.skipSpace();
        step.column = scn::columnOf(line, cursor.pos());
        std::size_t actorPos = cursor.pos();
        step.actor = std::string(cursor.identifier("an actor name or 'key: value'"));
        bool known =
            std::find(m_scenario.actors.begin(), m_scenario.actors.end(), step.actor) != m_scenario.actors.end();
        if (m_actorsKnown && !known) {
            std::string declared;
            for (const auto &a : m_scenario.actors)
                declared += (declared.empty() ? "" : " ") + a;
            cursor.failAt(actorPos, "unknown actor '" + step.actor + "' (declared in 'actors:': " + declared + ")");
        }
        scn::parseStepBody(cursor, step, m_vars, m_lineNo, m_processes);
        checkGroup(step, actorPos);
    } catch (const LineError &e) {
        error(line, e.pos, e.message);
        m_group.clear(); // a broken line breaks its '&' group; more errors about the group would only be noise
        return;
    }
    step.index = static_cast<int>(m_scenario.steps.size());
    step.faults = std::move(faults);
    if (step.together) {
        m_ampLine = m_lineNo;
        m_ampColumn = scn::columnOf(line, content.find_last_of('&'));
    }
    m_scenario.steps.push_back(std::move(step));
    m_lastStep = &m_scenario.steps.back();
}

// Steps joined by '&' are released at once, one per actor thread: two steps of one actor cannot be in one group.
void Parser::checkGroup(const Step &step, std::size_t actorPos)
{
    for (const auto &[actor, line] : m_group)
        if (actor == step.actor)
            scn::LineCursor::failAt(actorPos, "expected a step of another actor after '&' (actor '" + actor +
                                                  "' already has the step on line " + std::to_string(line) +
                                                  " in this group)");
    if (step.together)
        m_group.emplace_back(step.actor, m_lineNo);
    else
        m_group.clear();
}

} // namespace

ParseResult parseScenario(std::string_view text, const std::string &fileName)
{
    return Parser(text, fileName).run();
}

ParseResult loadScenarioFile(const std::string &path)
{
    ParseResult result;
    std::error_code ec;
    auto fail = [&](std::string message) {
        result.errors.push_back({path, 0, 0, std::move(message)});
        return result;
    };
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail("cannot read file: " + std::string(std::strerror(errno)));
    if (std::filesystem::is_directory(path, ec))
        return fail("cannot read file: " + std::string(std::strerror(EISDIR)));
    std::string text;
    char buffer[65536];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        text.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (text.size() > kMaxFileBytes)
            return fail("file is larger than " + std::to_string(kMaxFileBytes) + " bytes");
    }
    if (in.bad())
        return fail("cannot read file: " + std::string(std::strerror(errno)));
    return parseScenario(text, path);
}

std::string SockAddr::text() const
{
    if (unspec)
        return "AF_UNSPEC";
    std::string port = ":" + std::to_string(this->port);
    return v6 ? "[" + ip + "]" + port : ip + port;
}

std::string ParseError::format() const
{
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": error: " + message;
}

} // namespace sockscope::core
