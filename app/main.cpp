// SPDX-License-Identifier: GPL-3.0-or-later
// sockscope: the window, or with a command the command line. Both are front ends on one engine (core/).
#include "app/cli.h"
#include "app/privilege.h"

#include <cstdlib>
#include <iostream>

#ifdef SOCKSCOPE_HAVE_GUI
#include "ui/gui.h"
#endif

namespace {

#ifdef SOCKSCOPE_HAVE_GUI
bool haveDisplay()
{
    const char *platform = std::getenv("QT_QPA_PLATFORM");
    return std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY") || (platform && *platform);
}
#endif

// step, classMode, reveal: open's --step, --class, --reveal (the window's; a headless run ignores them).
int openWindow(int argc, char **argv, const std::string &scenario, bool step = false, bool classMode = false,
               bool reveal = false)
{
#ifdef SOCKSCOPE_HAVE_GUI
    if (haveDisplay())
        return sockscope::ui::runGui(argc, argv, {scenario, step, classMode, reveal});
#else
    (void)argc;
    (void)argv;
#endif
    (void)step;
    (void)classMode;
    (void)reveal;
    // No window possible: run the scenario headless and leave a figure behind.
    std::string name = scenario.empty() ? "close-unread-data" : scenario;
    std::cerr << "sockscope: no display found; running \"" << name << "\" headless.\n";
#ifdef SOCKSCOPE_HAVE_GUI
    std::string out = "sockscope-" + name.substr(name.rfind('/') + 1) + ".png";
    if (out.size() > 4 && out.compare(out.size() - 8, 8, ".scn.png") == 0)
        out.replace(out.size() - 8, 8, ".png");
    int rc = sockscope::app::cmdExport({name, "--view", "figure", "--format", "png", "-o", out, "--log"});
    if (rc != 2)
        std::cerr << "sockscope: figure written to " << out << "\n";
    return rc;
#else
    return sockscope::app::cmdRun({name});
#endif
}

} // namespace

int main(int argc, char **argv)
{
    using namespace sockscope::app;
    if (int rc = refuseSetid("sockscope"))
        return rc;
    Args args(argv + 1, argv + argc);
    if (args.empty())
        return openWindow(argc, argv, {});
    const std::string cmd = args.front();
    Args rest(args.begin() + 1, args.end());
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
        printUsage(true);
        return 0;
    }
    if (cmd == "--version" || cmd == "-V") {
        std::cout << "sockscope " << SOCKSCOPE_VERSION << "\n";
        return 0;
    }
    if (cmd == "list")
        return cmdList(rest);
    if (cmd == "show")
        return cmdShow(rest);
    if (cmd == "run")
        return cmdRun(rest);
    if (cmd == "check")
        return cmdCheck(rest);
    if (cmd == "export")
        return cmdExport(rest);
    if (cmd == "open") {
        std::string target;
        bool step = false, classMode = false, reveal = false;
        for (const auto &a : rest) {
            if (a == "--step")
                step = true;
            else if (a == "--class")
                classMode = true;
            else if (a == "--reveal")
                reveal = true;
            else if (!a.empty() && a[0] == '-')
                return usageError("unknown option '" + a + "' for 'open'");
            else if (!target.empty())
                return usageError("'open' takes at most one scenario or run file");
            else
                target = a;
        }
        return openWindow(argc, argv, target, step, classMode, reveal);
    }
    return usageError("unknown command or option '" + cmd + "'");
}
