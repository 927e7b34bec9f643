// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/io/runfile.h"

#include "core/io/atomicfile.h"
#include "core/stream/eventjson.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

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

std::optional<RunData> loadRun(const std::string &path, LoadError *error)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(error, path, 0, 0, std::string("cannot open: ") + std::strerror(errno));
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    if (text.empty())
        return fail(error, path, 0, 0, "empty file, not a sockscope run");

    RunData run;
    bool haveEnd = false;
    std::int64_t lastN = -1;
    int lineNo = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t eol = text.find('\n', pos);
        const bool complete = eol != std::string::npos;
        std::string_view line(text.data() + pos, (complete ? eol : text.size()) - pos);
        pos = complete ? eol + 1 : text.size();
        ++lineNo;
        if (!line.empty() && line.back() == '\r') // tolerate files that went through a Windows editor
            line.remove_suffix(1);

        if (lineNo == 1) {
            Json header = Json::parse(line.begin(), line.end(), nullptr, false);
            auto version = header.is_object() ? header.find("sockscope_run") : header.end();
            if (header.is_discarded() && !complete)
                return fail(error, path, 1, 1, "truncated file: the header line is incomplete");
            if (header.is_discarded() || !header.is_object() || version == header.end())
                return fail(error, path, 1, 1,
                            "missing header: the first line of a run file is {\"sockscope_run\": 1, ...}; this "
                            "is not a sockscope run file");
            if (!version->is_number_integer() || version->get<std::int64_t>() < 1)
                return fail(error, path, 1, 1, "\"sockscope_run\" must be a positive integer version");
            if (version->get<std::int64_t>() > kRunFileVersion)
                return fail(error, path, 1, 1,
                            "unsupported run file version " + std::to_string(version->get<std::int64_t>()) +
                                " (this sockscope reads version " + std::to_string(kRunFileVersion) +
                                "); a newer sockscope saved it");
            auto field = [&](const char *name, std::string &out) {
                auto it = header.find(name);
                if (it == header.end() || !it->is_string())
                    return false;
                out = it->get<std::string>();
                return true;
            };
            for (auto [name, out] :
                 {std::pair{"scenario_name", &run.scenarioName}, std::pair{"scenario_path", &run.scenarioPath},
                  std::pair{"scenario_source", &run.scenarioSource}, std::pair{"saved", &run.saved}})
                if (!field(name, *out))
                    return fail(error, path, 1, 1, std::string("header: field \"") + name + "\" must be a string");
            continue;
        }

        if (line.empty()) {
            if (pos >= text.size())
                break; // "\n\n" at the very end is harmless
            return fail(error, path, lineNo, 1, "empty line in the event stream");
        }
        JsonLineResult parsed = fromJsonLine(line);
        if (!parsed.event) {
            if (!complete)
                return fail(error, path, lineNo, parsed.column,
                            "truncated file: the last line is incomplete (" + parsed.error + ")");
            return fail(error, path, lineNo, parsed.column, parsed.error);
        }
        Event &e = *parsed.event;
        if (haveEnd)
            return fail(error, path, lineNo, 1, "event n=" + std::to_string(e.n) + " after the end event");
        if (e.n <= lastN)
            return fail(error, path, lineNo, 1,
                        "events out of order: n=" + std::to_string(e.n) + " after n=" + std::to_string(lastN));
        if (const auto *r = e.as<RunInfo>(); r && r->version > kEventStreamVersion)
            return fail(error, path, lineNo, 1,
                        "unsupported event stream version " + std::to_string(r->version) +
                            " (this sockscope reads version " + std::to_string(kEventStreamVersion) + ")");
        lastN = e.n;
        haveEnd = e.kind() == EventKind::End;
        run.events.push_back(std::move(e));
    }
    if (lineNo < 1)
        return fail(error, path, 0, 0, "empty file, not a sockscope run");
    if (!haveEnd)
        return fail(error, path, lineNo, 1,
                    "truncated file: the event stream stops after " +
                        (lastN < 0 ? std::string("the header") : "event n=" + std::to_string(lastN)) +
                        " without an end event");
    return run;
}

} // namespace sockscope::core
