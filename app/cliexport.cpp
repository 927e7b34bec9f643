// SPDX-License-Identifier: GPL-3.0-or-later
// sockscope export: a scenario (run first) or a saved run, as an image (PNG, SVG, PDF: drawn by ui/exporter,
// offscreen when there is no display) or as text (pcapng, JSON Lines, log, Mermaid, PlantUML, run file: no
// window system at all). Every file is written atomically.
#include "app/cli.h"
#include "app/clicolor.h"
#include "app/clistdout.h"

#include "core/io/exportformat.h"
#include "core/io/runfile.h"
#include "core/io/textlog.h"
#include "core/lab/parent/labclient.h"
#include "core/scenario/builtins.h"

#include <cstdlib>
#include <fstream>
#include <iostream>

#ifdef SOCKSCOPE_HAVE_GUI
#include "ui/export/exporter.h"
#include "ui/model/runmodel.h"

#include <QApplication>
#endif

namespace sockscope::app {

using namespace sockscope::core;

namespace {

bool endsWith(const std::string &s, const std::string &suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A run file by its extension or by its first bytes (docs/run-file.md: the header's first key).
bool looksLikeRunFile(const std::string &path)
{
    if (endsWith(path, kRunFileExtension))
        return true;
    std::ifstream in(path, std::ios::binary);
    char head[16] = {};
    in.read(head, sizeof head);
    return std::string_view(head, static_cast<size_t>(in.gcount())).starts_with("{\"sockscope_run\"");
}

// Fills out from the parsed options; returns 0 to go on, or the exit code after printing the usage error.
int exportArgsFrom(const ParsedArgs &args, ExportArgs &out)
{
    auto fail = [](const std::string &message) { return usageError("export", message); };
    out.input = args.operands.front();
    out.output = args.value("output");
    out.log = args.has("log");
    out.forceHost = args.has("host");
    out.quiet = args.has("quiet");
    if (args.has("format")) {
        out.format = formatFromName(args.value("format"));
        if (!out.format)
            return fail("unknown format '" + args.value("format") +
                        "' (png svg pdf pcapng json txt mermaid plantuml run)");
    }
    out.view = args.value("view", out.view);
    if (out.view != "sequence" && out.view != "timeline" && out.view != "figure")
        return fail("unknown view '" + out.view + "' (sequence timeline figure)");
    if (args.has("width")) {
        const std::string v = args.value("width");
        char *end = nullptr;
        const long n = std::strtol(v.c_str(), &end, 10);
        if (v.empty() || *end || n < 16 || n > 32000)
            return fail("--width takes a whole number of pixels from 16 to 32000, not '" + v + "'");
        out.width = static_cast<int>(n);
    }
    if (args.has("scale")) {
        const std::string v = args.value("scale");
        char *end = nullptr;
        const double s = std::strtod(v.c_str(), &end);
        if (v.empty() || *end || !(s >= 0.1 && s <= 10))
            return fail("--scale takes a number from 0.1 to 10, not '" + v + "'");
        out.scale = s;
    }
    const std::string theme = args.value("theme", "light");
    if (theme != "light" && theme != "dark")
        return fail("unknown theme '" + theme + "' (light dark)");
    out.dark = theme == "dark";
    const auto color = colorModeFromName(args.value("color", "auto"));
    if (!color)
        return fail("--color takes auto, always or never, not '" + args.value("color") + "'");
    out.color = useColor(*color);
    if (out.output.empty())
        return fail("'export' needs -o FILE (or -o - for standard output)");
    if (out.output == kStdoutPath && out.log)
        return fail("--log and -o - would both write to standard output");
    if (!out.format) { // from the output's extension
        for (ExportFormat f :
             {ExportFormat::Png, ExportFormat::Svg, ExportFormat::Pdf, ExportFormat::Pcapng, ExportFormat::Json,
              ExportFormat::Text, ExportFormat::Mermaid, ExportFormat::PlantUml, ExportFormat::Run})
            if (endsWith(out.output, std::string(formatExtension(f))))
                out.format = f;
        if (!out.format)
            return fail("'export' needs --format (png svg pdf pcapng json txt mermaid plantuml run)");
    }
    return 0;
}

// Runs the scenario; false when the lab failed (the events recorded so far are kept).
bool runScenario(const Scenario &scenario, bool forceHost, RunData &run)
{
    LabOptions options;
    options.forceHost = forceHost;
    std::string error;
    const bool ok = runLab(
        scenario, options, [&](Event &&e) { run.events.push_back(std::move(e)); }, &error);
    if (!ok)
        std::cerr << "sockscope: the lab failed: " << error << "\n";
    return ok;
}

// What -o names in messages: the file, or standard output.
std::string shownOutput(const ExportArgs &a)
{
    return a.output == kStdoutPath ? std::string("standard output") : a.output;
}

#ifdef SOCKSCOPE_HAVE_GUI
// Draws the image into path; *size says its pixels for a PNG.
int writeImage(const ExportArgs &a, const RunData &run, const std::optional<Scenario> &scenario,
               const std::string &path, std::string *size)
{
    // No display: the offscreen platform draws just as well, and must be chosen before the application exists.
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY") && !std::getenv("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "sockscope";
    static char *argv[] = {name, nullptr};
    QApplication app(argc, argv);
    ui::RunModel model;
    model.reset(run.events);
    if (scenario)
        model.setScenario(*scenario);
    ui::ImageOptions options;
    options.view = *ui::viewFromName(QString::fromStdString(a.view));
    options.theme = a.dark ? ui::Theme::screenDark() : ui::Theme::print();
    options.width = a.width;
    options.scale = a.scale;
    ui::Exporter exporter(model, options);
    QString error;
    if (!exporter.write(QString::fromStdString(path), *a.format, &error)) {
        std::cerr << "sockscope: error: cannot write " << shownOutput(a) << ": " << error.toStdString() << "\n";
        return 2;
    }
    if (*a.format == ExportFormat::Png)
        *size = " (" + std::to_string(exporter.pngSize().width()) + " x " +
                std::to_string(exporter.pngSize().height()) + " px)";
    return 0;
}
#endif

// Writes the export to path (the -o file, or a temporary one for standard output); 2 after saying why.
int writeOutput(const ExportArgs &a, const RunData &run, const std::optional<Scenario> &scenario,
                const std::string &path, std::string *detail, std::string *note)
{
    if (isImageFormat(*a.format)) {
#ifdef SOCKSCOPE_HAVE_GUI
        return writeImage(a, run, scenario, path, detail);
#else
        (void)scenario;
        (void)detail;
        return 2; // refused before the run
#endif
    }
    std::string error;
    if (!writeTextExport(path, *a.format, run, &error, note)) {
        std::cerr << "sockscope: error: cannot write " << shownOutput(a) << ": " << error << "\n";
        return 2;
    }
    return 0;
}

// Loads the run file, or runs the scenario; 2 after printing why it cannot. *ran: a fresh run, *labOk: it ran.
int loadOrRun(const ExportArgs &a, RunData &run, std::optional<Scenario> &scenario, bool *ran, bool *labOk)
{
    if (looksLikeRunFile(a.input)) {
        LoadError error;
        auto loaded = loadRun(a.input, &error);
        if (!loaded) {
            std::cerr << error.format() << "\n";
            return 2;
        }
        run = std::move(*loaded);
        ParseResult parsed = parseScenario(run.scenarioSource, run.scenarioPath);
        if (parsed.scenario) {
            scenario = std::move(parsed.scenario);
            scenario->name = run.scenarioName;
            scenario->path = run.scenarioPath;
        }
        return 0;
    }
    ParseResult parsed = resolveScenario(a.input);
    if (!parsed.scenario) {
        for (const auto &e : parsed.errors)
            std::cerr << e.format() << "\n";
        std::cerr << "sockscope: nothing was run or written.\n";
        return 2;
    }
    scenario = std::move(parsed.scenario);
    run.scenarioName = scenario->name;
    run.scenarioPath = scenario->path;
    run.scenarioSource = scenario->source;
    *labOk = runScenario(*scenario, a.forceHost, run);
    *ran = true;
    return 0;
}

int cmdExport(const ParsedArgs &args)
{
    ExportArgs a;
    if (int rc = exportArgsFrom(args, a))
        return rc;
    return runExport(a);
}

} // namespace

int runExport(const ExportArgs &a)
{
#ifndef SOCKSCOPE_HAVE_GUI
    if (isImageFormat(*a.format))
        return usageError("export", "this sockscope was built without the GUI; images need it (text formats work)");
#endif
    RunData run;
    std::optional<Scenario> scenario;
    bool ran = false, labOk = true;
    if (int rc = loadOrRun(a, run, scenario, &ran, &labOk))
        return rc;
    if (a.log) {
        const std::string log = formatLog(run.events);
        std::cout << (a.color ? colorizeLog(log) : log) << std::flush;
    }

    std::string detail, note;
    auto write = [&](const std::string &path) { return writeOutput(a, run, scenario, path, &detail, &note); };
    const int rc =
        a.output == kStdoutPath ? writeToStdout(std::string(formatExtension(*a.format)), write) : write(a.output);
    if (rc != 0)
        return rc;
    if (!a.quiet) {
        std::cerr << "sockscope: wrote " << shownOutput(a) << detail << "\n";
        if (!note.empty())
            std::cerr << "sockscope: note: " << note << "\n";
    }
    // A saved run is judged like a fresh one: a contradiction recorded months ago is still a wrong diagram.
    const RunVerdict verdict = judgeRun(run.events);
    if (!labOk || !verdict.ok()) {
        printVerdict(run.events, verdict, std::cerr);
        const char *why = !labOk || !verdict.error.empty() ? "the run failed"
                          : verdict.failedChecks           ? "an expectation was NOT met"
                                                           : "the kernel contradicted the derived TCP states";
        std::cerr << "sockscope: " << (ran ? "" : "saved run: ") << why << "; " << shownOutput(a)
                  << " shows the run as it happened\n";
        return labOk ? 1 : 2;
    }
    return 0;
}

Command exportCommand()
{
    return {{"export",
             "SCENARIO|RUNFILE",
             "write the whole run (a scenario is run first, a .sockrun loaded) to -o FILE",
             1,
             1,
             "a scenario (built-in name or .scn file) or a .sockrun file",
             {{"output", 'o', "FILE", "the file to write; '-' writes to standard output"},
              {"format", 0, "F", "png svg pdf pcapng json txt mermaid plantuml run (default: from FILE's extension)"},
              {"view", 0, "V", "images: sequence, timeline or figure (both, the default)"},
              {"width", 0, "N", "PNG width in pixels, 16 to 32000 (the height follows)"},
              {"scale", 0, "S", "PNG size as a factor of the natural size, 0.1 to 10 (default 1)"},
              {"theme", 0, "T", "light (print, the default) or dark"},
              {"log", 0, "", "also print the run's log on stdout"},
              hostOption(),
              quietOption(),
              colorOption()},
             "Images need no display (Qt's offscreen platform); files are written atomically.\n"
             "Exit 1 when the run (fresh or saved) did not pass (the file is still written).\n"
             "Formats and examples: " +
                 docPath("export.md") + ".\n" + exitStatusText()},
            cmdExport};
}

} // namespace sockscope::app
