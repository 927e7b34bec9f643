// SPDX-License-Identifier: GPL-3.0-or-later
// sockscope [open [SCENARIO|RUNFILE] [--step] [--class] [--reveal]]: the window (a lesson in one command). Without a
// display nothing is written unless asked
// (--headless-export FILE): a figure dropped into the current directory is a side effect nobody asked for.
#include "app/cli.h"
#include "app/clistdout.h"

#include <climits>
#include <cstdlib>
#include <iostream>

#ifdef SOCKSCOPE_HAVE_GUI
#include "ui/gui.h"
#endif

namespace sockscope::app {

namespace {

constexpr const char *kDefaultScenario = "close-unread-data"; // the README's first figure

bool haveDisplay()
{
#ifdef SOCKSCOPE_HAVE_GUI
    const char *platform = std::getenv("QT_QPA_PLATFORM");
    return std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY") || (platform && *platform);
#else
    return false;
#endif
}

int exportHeadless(const std::string &name, const ParsedArgs &args)
{
    ExportArgs a;
    a.input = name;
    a.output = args.value("headless-export");
    a.format = core::ExportFormat::Png;
    for (auto f : {core::ExportFormat::Svg, core::ExportFormat::Pdf})
        if (a.output.ends_with(formatExtension(f)))
            a.format = f;
    a.quiet = args.has("quiet");
    a.log = !a.quiet && a.output != kStdoutPath;
    const int rc = runExport(a);
    char where[PATH_MAX];
    if (rc != 2 && !a.quiet && a.output != kStdoutPath)
        std::cerr << "sockscope: figure written to "
                  << (::realpath(a.output.c_str(), where) ? std::string(where) : a.output) << "\n";
    return rc;
}

int cmdOpen(const ParsedArgs &args)
{
    const std::string name = args.operands.empty() ? std::string() : args.operands.front();
    if (haveDisplay()) {
#ifdef SOCKSCOPE_HAVE_GUI
        // Only the program's name: the options were sockscope's, not Qt's.
        static int argc = 1;
        static char program[] = "sockscope";
        static char *argv[] = {program, nullptr};
        return ui::runGui(argc, argv, {name, args.has("step"), args.has("class"), args.has("reveal")});
#endif
    }
    const std::string shown = name.empty() ? kDefaultScenario : name;
    if (args.has("headless-export")) {
#ifdef SOCKSCOPE_HAVE_GUI
        if (!args.has("quiet"))
            std::cerr << "sockscope: no display found; running \"" << shown << "\" headless.\n";
        return exportHeadless(shown, args);
#else
        return usageError("open", "this sockscope was built without the GUI; --headless-export needs it");
#endif
    }
#ifdef SOCKSCOPE_HAVE_GUI
    std::cerr << "sockscope: no display (DISPLAY and WAYLAND_DISPLAY are unset), so no window; nothing was run\n";
#else
    std::cerr << "sockscope: this sockscope was built without the window; nothing was run\n";
#endif
    std::cerr << "sockscope: use 'sockscope export " << shown << " -o fig.png' for a figure, or 'sockscope run "
              << shown << "' for the log\n";
    return 2;
}

} // namespace

Command openCommand()
{
    return {{"open",
             "[SCENARIO|RUNFILE]",
             "open the window on a scenario or saved run (no display: says how to export instead)",
             0,
             1,
             "",
             {{"step", 0, "", "start the scenario paused before its first step (F10 steps)"},
              {"class", 0, "", "class mode: full screen, large type, high contrast (F11)"},
              {"reveal", 0, "", "reveal mode: show only what happened up to the cursor (R)"},
              {"headless-export", 0, "FILE",
               "with no display, run it headless and write its figure to FILE (png, svg or pdf) instead"},
              quietOption()},
             "Without a display nothing is run or written unless --headless-export asks for it.\n" + exitStatusText()},
            cmdOpen};
}

} // namespace sockscope::app
