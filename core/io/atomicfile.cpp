// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/io/atomicfile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace sockscope::core {

namespace {

std::string dirOf(const std::string &path)
{
    auto slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// mkstemp creates 0600; a saved file should get the permissions any new file of the user gets. umask()
// cannot be read without changing it (racy with other threads), /proc can.
mode_t newFileMode(const std::string &path)
{
    struct stat st
    {
    };
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode))
        return st.st_mode & 07777;
    mode_t mask = 022;
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("Umask:", 0) == 0)
            mask = static_cast<mode_t>(std::stoul(line.substr(6), nullptr, 8));
    return 0666 & ~mask;
}

bool writeAll(int fd, std::string_view data)
{
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

bool fail(std::string *error, const std::string &message)
{
    if (error)
        *error = message;
    return false;
}

const char *fileTypeName(mode_t mode)
{
    if (S_ISLNK(mode))
        return "a symbolic link";
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "of an unknown type";
}

} // namespace

bool writeFileAtomically(const std::string &path, std::string_view content, std::string *error)
{
    // The rename would replace whatever is at path with a regular file: a device node, a FIFO, a symlink (its
    // target would not be written, the link would be gone) or a directory is never what the user meant.
    struct stat st
    {
    };
    if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
        return fail(error,
                    "refusing to replace " + path + ": it is " + fileTypeName(st.st_mode) + ", not a regular file");
    const std::string dir = dirOf(path);
    std::string tmp = dir + "/." + path.substr(path.rfind('/') + 1) + ".XXXXXX";
    int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
    if (fd < 0)
        return fail(error, "cannot create a temporary file in " + dir + ": " + std::strerror(errno));
    auto abandon = [&](const char *what, bool open) {
        const int saved = errno;
        if (open)
            ::close(fd);
        ::unlink(tmp.c_str());
        return fail(error, "cannot save " + path + ": " + what + ": " + std::strerror(saved));
    };
    if (!writeAll(fd, content))
        return abandon("write failed", true);
    if (::fchmod(fd, newFileMode(path)) != 0)
        return abandon("chmod failed", true);
    // The data must be on disk before the rename makes it the user's file, or a crash could leave it empty.
    if (::fsync(fd) != 0)
        return abandon("fsync failed", true);
    if (::close(fd) != 0)
        return abandon("close failed", false);
    if (::rename(tmp.c_str(), path.c_str()) != 0)
        return abandon("rename failed", false);
    // Make the rename itself durable; failing here still leaves a complete file, so it is not an error.
    if (int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
        ::fsync(d);
        ::close(d);
    }
    return true;
}

} // namespace sockscope::core
