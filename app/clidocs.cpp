// SPDX-License-Identifier: GPL-3.0-or-later
// Where the user docs are, for --help and error messages: installed beside the program, else the source tree.
#include "app/cli.h"

#include <climits>
#include <cstdlib>
#include <unistd.h>

namespace sockscope::app {

namespace {

bool readable(const std::string &path)
{
    return ::access(path.c_str(), R_OK) == 0;
}

std::string programDir()
{
    char buf[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return {};
    const std::string self(buf, static_cast<size_t>(n));
    return self.substr(0, self.rfind('/') + 1);
}

} // namespace

std::string docPath(const std::string &file)
{
    static const std::string dir = [] {
        const std::string exe = programDir();
        // An installed program's docs are at a fixed place relative to its bin/ (GNUInstallDirs' DOCDIR).
        const std::string installed = exe + SOCKSCOPE_DOC_RELPATH;
        char resolved[PATH_MAX];
        if (!exe.empty() && readable(installed + "/scenario-format.md") && ::realpath(installed.c_str(), resolved))
            return std::string(resolved) + "/"; // /usr/share/doc/sockscope/, not /usr/bin/../share/...
        if (readable(SOCKSCOPE_SOURCE_DOCDIR "/scenario-format.md"))
            return std::string(SOCKSCOPE_SOURCE_DOCDIR "/");
        return std::string("docs/");
    }();
    return dir + file;
}

} // namespace sockscope::app
