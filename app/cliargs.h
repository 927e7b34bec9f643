// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the one parser of every subcommand's arguments (getopt_long, GNU conventions): --opt=value and
// --opt value, -o value and -ovalue, unique abbreviations of long options, options anywhere among the
// operands, "--" ends the options; -h/--help on every command; unknown options, missing values and wrong
// operand counts are one line naming the problem, then "Try 'sockscope CMD --help'.", exit 2.
// Thread-safety: main thread only (getopt_long keeps global state).

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sockscope::app {

using Args = std::vector<std::string>;

struct OptionSpec
{
    std::string name;      // long name without "--": "runs"
    char shortName = 0;    // 'o', or 0 for none
    std::string valueName; // "N" for an option with a value, "" for a flag
    std::string help;      // one line for --help
};

struct CommandSpec
{
    std::string name;     // "run"
    std::string operands; // "SCENARIO", "[SCENARIO...]" for --help
    std::string summary;  // what it does, for --help
    size_t minOperands = 0;
    size_t maxOperands = 0;          // SIZE_MAX: any number
    std::string missing;             // why an operand is needed, after "missing SCENARIO: "
    std::vector<OptionSpec> options; // -h/--help is every command's, not listed here
    std::string notes;               // printed after the options by --help ("" for none)
};

// What parseCommand found: the operands in order and each option given (the last value wins).
class ParsedArgs
{
public:
    std::vector<std::string> operands;

    bool has(const std::string &name) const { return m_values.count(name) != 0; }
    // The option's value, or fallback when it was not given.
    std::string value(const std::string &name, const std::string &fallback = {}) const;
    void set(const std::string &name, std::string value) { m_values[name] = std::move(value); }

private:
    std::map<std::string, std::string> m_values;
};

// Parses a command's arguments (those after the command word). On -h/--help it prints the command's help and
// sets *exitCode to 0; on a usage error it prints it and sets 2; both times it returns nothing.
std::optional<ParsedArgs> parseCommand(const CommandSpec &command, const Args &args, int *exitCode);

// "Usage: sockscope run [OPTIONS] SCENARIO", the summary, the options and the notes.
std::string commandHelp(const CommandSpec &command);
// The option rows alone ("  -o, --output=FILE   the file to write"), as commandHelp prints them.
std::string optionRows(const CommandSpec &command);

// "sockscope CMD: MESSAGE" and "Try 'sockscope CMD --help'." on stderr; returns 2. An empty command names
// the program alone ("sockscope: ...", "Try 'sockscope --help'.").
int usageError(const std::string &command, const std::string &message);

} // namespace sockscope::app
