// SPDX-License-Identifier: GPL-3.0-or-later
// The one argument parser: getopt_long over a command's option table, with sockscope's own one-line errors.
#include "app/cliargs.h"

#include <getopt.h>

#include <cctype>
#include <cstdint>
#include <iostream>
#include <sstream>

namespace sockscope::app {

namespace {

constexpr int kLongOnlyBase = 256; // getopt_long's val for an option without a short name: 256 + its index

const OptionSpec kHelp{"help", 'h', "", "print this help and exit"};

std::vector<OptionSpec> withHelp(const CommandSpec &command)
{
    std::vector<OptionSpec> all{kHelp};
    all.insert(all.end(), command.options.begin(), command.options.end());
    return all;
}

int valueOf(const OptionSpec &o, size_t index)
{
    return o.shortName ? o.shortName : kLongOnlyBase + static_cast<int>(index);
}

const OptionSpec *byValue(const std::vector<OptionSpec> &all, int val)
{
    for (size_t i = 0; i < all.size(); ++i)
        if (valueOf(all[i], i) == val)
            return &all[i];
    return nullptr;
}

std::string shownName(const OptionSpec &o)
{
    return "--" + o.name;
}

// "--frob=1" -> "--frob": getopt_long leaves the whole word in argv.
std::string optionWord(const std::string &word)
{
    const size_t eq = word.find('=');
    return word.starts_with("--") && eq != std::string::npos ? word.substr(0, eq) : word;
}

// The error for the word getopt_long refused: unknown, or an abbreviation of more than one option.
std::string unknownOption(const std::vector<OptionSpec> &all, const std::string &word, int optopt)
{
    if (!word.starts_with("--") && optopt)
        return std::string("unknown option '-") + static_cast<char>(optopt) + "'";
    const std::string name = optionWord(word).substr(2);
    std::string matches;
    for (const auto &o : all)
        if (!name.empty() && o.name.starts_with(name))
            matches += (matches.empty() ? "" : ", ") + shownName(o);
    if (matches.find(',') != std::string::npos)
        return "ambiguous option '" + optionWord(word) + "' (" + matches + ")";
    return "unknown option '" + optionWord(word) + "'";
}

} // namespace

std::string ParsedArgs::value(const std::string &name, const std::string &fallback) const
{
    auto it = m_values.find(name);
    return it == m_values.end() ? fallback : it->second;
}

int usageError(const std::string &command, const std::string &message)
{
    const std::string who = command.empty() ? "sockscope" : "sockscope " + command;
    std::cerr << who << ": " << message << "\nTry '" << who << " --help'.\n";
    return 2;
}

std::string optionRows(const CommandSpec &command)
{
    std::ostringstream out;
    for (const auto &o : withHelp(command)) {
        std::string left = o.shortName ? std::string("  -") + o.shortName + ", " : std::string("      ");
        left += shownName(o) + (o.valueName.empty() ? "" : "=" + o.valueName);
        out << left << std::string(left.size() < 30 ? 30 - left.size() : 1, ' ') << o.help << "\n";
    }
    return out.str();
}

std::string commandHelp(const CommandSpec &command)
{
    std::ostringstream out;
    out << "Usage: sockscope " << command.name << " [OPTIONS]" << (command.operands.empty() ? "" : " ")
        << command.operands << "\n"
        << static_cast<char>(std::toupper(static_cast<unsigned char>(command.summary.front())))
        << command.summary.substr(1) << ".\n\nOptions:\n"
        << optionRows(command);
    if (!command.notes.empty())
        out << "\n" << command.notes;
    return out.str();
}

std::optional<ParsedArgs> parseCommand(const CommandSpec &command, const Args &args, int *exitCode)
{
    const std::vector<OptionSpec> all = withHelp(command);
    std::vector<option> longOptions;
    // '-': operands come back in order as code 1 (and POSIXLY_CORRECT cannot stop options after them);
    // ':': a missing value is reported as ':' rather than by getopt's own message.
    std::string shortOptions = "-:";
    for (size_t i = 0; i < all.size(); ++i) {
        const OptionSpec &o = all[i];
        const int has = o.valueName.empty() ? no_argument : required_argument;
        longOptions.push_back({o.name.c_str(), has, nullptr, valueOf(o, i)});
        if (o.shortName)
            shortOptions += std::string(1, o.shortName) + (has == required_argument ? ":" : "");
    }
    longOptions.push_back({nullptr, 0, nullptr, 0});

    std::vector<std::string> words{"sockscope " + command.name};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char *> argv;
    for (auto &w : words)
        argv.push_back(w.data());
    argv.push_back(nullptr);
    const int argc = static_cast<int>(words.size());

    auto fail = [&](const std::string &message) {
        *exitCode = usageError(command.name, message);
        return std::nullopt;
    };
    ParsedArgs parsed;
    optind = 0; // a full re-initialisation of getopt's state (glibc)
    opterr = 0;
    for (;;) {
        const int c = getopt_long(argc, argv.data(), shortOptions.c_str(), longOptions.data(), nullptr);
        if (c == -1)
            break;
        const std::string word = argv[optind - 1] ? argv[optind - 1] : "";
        if (c == 1) {
            parsed.operands.emplace_back(optarg);
        } else if (c == '?') {
            return fail(unknownOption(all, word, optopt));
        } else if (c == ':') {
            const OptionSpec *o = byValue(all, optopt);
            const bool asShort = o && o->shortName && !word.starts_with("--");
            const std::string typed = asShort ? std::string("-") + o->shortName : o ? shownName(*o) : optionWord(word);
            return fail("option '" + typed + "' needs a value" + (o ? " (" + o->valueName + ")" : ""));
        } else if (const OptionSpec *o = byValue(all, c)) {
            if (o == &all.front()) {
                std::cout << commandHelp(command);
                *exitCode = 0;
                return std::nullopt;
            }
            parsed.set(o->name, optarg ? std::string(optarg) : std::string());
        }
    }
    for (int i = optind; i < argc; ++i) // after "--"
        parsed.operands.emplace_back(argv[i]);
    if (parsed.operands.size() < command.minOperands)
        return fail("missing " + command.operands + (command.missing.empty() ? "" : ": " + command.missing));
    if (parsed.operands.size() > command.maxOperands)
        return fail("extra operand '" + parsed.operands[command.maxOperands] + "'" +
                    (command.maxOperands ? " (takes " + command.operands + ")" : " (takes none)"));
    return parsed;
}

} // namespace sockscope::app
