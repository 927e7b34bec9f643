// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/stream/jsonline.h"

namespace sockscope::core {

namespace {

using Json = nlohmann::ordered_json;

// nlohmann's parser is iterative, but values nested thousands deep cost a stack frame per level wherever they
// are later walked (dump, comparison, destruction in older releases): refuse them before parsing, in one pass.
int tooDeepAt(std::string_view line)
{
    int depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxJsonDepth)
                return static_cast<int>(i) + 1;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return 0;
}

// Learns where and why a parse failed; builds nothing.
struct ErrorSax : nlohmann::json_sax<Json>
{
    std::size_t position = 0; // bytes read when the error was seen
    std::size_t tokenBytes = 0;
    std::string message;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t &) override { return true; }
    bool string(string_t &) override { return true; }
    bool binary(binary_t &) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t &) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t pos, const std::string &lastToken, const nlohmann::detail::exception &ex) override
    {
        position = pos;
        // A number too large for a double (out_of_range 406) is pointed at where it starts; a syntax error at the
        // byte where the parser stopped, as nlohmann reports it.
        tokenBytes = ex.id == 406 ? lastToken.size() : 1;
        message = ex.what();
        return false;
    }
};

// The message quotes the input ("last read: ..."): bytes that are not printable ASCII are shown as \xNN, so a
// hostile file cannot put terminal escapes or invalid UTF-8 on the user's screen through an error message.
std::string printable(std::string_view s)
{
    static const char *kHex = "0123456789abcdef";
    std::string out;
    for (unsigned char c : s) {
        if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

// "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..." -> "syntax error ...".
std::string plainMessage(const std::string &what)
{
    if (auto pos = what.find("syntax error"); pos != std::string::npos)
        return printable(what.substr(pos));
    if (what.rfind("[json.exception.", 0) == 0)
        if (auto close = what.find("] "); close != std::string::npos)
            return printable(what.substr(close + 2));
    return printable(what);
}

std::optional<Json> fail(JsonLineError *error, std::string message, int column)
{
    if (error)
        *error = JsonLineError{std::move(message), column};
    return std::nullopt;
}

} // namespace

std::optional<Json> parseJsonLine(std::string_view line, JsonLineError *error, std::size_t maxBytes)
{
    if (line.size() > maxBytes)
        return fail(error,
                    "line too long (" + std::to_string(line.size()) + " bytes, at most " + std::to_string(maxBytes) +
                        ")",
                    static_cast<int>(std::min<std::size_t>(maxBytes, 0x7fffffff)) + 1);
    if (int at = tooDeepAt(line))
        return fail(error, "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels", at);
    try {
        Json j = Json::parse(line.begin(), line.end(), nullptr, false);
        if (!j.is_discarded())
            return j;
        ErrorSax sax;
        Json::sax_parse(line.begin(), line.end(), &sax);
        const std::size_t start = sax.position > sax.tokenBytes ? sax.position - sax.tokenBytes + 1 : 1;
        return fail(error, "invalid JSON: " + plainMessage(sax.message), static_cast<int>(start));
    } catch (const std::exception &e) {
        // Not expected with exceptions off, but a reader must never take the program down.
        return fail(error, "invalid JSON: " + plainMessage(e.what()), 1);
    }
}

int columnOfKey(std::string_view line, std::string_view key)
{
    std::string quoted;
    quoted.reserve(key.size() + 2);
    quoted += '"';
    quoted += key;
    quoted += '"';
    // A key is followed by ':'; the same text as a value ("kind":"step" and "step":3) is not the field.
    for (auto pos = line.find(quoted); pos != std::string_view::npos; pos = line.find(quoted, pos + 1)) {
        auto after = line.find_first_not_of(" \t", pos + quoted.size());
        if (after != std::string_view::npos && line[after] == ':')
            return static_cast<int>(pos) + 1;
    }
    return 1;
}

} // namespace sockscope::core
