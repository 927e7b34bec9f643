// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: saving and opening recorded runs (.sockrun, JSON Lines: a header line, then the event stream); the
// format is specified in docs/run-file.md.
// Thread-safety: pure functions on their arguments; concurrent saves to the same path race like any file write.

#include "core/stream/event.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sockscope::core {

inline constexpr int kRunFileVersion = 1;
inline constexpr const char *kRunFileExtension = ".sockrun";
// Larger files are refused before they are read.
inline constexpr std::uint64_t kMaxRunFileBytes = 1ULL << 30;

struct RunData
{
    std::string scenarioName;
    std::string scenarioPath;
    std::string scenarioSource; // the whole scenario text, so a run can be understood without its file
    std::vector<Event> events;
    std::string saved; // ISO-8601 UTC time of saving; filled by loadRun, ignored by saveRun (it writes "now")
};

struct LoadError
{
    std::string file;
    int line = 0;   // 1-based; 0 when the error is about the whole file (cannot open it)
    int column = 0; // 1-based; 0 when unknown
    std::string message;
    std::string format() const; // "file:line:column: error: message" (or "file: error: message")
};

// Writes a temporary file next to path, syncs it and renames it over path, so an existing file survives any
// failure. Returns false with *error (when error is not null) on failure.
bool saveRun(const std::string &path, const RunData &run, std::string *error);
// Reads and checks a whole run file; nothing is returned from a file with any error.
// Only a regular file of at most kMaxRunFileBytes is read (a FIFO or a device is refused).
std::optional<RunData> loadRun(const std::string &path, LoadError *error);
// The same checks on text already in memory; path only names the file in errors.
std::optional<RunData> parseRun(std::string_view text, const std::string &path, LoadError *error);

} // namespace sockscope::core
