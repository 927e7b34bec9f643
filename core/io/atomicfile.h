// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: replace a file's content without ever leaving it half-written (temporary file, fsync, rename).
// Thread-safety: reentrant; two writers of the same path race, the last rename wins with a complete file.

#include <string>
#include <string_view>

namespace sockscope::core {

// Writes content to a temporary file next to path, syncs it and renames it over path. On failure the
// temporary file is removed, an existing file at path is untouched, and *error (if not null) says why.
// The file keeps the permissions of the one it replaces, or gets the user's umask when new. Anything at path
// but a regular file (symlink, directory, FIFO, device, socket) is refused and left as it is.
bool writeFileAtomically(const std::string &path, std::string_view content, std::string *error);

} // namespace sockscope::core
