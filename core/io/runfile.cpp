// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/io/runfile.h"

#include "core/io/atomicfile.h"
#include "core/stream/eventjson.h"
#include "core/stream/eventlimits.h"
#include "core/stream/eventreader.h"
#include "core/stream/jsonline.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/stat.h>
#include <tuple>
#include <unistd.h>

namespace sockscope::core {

namespace {

using Json = nlohmann::ordered_json;

std::string isoNow()
{
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::optional<RunData> fail(LoadError *error, const std::string &file, int line, int column, std::string message)
{
    if (error)
        *error = LoadError{file, line, column, std::move(message)};
    return std::nullopt;
}

} // namespace

std::string LoadError::format() const
{
    if (line <= 0)
        return file + ": error: " + message;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column > 0 ? column : 1) + ": error: " + message;
}

bool saveRun(const std::string &path, const RunData &run, std::string *error)
{
    Json header;
    header["sockscope_run"] = kRunFileVersion;
    header["saved"] = isoNow();
    header["scenario_name"] = run.scenarioName;
    header["scenario_path"] = run.scenarioPath;
    header["scenario_source"] = run.scenarioSource;

    std::string text = header.dump(-1, ' ', false, Json::error_handler_t::replace) + '\n';
    for (const auto &e : run.events) {
        text += toJsonLine(e);
        text += '\n';
    }
    return writeFileAtomically(path, text, error);
}

namespace {

// The whole file, if it is a regular file of bounded size (a FIFO or /dev/zero would never end).
std::optional<std::string> readRegularFile(const std::string &path, std::string *why)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        *why = std::string("cannot open: ") + std::strerror(errno);
        return std::nullopt;
    }
    struct stat st
    {
    };
    std::string text;
    if (::fstat(fd, &st) != 0) {
        *why = std::string("cannot open: ") + std::strerror(errno);
    } else if (!S_ISREG(st.st_mode)) {
        *why = "not a regular file";
    } else if (static_cast<std::uint64_t>(st.st_size) > kMaxRunFileBytes) {
        *why = "file too large (" + std::to_string(st.st_size) + " bytes, at most " + std::to_string(kMaxRunFileBytes) +
               ")";
    } else {
        text.resize(static_cast<std::size_t>(st.st_size));
        std::size_t done = 0;
        while (done < text.size()) {
            const ssize_t n = ::read(fd, text.data() + done, text.size() - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                *why = std::string("cannot read: ") + std::strerror(errno);
                break;
            }
            if (n == 0)
                break;
            done += static_cast<std::size_t>(n);
        }
        text.resize(done);
    }
    ::close(fd);
    if (!why->empty())
        return std::nullopt;
    return text;
}

// The header line: {"sockscope_run": 1, "saved": ..., "scenario_name": ..., "scenario_path": ...,
// "scenario_source": ...}. Returns "" or what is wrong (*column set).
std::string readHeader(std::string_view line, bool complete, RunData &run, int *column)
{
    *column = 1;
    JsonLineError parseError;
    std::optional<Json> header = parseJsonLine(line, &parseError);
    if (!header && !complete)
        return "truncated file: the header line is incomplete";
    if (!header && parseError.message.rfind("invalid JSON", 0) != 0) {
        *column = parseError.column; // too long, too deep: say so rather than "not a run file"
        return "header: " + parseError.message;
    }
    const Json empty = Json::object();
    const Json &h = header && header->is_object() ? *header : empty;
    const auto version = h.find("sockscope_run");
    if (version == h.end())
        return "missing header: the first line of a run file is {\"sockscope_run\": 1, ...}; this is not a sockscope "
               "run file";
    const bool positive = version->is_number_unsigned()  ? version->template get<std::uint64_t>() >= 1
                          : version->is_number_integer() ? version->template get<std::int64_t>() >= 1
                                                         : false;
    if (!positive)
        return "\"sockscope_run\" must be a positive integer version";
    if (const auto v = version->template get<std::uint64_t>(); v > static_cast<std::uint64_t>(kRunFileVersion))
        return "unsupported run file version " + std::to_string(v) + " (this sockscope reads version " +
               std::to_string(kRunFileVersion) + "); a newer sockscope saved it";
    for (auto [name, out, max] : {std::tuple{"scenario_name", &run.scenarioName, kMaxFieldBytes},
                                  std::tuple{"scenario_path", &run.scenarioPath, kMaxFieldBytes},
                                  std::tuple{"scenario_source", &run.scenarioSource, kMaxScenarioSourceBytes},
                                  std::tuple{"saved", &run.saved, kMaxFieldBytes}}) {
        auto it = h.find(name);
        if (it == h.end() || !it->is_string())
            return std::string("header: field \"") + name + "\" must be a string";
        if (it->get_ref<const std::string &>().size() > max)
            return std::string("header: field \"") + name + "\" is too long (at most " + std::to_string(max) +
                   " bytes)";
        *out = it->get<std::string>();
    }
    return {};
}

} // namespace

std::optional<RunData> loadRun(const std::string &path, LoadError *error)
{
    std::string why;
    const std::optional<std::string> text = readRegularFile(path, &why);
    if (!text)
        return fail(error, path, 0, 0, why);
    return parseRun(*text, path, error);
}

std::optional<RunData> parseRun(std::string_view text, const std::string &path, LoadError *error)
{
    std::string why;
    if (text.empty())
        return fail(error, path, 0, 0, "empty file, not a sockscope run");

    RunData run;
    EventStreamReader reader;
    int lastLine = 0;
    int failLine = 0;
    int failColumn = 0;
    const std::size_t size = text.size();
    std::size_t consumed = 0;
    forEachLine(text, [&](int lineNo, std::string_view line, bool complete) {
        lastLine = lineNo;
        consumed += line.size() + (complete ? 1 : 0);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (lineNo == 1) {
            why = readHeader(line, complete, run, &failColumn);
        } else if (line.empty()) {
            if (consumed >= size)
                return false; // "\n\n" at the very end is harmless
            why = "empty line in the event stream";
            failColumn = 1;
        } else {
            JsonLineResult parsed = reader.read(line);
            if (parsed.event) {
                run.events.push_back(std::move(*parsed.event));
                return true;
            }
            failColumn = parsed.column;
            why = complete ? parsed.error : "truncated file: the last line is incomplete (" + parsed.error + ")";
        }
        failLine = lineNo;
        return why.empty();
    });
    if (!why.empty())
        return fail(error, path, failLine, failColumn, why);
    if (!reader.ended())
        return fail(error, path, lastLine, 1,
                    "truncated file: the event stream stops after " +
                        (reader.lastN() < 0 ? std::string("the header") : "event n=" + std::to_string(reader.lastN())) +
                        " without an end event");
    return run;
}

} // namespace sockscope::core
