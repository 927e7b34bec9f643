// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scenario/scenariolexer.h"

#include <cstdio>

namespace sockscope::core::scn {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && isSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

bool isIdentifier(std::string_view s)
{
    if (s.empty() || !isIdentStart(s.front()))
        return false;
    for (char c : s)
        if (!isIdentChar(c))
            return false;
    return true;
}

int columnOf(std::string_view line, std::size_t pos)
{
    int col = 1;
    for (std::size_t i = 0; i < pos && i < line.size(); ++i)
        if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80)
            ++col;
    return col;
}

std::size_t commentStart(std::string_view line)
{
    bool inString = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (inString) {
            if (c == '\\')
                ++i; // an escaped quote does not end the string
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '#' && (i == 0 || isSpace(line[i - 1]))) {
            return i;
        }
    }
    return line.size();
}

std::optional<LineError> checkEncoding(std::string_view line)
{
    auto byteError = [&](std::size_t i) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(line[i]));
        return LineError{i, std::string("invalid UTF-8 byte ") + hex + " (scenario files must be UTF-8 text)"};
    };
    for (std::size_t i = 0; i < line.size();) {
        auto b = static_cast<unsigned char>(line[i]);
        if (b == 0)
            return LineError{i, "NUL byte in the file (scenario files must be UTF-8 text)"};
        if (b < 0x80) {
            ++i;
            continue;
        }
        int len = 0;
        std::uint32_t cp = 0;
        if (b >= 0xC2 && b <= 0xDF) {
            len = 2;
            cp = b & 0x1F;
        } else if (b >= 0xE0 && b <= 0xEF) {
            len = 3;
            cp = b & 0x0F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            len = 4;
            cp = b & 0x07;
        } else {
            return byteError(i);
        }
        if (i + len > line.size())
            return byteError(i);
        for (int k = 1; k < len; ++k) {
            auto cb = static_cast<unsigned char>(line[i + k]);
            if ((cb & 0xC0) != 0x80)
                return byteError(i);
            cp = (cp << 6) | (cb & 0x3F);
        }
        // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not valid UTF-8.
        bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
        if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return byteError(i);
        i += len;
    }
    return std::nullopt;
}

void LineCursor::skipSpace()
{
    while (m_pos < m_line.size() && isSpace(m_line[m_pos]))
        ++m_pos;
}

bool LineCursor::atEnd()
{
    skipSpace();
    return m_pos >= m_line.size();
}

char LineCursor::peek()
{
    skipSpace();
    return m_pos < m_line.size() ? m_line[m_pos] : '\0';
}

bool LineCursor::accept(char c)
{
    if (peek() != c || c == '\0')
        return false;
    ++m_pos;
    return true;
}

void LineCursor::expect(char c, std::string_view context)
{
    if (!accept(c))
        failExpected(std::string("'") + c + "' " + std::string(context));
}

std::string_view LineCursor::identifier(std::string_view what)
{
    if (!isIdentStart(peek()))
        failExpected(what);
    std::size_t start = m_pos;
    while (m_pos < m_line.size() && isIdentChar(m_line[m_pos]))
        ++m_pos;
    return m_line.substr(start, m_pos - start);
}

std::int64_t LineCursor::integer(std::string_view what, std::int64_t min, std::int64_t max)
{
    skipSpace();
    std::size_t start = m_pos;
    std::size_t i = m_pos;
    bool negative = i < m_line.size() && m_line[i] == '-';
    if (negative)
        ++i;
    if (i >= m_line.size() || !isDigit(m_line[i]))
        failExpected(what);
    std::int64_t value = 0;
    bool overflow = false;
    for (; i < m_line.size() && isDigit(m_line[i]); ++i) {
        // Saturate instead of overflowing: any value past the cap is out of every allowed range anyway.
        if (value > 1'000'000'000'000'000LL)
            overflow = true;
        else
            value = value * 10 + (m_line[i] - '0');
    }
    if (i < m_line.size() && (isIdentChar(m_line[i]) || m_line[i] == '.'))
        failExpected(what); // "10k", "1.5": describeHere shows the whole token
    m_pos = i;
    if (negative)
        value = -value;
    if (overflow || value < min || value > max)
        failAt(start, std::string(what) + " out of range: " + std::string(m_line.substr(start, i - start)) +
                          " (expected " + std::to_string(min) + ".." + std::to_string(max) + ")");
    return value;
}

std::string LineCursor::stringLiteral()
{
    std::size_t start = m_pos;
    ++m_pos; // the opening quote
    std::string out;
    while (m_pos < m_line.size()) {
        char c = m_line[m_pos];
        if (c == '"') {
            ++m_pos;
            return out;
        }
        if (c == '\\') {
            char e = m_pos + 1 < m_line.size() ? m_line[m_pos + 1] : '\0';
            switch (e) {
            case 'n':
                out += '\n';
                break;
            case 't':
                out += '\t';
                break;
            case '\\':
                out += '\\';
                break;
            case '"':
                out += '"';
                break;
            default:
                fail("unknown escape in string (expected \\n, \\t, \\\\ or \\\")");
            }
            m_pos += 2;
            continue;
        }
        out += c;
        ++m_pos;
    }
    failAt(start, "unterminated string: expected '\"' before the end of the line");
}

std::string LineCursor::describeHere()
{
    skipSpace();
    if (m_pos >= m_line.size())
        return "the end of the line";
    std::size_t end = m_pos;
    // Show a whole word or number ("'localhost'", "'10k'") rather than its first character.
    while (end < m_line.size() && (isIdentChar(m_line[end]) || m_line[end] == '.'))
        ++end;
    if (end == m_pos) {
        if (m_line[m_pos] == '"')
            return "a string";
        end = m_pos + 1;
        while (end < m_line.size() && (static_cast<unsigned char>(m_line[end]) & 0xC0) == 0x80)
            ++end; // a whole UTF-8 character
    }
    return "'" + std::string(m_line.substr(m_pos, end - m_pos)) + "'";
}

} // namespace sockscope::core::scn
