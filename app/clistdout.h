// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: "-o -": a file-writing export sent to standard output instead. The writer writes a file as usual
// (atomically, the one code path of every format) into a private temporary directory; its bytes are then
// copied to stdout and the directory removed, so the bytes on stdout are exactly those of a file export.
// Thread-safety: one thread (it writes stdout).

#include <functional>
#include <string>

namespace sockscope::app {

inline constexpr const char *kStdoutPath = "-";

// write(path) returns an exit code: 0 and the file is copied to stdout; else nothing reaches stdout and its
// code is returned. 2 after saying why on stderr when the temporary file cannot be made or copied.
int writeToStdout(const std::string &extension, const std::function<int(const std::string &path)> &write);

} // namespace sockscope::app
