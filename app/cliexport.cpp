// SPDX-License-Identifier: GPL-3.0-or-later
// sockscope export: a scenario (run first) or a saved run, as an image (PNG, SVG, PDF: drawn by ui/exporter,
// offscreen when there is no display) or as text (pcapng, JSON Lines, log, Mermaid, PlantUML, run file: no
// window system at all). Every file is written atomically.
#include "app/cli.h"

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

struct ExportArgs
{
    std::string input;
    std::string output;
    std::optional<ExportFormat> format;
    std::string view = "figure";
    int width = 0;
    double scale = 1.0;
    bool dark = false;
    bool log = false;
    bool forceHost = false;
};

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

// Parses the options; returns 0 to go on, or the exit code after printing the usage error.
int parseArgs(const Args &args, ExportArgs &out)
{
    auto value = [&](size_t &i, const std::string &opt, std::string &v) {
        if (i + 1 >= args.size())
            return usageError(opt + " needs a value");
        v = args[++i];
        return 0;
    };
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        std::string v;
        if (a == "--log") {
            out.log = true;
        } else if (a == "--host") {
            out.forceHost = true;
        } else if (a == "-o" || a == "--output") {
            if (int rc = value(i, a, out.output))
                return rc;
        } else if (a == "--format") {
            if (int rc = value(i, a, v))
                return rc;
            out.format = formatFromName(v);
            if (!out.format)
                return usageError("unknown format '" + v + "' (png svg pdf pcapng json txt mermaid plantuml run)");
        } else if (a == "--view") {
            if (int rc = value(i, a, out.view))
                return rc;
            if (out.view != "sequence" && out.view != "timeline" && out.view != "figure")
                return usageError("unknown view '" + out.view + "' (sequence timeline figure)");
        } else if (a == "--width") {
            if (int rc = value(i, a, v))
                return rc;
            char *end = nullptr;
            const long n = std::strtol(v.c_str(), &end, 10);
            if (v.empty() || *end || n < 16 || n > 32000)
                return usageError("--width takes a whole number of pixels from 16 to 32000, not '" + v + "'");
            out.width = static_cast<int>(n);
        } else if (a == "--scale") {
            if (int rc = value(i, a, v))
                return rc;
            char *end = nullptr;
            const double s = std::strtod(v.c_str(), &end);
            if (v.empty() || *end || !(s >= 0.1 && s <= 10))
                return usageError("--scale takes a number from 0.1 to 10, not '" + v + "'");
            out.scale = s;
        } else if (a == "--theme") {
            if (int rc = value(i, a, v))
                return rc;
            if (v != "light" && v != "dark")
                return usageError("unknown theme '" + v + "' (light dark)");
            out.dark = v == "dark";
        } else if (!a.empty() && a[0] == '-') {
            return usageError("unknown option '" + a + "' for 'export'");
        } else if (out.input.empty()) {
            out.input = a;
        } else {
            return usageError("'export' takes one scenario or run file, got '" + out.input + "' and '" + a + "'");
        }
    }
    if (out.input.empty())
        return usageError("'export' needs a scenario (built-in name or .scn file) or a .sockrun file");
    if (out.output.empty())
        return usageError("'export' needs -o FILE");
    if (!out.format) { // from the output's extension
        for (ExportFormat f :
             {ExportFormat::Png, ExportFormat::Svg, ExportFormat::Pdf, ExportFormat::Pcapng, ExportFormat::Json,
              ExportFormat::Text, ExportFormat::Mermaid, ExportFormat::PlantUml, ExportFormat::Run})
            if (endsWith(out.output, std::string(formatExtension(f))))
                out.format = f;
        if (!out.format)
            return usageError("'export' needs --format (png svg pdf pcapng json txt mermaid plantuml run)");
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

#ifdef SOCKSCOPE_HAVE_GUI
int writeImage(const ExportArgs &a, const RunData &run, const std::optional<Scenario> &scenario)
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
    if (!exporter.write(QString::fromStdString(a.output), *a.format, &error)) {
        std::cerr << "sockscope: error: cannot write " << a.output << ": " << error.toStdString() << "\n";
        return 2;
    }
    if (*a.format == ExportFormat::Png)
        std::cerr << "sockscope: wrote " << a.output << " (" << exporter.pngSize().width() << " x "
                  << exporter.pngSize().height() << " px)\n";
    else
        std::cerr << "sockscope: wrote " << a.output << "\n";
    return 0;
}
#endif

} // namespace

int cmdExport(const Args &args)
{
    ExportArgs a;
    if (int rc = parseArgs(args, a))
        return rc;
#ifndef SOCKSCOPE_HAVE_GUI
    if (isImageFormat(*a.format))
        return usageError("this sockscope was built without the GUI; images need it (text formats work)");
#endif
    RunData run;
    std::optional<Scenario> scenario;
    bool ran = false, labOk = true;
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
    } else {
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
        labOk = runScenario(*scenario, a.forceHost, run);
        ran = true;
    }
    if (a.log)
        std::cout << formatLog(run.events) << std::flush;

    int rc = 0;
    if (isImageFormat(*a.format)) {
#ifdef SOCKSCOPE_HAVE_GUI
        rc = writeImage(a, run, scenario);
#endif
    } else {
        std::string error, note;
        if (!writeTextExport(a.output, *a.format, run, &error, &note)) {
            std::cerr << "sockscope: error: cannot write " << a.output << ": " << error << "\n";
            return 2;
        }
        std::cerr << "sockscope: wrote " << a.output << "\n";
        if (!note.empty())
            std::cerr << "sockscope: note: " << note << "\n";
    }
    if (rc != 0)
        return rc;
    // A saved run is judged like a fresh one: a contradiction recorded months ago is still a wrong diagram.
    const RunVerdict verdict = judgeRun(run.events);
    if (!labOk || !verdict.ok()) {
        printVerdict(run.events, verdict, std::cerr);
        const char *why = !labOk || !verdict.error.empty() ? "the run failed"
                          : verdict.failedChecks           ? "an expectation was NOT met"
                                                           : "the kernel contradicted the derived TCP states";
        std::cerr << "sockscope: " << (ran ? "" : "saved run: ") << why << "; " << a.output
                  << " shows the run as it happened\n";
        return labOk ? 1 : 2;
    }
    return 0;
}

} // namespace sockscope::app
