// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: character-level helpers for the scenario parser: a cursor over one line, comments, encoding, columns.
// Internal to core (used by scenarioparser.cpp only). Thread-safety: plain values, no shared state.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sockscope::core::scn {

// Thrown while parsing one line; the parser records it and resumes at the next line, so that every line's first
// error is reported in one pass without threading error returns through each small grammar function.
struct LineError
{
    std::size_t pos = 0; // byte offset in the line
    std::string message;
};

inline bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}
inline bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}
inline bool isLetter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool isIdentStart(char c)
{
    return isLetter(c);
}
inline bool isIdentChar(char c)
{
    return isLetter(c) || isDigit(c) || c == '_';
}

std::string_view trim(std::string_view s);
bool isIdentifier(std::string_view s);

// 1-based column of byte offset pos: counts UTF-8 characters, so a column matches what an editor shows
// (a tab counts as one column).
int columnOf(std::string_view line, std::size_t pos);

// Byte offset where a trailing comment starts ('#' at the start or after whitespace, outside a "string"),
// or line.size() when there is none.
std::size_t commentStart(std::string_view line);

// The first NUL byte or invalid UTF-8 sequence in the line, as an error.
std::optional<LineError> checkEncoding(std::string_view line);

class LineCursor
{
public:
    explicit LineCursor(std::string_view line) : m_line(line) {}

    std::size_t pos() const { return m_pos; }
    void seek(std::size_t pos) { m_pos = pos; }
    std::string_view line() const { return m_line; }
    void skipSpace();
    bool atEnd(); // after skipping whitespace
    char peek();  // after skipping whitespace; '\0' at the end
    bool accept(char c);
    void expect(char c, std::string_view context); // "expected ',' CONTEXT, found '('"
    std::string_view identifier(std::string_view what);
    std::int64_t integer(std::string_view what, std::int64_t min, std::int64_t max);
    std::string stringLiteral(); // at a '"'; handles \n \t \\ \"

    // What is at the cursor, for messages: "'token'" or "the end of the line".
    std::string describeHere();
    [[noreturn]] void fail(std::string message) { failAt(m_pos, std::move(message)); }
    [[noreturn]] static void failAt(std::size_t pos, std::string message) { throw LineError{pos, std::move(message)}; }
    [[noreturn]] void failExpected(std::string_view what)
    {
        fail("expected " + std::string(what) + ", found " + describeHere());
    }

private:
    std::string_view m_line;
    std::size_t m_pos = 0;
};

} // namespace sockscope::core::scn
