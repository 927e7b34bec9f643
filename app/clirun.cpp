// SPDX-License-Identifier: GPL-3.0-or-later
// sockscope run / check.
#include "app/cli.h"
#include "app/clicolor.h"
#include "app/cliprogress.h"

#include "core/io/textlog.h"
#include "core/io/verdict.h"
#include "core/lab/parent/labbatch.h"
#include "core/lab/parent/labclient.h"
#include "core/model/outcome.h"
#include "core/scenario/builtins.h"
#include "core/stream/eventjson.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace sockscope::app {

using namespace sockscope::core;

namespace {

// Loads a scenario for a command; prints every parse error and returns nothing when it does not parse.
std::optional<Scenario> loadForCommand(const std::string &nameOrPath)
{
    ParseResult r = resolveScenario(nameOrPath);
    if (r.scenario)
        return r.scenario;
    for (const auto &e : r.errors)
        std::cerr << e.format() << "\n";
    std::cerr << "sockscope: nothing was run.\n";
    return std::nullopt;
}

struct RunSummary
{
    std::string labError; // the lab could not run it at all, or ""
    std::vector<Event> events;
    RunVerdict verdict;
};

RunSummary summarize(std::vector<Event> events, std::string labError)
{
    RunSummary sum;
    sum.events = std::move(events);
    sum.labError = std::move(labError);
    sum.verdict = judgeRun(sum.events);
    if (!sum.labError.empty())
        sum.verdict.error = sum.labError;
    return sum;
}

RunSummary runOnce(const Scenario &scenario, bool forceHost, const EventSink &tap, bool quiet)
{
    std::vector<Event> events;
    std::string labError;
    LabOptions options;
    options.forceHost = forceHost;
    // While a long sleep() or wait() runs no event comes: a countdown on the terminal says why.
    WaitProgress waiting(!quiet);
    options.onLongWait = [&](int step, std::int64_t ms) {
        const Step &s = scenario.steps[static_cast<std::size_t>(step)];
        waiting.start("line " + std::to_string(s.line) + ": " + s.text, ms);
    };
    runLab(
        scenario, options,
        [&](Event &&e) {
            waiting.stop();
            if (tap)
                tap(Event(e));
            events.push_back(std::move(e));
        },
        &labError);
    return summarize(std::move(events), std::move(labError));
}

} // namespace

void printVerdict(const std::vector<Event> &events, const RunVerdict &verdict, std::ostream &out)
{
    for (const auto &f : verdict.failures)
        out << "FAILED " << f << "\n";
    for (size_t i : verdict.contradictions)
        out << "FAILED " << describeContradiction(events, i);
    if (!verdict.contradictions.empty())
        out << "FAILED " << verdict.contradictions.size()
            << " kernel snapshot(s) contradicted the derived TCP states: the diagram of this run is wrong there\n";
    if (!verdict.error.empty())
        out << "sockscope: run failed: " << verdict.error << "\n";
}

namespace {

void printIsolationNote(const std::vector<Event> &events)
{
    if (events.empty())
        return;
    if (const auto *run = events.front().as<RunInfo>()) {
        if (run->isolation != "netns" || !run->capture)
            std::cerr << "sockscope: note: " << (run->isolation == "netns" ? "" : "running on the host's loopback; ")
                      << (run->capture ? "" : "packet capture is off; ") << run->captureNote << "\n";
    }
}

} // namespace

namespace {

// --color's value, or nothing after the usage error (*rc = 2).
std::optional<bool> colorFrom(const ParsedArgs &args, const std::string &command, int *rc)
{
    auto mode = colorModeFromName(args.value("color", "auto"));
    if (!mode) {
        *rc = usageError(command, "--color takes auto, always or never, not '" + args.value("color") + "'");
        return std::nullopt;
    }
    return useColor(*mode);
}

int cmdRun(const ParsedArgs &args)
{
    const bool json = args.has("json"), forceHost = args.has("host"), quiet = args.has("quiet");
    int runs = 1;
    if (args.has("runs")) {
        const std::string v = args.value("runs");
        char *end = nullptr;
        const long n = std::strtol(v.c_str(), &end, 10);
        if (v.empty() || *end || n < 1 || n > 10000)
            return usageError("run", "--runs takes a whole number from 1 to 10000, not '" + v + "'");
        runs = static_cast<int>(n);
    }
    int rc = 0;
    const auto color = colorFrom(args, "run", &rc);
    if (!color)
        return rc;
    auto scenario = loadForCommand(args.operands.front());
    if (!scenario)
        return 2;
    auto paint = [&](const std::string &text) { return *color && !json ? colorizeLog(text) : text; };

    std::vector<TcpBehaviour> keys;
    int failedRuns = 0, contradictedRuns = 0, unmetRuns = 0, labFaults = 0;
    Progress progress(runs, "runs", runs > 1 && !quiet);
    // What every run adds to the summary, in run order.
    auto tally = [&](int r, RunSummary &&sum) {
        if (r == 0 && !quiet)
            printIsolationNote(sum.events);
        keys.push_back(tcpBehaviour(sum.events));
        // A fault of the tool, not a disagreement of the kernel: said on stderr, exit 2.
        if (!sum.labError.empty()) {
            progress.clear();
            ++labFaults;
            std::cerr << "sockscope: the lab failed" << (runs > 1 ? " in run " + std::to_string(r + 1) : "") << ": "
                      << sum.labError << "\n";
        } else if (!sum.verdict.ok()) {
            progress.clear();
            ++failedRuns;
            std::ostringstream failure;
            if (runs > 1)
                failure << "run " << (r + 1) << ":\n";
            printVerdict(sum.events, sum.verdict, failure);
            (json ? std::cerr : std::cout) << paint(failure.str()) << std::flush;
        }
        if (!sum.verdict.contradictions.empty())
            ++contradictedRuns;
        if (sum.verdict.failedChecks || !sum.verdict.ended || !sum.verdict.endOk || !sum.verdict.error.empty())
            ++unmetRuns;
    };
    if (runs == 1) {
        LogContext ctx = LogContext::forActors(scenario->actors);
        EventSink tap = [&](Event &&e) {
            std::string line = json ? toJsonLine(e) : formatLogLine(e, ctx);
            if (!line.empty())
                std::cout << paint(line) << "\n";
            if (e.kind() == EventKind::End)
                std::cout.flush();
        };
        RunSummary sum = runOnce(*scenario, forceHost, quiet ? EventSink() : tap, quiet);
        if (!json && !quiet) {
            std::string rest = finishLog(ctx);
            if (!rest.empty())
                std::cout << paint(rest) << "\n";
        }
        tally(0, std::move(sum));
    } else {
        // Several labs at once, two per CPU; on the host's loopback they would see each other's segments.
        LabOptions options;
        options.forceHost = forceHost;
        LabBatch batch(*scenario, options, runs, forceHost ? 1 : 0);
        batch.run([&](BatchRun &&run) {
            progress.show(run.index + 1);
            if (json && !quiet) {
                for (const auto &e : run.events)
                    std::cout << toJsonLine(e) << "\n";
                std::cout.flush();
            }
            tally(run.index, summarize(std::move(run.events), std::move(run.error)));
        });
    }
    progress.clear();
    if (runs > 1 && !quiet) {
        std::ostream &out = json ? std::cerr : std::cout;
        auto groups = groupBehaviours(keys);
        out << "\n"
            << runs << " runs, " << (runs - unmetRuns) << " met every expectation, " << groups.size()
            << " distinct outcome(s), " << contradictedRuns << " run(s) with contradictions:\n";
        for (size_t g = 0; g < groups.size(); ++g) {
            out << "  outcome " << (g + 1) << ": " << groups[g].runs.size() << " run(s)  (first: run "
                << groups[g].runs.front() + 1 << "): " << groups[g].label << "\n    " << groups[g].key << "\n";
        }
    }
    return labFaults ? 2 : failedRuns ? 1 : 0;
}

int cmdCheck(const ParsedArgs &args)
{
    const bool forceHost = args.has("host"), quiet = args.has("quiet");
    std::vector<Scenario> scenarios;
    for (const auto &a : args.operands) {
        auto s = loadForCommand(a);
        if (!s)
            return 2;
        scenarios.push_back(std::move(*s));
    }
    if (scenarios.empty())
        scenarios = parsedBuiltins();
    size_t width = 8;
    for (const auto &s : scenarios)
        width = std::max(width, s.name.size());
    if (!quiet)
        std::cout << std::left << std::setw(static_cast<int>(width + 2)) << "SCENARIO" << std::setw(10) << "CHECKS"
                  << std::setw(10) << "PACKETS" << std::setw(11) << "CONFLICTS"
                  << "RESULT\n";
    std::cout << std::left;
    int failed = 0, labFaults = 0, done = 0;
    Progress progress(static_cast<int>(scenarios.size()), "checking", !quiet);
    for (const auto &s : scenarios) {
        progress.show(++done, s.name);
        RunSummary sum = runOnce(s, forceHost, nullptr, true); // its own progress line says which
        progress.clear();
        if (!sum.labError.empty()) {
            ++labFaults;
            std::cerr << "sockscope: the lab failed on " << s.name << ": " << sum.labError << "\n";
        }
        const RunVerdict &v = sum.verdict;
        if (quiet && v.ok())
            continue;
        std::ostringstream checks;
        checks << (v.checks - v.failedChecks) << "/" << v.checks;
        std::cout << std::setw(static_cast<int>(width + 2)) << s.name << std::setw(10) << checks.str() << std::setw(10)
                  << v.packets << std::setw(11) << v.contradictions.size() << (v.ok() ? "ok" : "FAILED") << "\n";
        if (!v.ok()) {
            ++failed;
            std::ostringstream detail;
            printVerdict(sum.events, v, detail);
            std::istringstream lines(detail.str());
            for (std::string line; std::getline(lines, line);)
                std::cout << "    " << line << "\n";
        }
        std::cout.flush();
    }
    if (!quiet)
        std::cout << "\n" << (scenarios.size() - static_cast<size_t>(failed)) << " passed, " << failed << " failed\n";
    return labFaults ? 2 : failed ? 1 : 0;
}

} // namespace

Command runCommand()
{
    return {{"run",
             "SCENARIO",
             "run a built-in name or a .scn file; print the log (or JSON Lines)",
             1,
             1,
             "a built-in name (see 'sockscope list') or a .scn file",
             {{"json", 0, "", "write the event stream as JSON Lines (" + docPath("events.md") + ") instead of the log"},
              {"runs", 0, "N",
               "run N times (1 to 10000), group the runs by what TCP did (state paths, call results), count "
               "contradictions"},
              hostOption(),
              quietOption(),
              colorOption()},
             "With --runs, a progress line shows on stderr when it is a terminal; so does a countdown during a\n"
             "wait() or sleep() of a second or more.\n" +
                 exitStatusText()},
            cmdRun};
}

Command checkCommand()
{
    return {{"check",
             "[SCENARIO...]",
             "run every built-in (or the ones named) and print a table",
             0,
             SIZE_MAX,
             "",
             {hostOption(), quietOption()},
             "A progress line shows on stderr when it is a terminal.\n" + exitStatusText()},
            cmdCheck};
}

} // namespace sockscope::app
