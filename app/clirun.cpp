// SPDX-License-Identifier: GPL-3.0-or-later
// sockscope list / run / check.
#include "app/cli.h"

#include "core/io/textlog.h"
#include "core/io/verdict.h"
#include "core/lab/parent/labclient.h"
#include "core/model/outcome.h"
#include "core/scenario/builtins.h"
#include "core/stream/eventjson.h"

#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace sockscope::app {

using namespace sockscope::core;

void printUsage(bool full)
{
    std::cout
        << "Usage: sockscope [COMMAND] [OPTIONS]\n"
           "Runs TCP scenarios on the real Linux kernel (loopback, private network namespace) and shows\n"
           "every system call, signal, segment and TCP state.\n\n"
           "Commands:\n"
           "  (none)                      open the window\n"
           "  open [SCENARIO|RUNFILE]     open the window on a scenario or saved run (headless: export a figure)\n"
           "  list                        list the built-in scenarios (name, topic, title)\n"
           "  show NAME                   print a built-in scenario's source (to start a new one from)\n"
           "  run SCENARIO [--json] [--runs N] [--host]\n"
           "                              run a built-in name or a .scn file; print the log (or JSON Lines)\n"
           "  check [SCENARIO...]         run every built-in (or the ones named) and print a table\n"
           "  export SCENARIO|RUNFILE -o FILE [--format F] [--view V] [--width N] [--scale S]\n"
           "         [--theme light|dark] [--log] [--host]\n"
           "                              write the whole run (a scenario is run first, a .sockrun loaded)\n"
           "                              F: png svg pdf pcapng json txt mermaid plantuml run\n"
           "                                 (default: from FILE's extension)\n"
           "                              V: sequence timeline figure (images only; default figure)\n"
           "  --help, --version\n";
    if (!full)
        return;
    std::cout << "\nOptions of run:\n"
                 "  --json      write the event stream as JSON Lines ("
              << docPath("events.md")
              << ") instead of the log\n"
                 "  --runs N    run N times, group the runs by outcome, count the runs with contradictions\n"
                 "  --host      use the host's loopback instead of a private network namespace\n"
                 "\nOptions of export:\n"
                 "  --width N   PNG width in pixels, 16 to 32000 (the height follows)\n"
                 "  --scale S   PNG size as a factor of the natural size, 0.1 to 10 (default 1)\n"
                 "  --theme T   light (print, the default) or dark\n"
                 "  --log       also print the run's log on stdout\n"
                 "  Images need no display (Qt's offscreen platform); files are written atomically.\n"
                 "  Exit 1 when the run (fresh or saved) did not pass (the file is still written).\n"
                 "  Formats and examples: "
              << docPath("export.md")
              << ".\n"
                 "\nExit status: 0 every expectation held, 1 one did not or a kernel snapshot contradicted the\n"
                 "derived TCP states; 2 bad input or usage, or the lab failed (killed, stopped, a broken stream,\n"
                 "its time bound exceeded: the reason is on stderr).\n"
                 "Scenario format: "
              << docPath("scenario-format.md") << ". Event stream: " << docPath("events.md")
              << ".\n"
                 "Manual: man sockscope.\n";
}

int usageError(const std::string &message)
{
    std::cerr << "sockscope: error: " << message << "\nTry 'sockscope --help'.\n";
    return 2;
}

int cmdList(const Args &args)
{
    if (!args.empty())
        return usageError("'list' takes no arguments");
    auto all = parsedBuiltins();
    size_t nameWidth = 4, topicWidth = 5;
    for (const auto &s : all) {
        nameWidth = std::max(nameWidth, s.name.size());
        topicWidth = std::max(topicWidth, s.topic.size());
    }
    std::cout << std::left << std::setw(static_cast<int>(nameWidth + 2)) << "NAME"
              << std::setw(static_cast<int>(topicWidth + 2)) << "TOPIC"
              << "TITLE\n";
    for (const auto &s : all)
        std::cout << std::setw(static_cast<int>(nameWidth + 2)) << s.name << std::setw(static_cast<int>(topicWidth + 2))
                  << s.topic << s.title << "\n";
    return 0;
}

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

RunSummary runOnce(const Scenario &scenario, bool forceHost, const EventSink &tap)
{
    RunSummary sum;
    LabOptions options;
    options.forceHost = forceHost;
    runLab(
        scenario, options,
        [&](Event &&e) {
            if (tap)
                tap(Event(e));
            sum.events.push_back(std::move(e));
        },
        &sum.labError);
    sum.verdict = judgeRun(sum.events);
    if (!sum.labError.empty())
        sum.verdict.error = sum.labError;
    return sum;
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

int cmdRun(const Args &args)
{
    std::string target;
    bool json = false, forceHost = false;
    int runs = 1;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a == "--json")
            json = true;
        else if (a == "--host")
            forceHost = true;
        else if (a == "--runs") {
            if (i + 1 >= args.size())
                return usageError("--runs needs a number");
            char *end = nullptr;
            long n = std::strtol(args[++i].c_str(), &end, 10);
            if (*end || n < 1 || n > 10000)
                return usageError("--runs takes a whole number from 1 to 10000, not '" + args[i] + "'");
            runs = static_cast<int>(n);
        } else if (!a.empty() && a[0] == '-')
            return usageError("unknown option '" + a + "' for 'run'");
        else if (target.empty())
            target = a;
        else
            return usageError("'run' takes one scenario, got '" + target + "' and '" + a + "'");
    }
    if (target.empty())
        return usageError("'run' needs a scenario: a built-in name (see 'sockscope list') or a .scn file");
    auto scenario = loadForCommand(target);
    if (!scenario)
        return 2;

    std::vector<std::string> keys;
    int failedRuns = 0, contradictedRuns = 0, unmetRuns = 0, labFaults = 0;
    for (int r = 0; r < runs; ++r) {
        LogContext ctx = LogContext::forActors(scenario->actors);
        EventSink tap = [&](Event &&e) {
            std::string line = json ? toJsonLine(e) : formatLogLine(e, ctx);
            if (!line.empty() && (json || runs == 1))
                std::cout << line << "\n";
            if (e.kind() == EventKind::End)
                std::cout.flush();
        };
        RunSummary sum = runOnce(*scenario, forceHost, tap);
        if (!json && runs == 1) {
            std::string rest = finishLog(ctx);
            if (!rest.empty())
                std::cout << rest << "\n";
        }
        if (r == 0)
            printIsolationNote(sum.events);
        keys.push_back(outcomeKey(sum.events));
        // A fault of the tool, not a disagreement of the kernel: said on stderr, exit 2.
        if (!sum.labError.empty()) {
            ++labFaults;
            std::cerr << "sockscope: the lab failed" << (runs > 1 ? " in run " + std::to_string(r + 1) : "") << ": "
                      << sum.labError << "\n";
        } else if (!sum.verdict.ok()) {
            ++failedRuns;
            if (runs > 1)
                (json ? std::cerr : std::cout) << "run " << (r + 1) << ":\n";
            printVerdict(sum.events, sum.verdict, json ? std::cerr : std::cout);
        }
        if (!sum.verdict.contradictions.empty())
            ++contradictedRuns;
        if (sum.verdict.failedChecks || !sum.verdict.ended || !sum.verdict.endOk || !sum.verdict.error.empty())
            ++unmetRuns;
    }
    if (runs > 1) {
        std::ostream &out = json ? std::cerr : std::cout;
        auto groups = groupOutcomes(keys);
        out << "\n"
            << runs << " runs, " << (runs - unmetRuns) << " met every expectation, " << groups.size()
            << " distinct outcome(s), " << contradictedRuns << " run(s) with contradictions:\n";
        for (size_t g = 0; g < groups.size(); ++g) {
            out << "  outcome " << (g + 1) << ": " << groups[g].runs.size() << " run(s)  (first: run "
                << groups[g].runs.front() + 1 << ")\n    " << groups[g].key << "\n";
        }
    }
    return labFaults ? 2 : failedRuns ? 1 : 0;
}

int cmdCheck(const Args &args)
{
    std::vector<Scenario> scenarios;
    bool forceHost = false;
    for (const auto &a : args) {
        if (a == "--host") {
            forceHost = true;
            continue;
        }
        if (!a.empty() && a[0] == '-')
            return usageError("unknown option '" + a + "' for 'check'");
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
    std::cout << std::left << std::setw(static_cast<int>(width + 2)) << "SCENARIO" << std::setw(10) << "CHECKS"
              << std::setw(10) << "PACKETS" << std::setw(11) << "CONFLICTS"
              << "RESULT\n";
    int failed = 0, labFaults = 0;
    for (const auto &s : scenarios) {
        RunSummary sum = runOnce(s, forceHost, nullptr);
        if (!sum.labError.empty()) {
            ++labFaults;
            std::cerr << "sockscope: the lab failed on " << s.name << ": " << sum.labError << "\n";
        }
        const RunVerdict &v = sum.verdict;
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
    std::cout << "\n" << (scenarios.size() - static_cast<size_t>(failed)) << " passed, " << failed << " failed\n";
    return labFaults ? 2 : failed ? 1 : 0;
}

} // namespace sockscope::app
