// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the export formats and the text ones written without any window system (pcapng, JSON Lines, the log,
// Mermaid, PlantUML, the run file); images are drawn by ui/exporter.
// Thread-safety: pure functions on their arguments.

#include "core/io/runfile.h"

#include <optional>
#include <string>
#include <string_view>

namespace sockscope::core {

enum class ExportFormat
{
    Png,
    Svg,
    Pdf,
    Pcapng,
    Json,
    Text,
    Mermaid,
    PlantUml,
    Run
};

// "png", "svg", "pdf", "pcapng", "json", "txt", "mermaid", "plantuml", "run".
std::string_view formatName(ExportFormat format);
std::optional<ExportFormat> formatFromName(std::string_view name);
// The usual file extension, with its dot (".sockrun" for a run file, ".mmd" for Mermaid, ".puml" for PlantUML).
std::string_view formatExtension(ExportFormat format);
inline bool isImageFormat(ExportFormat f)
{
    return f == ExportFormat::Png || f == ExportFormat::Svg || f == ExportFormat::Pdf;
}

// The file's bytes for a text format (pcapng is binary but needs no drawing); "" for image formats.
// note (if not null) says what the reader should know, e.g. segments without captured headers.
std::string textExportBytes(ExportFormat format, const RunData &run, std::string *note = nullptr);
// Writes a text format atomically (run files through saveRun). False with *error on failure.
bool writeTextExport(const std::string &path, ExportFormat format, const RunData &run, std::string *error,
                     std::string *note = nullptr);

} // namespace sockscope::core
