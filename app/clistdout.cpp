// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/clistdout.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

namespace sockscope::app {

namespace {

// A mkdtemp directory that goes away with everything in it.
class TempDir
{
public:
    TempDir()
    {
        const char *base = std::getenv("TMPDIR");
        std::string pattern = std::string(base && *base ? base : "/tmp") + "/sockscope-XXXXXX";
        if (::mkdtemp(pattern.data()))
            m_path = pattern;
    }
    ~TempDir()
    {
        if (m_path.empty())
            return;
        ::unlink(m_file.c_str());
        ::rmdir(m_path.c_str());
    }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;

    bool ok() const { return !m_path.empty(); }
    // The one file the directory holds.
    const std::string &file(const std::string &extension)
    {
        m_file = m_path + "/export" + extension;
        return m_file;
    }

private:
    std::string m_path;
    std::string m_file;
};

} // namespace

int writeToStdout(const std::string &extension, const std::function<int(const std::string &path)> &write)
{
    TempDir dir;
    if (!dir.ok()) {
        std::cerr << "sockscope: error: cannot make a temporary directory: " << std::strerror(errno) << "\n";
        return 2;
    }
    const std::string path = dir.file(extension);
    if (int rc = write(path))
        return rc;
    std::ifstream in(path, std::ios::binary);
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0)
        std::cout.write(buf, in.gcount());
    std::cout.flush();
    if (!in.eof() || !std::cout) {
        std::cerr << "sockscope: error: cannot copy the export to standard output\n";
        return 2;
    }
    return 0;
}

} // namespace sockscope::app
