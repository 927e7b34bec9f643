// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/io/exportformat.h"

#include "core/io/atomicfile.h"
#include "core/io/pcapng.h"
#include "core/io/textdiagram.h"
#include "core/io/textlog.h"
#include "core/stream/eventjson.h"

#include <array>
#include <utility>

namespace sockscope::core {

namespace {

struct FormatRow
{
    ExportFormat format;
    std::string_view name;
    std::string_view extension;
};

constexpr std::array<FormatRow, 9> kFormats{{
    {ExportFormat::Png, "png", ".png"},
    {ExportFormat::Svg, "svg", ".svg"},
    {ExportFormat::Pdf, "pdf", ".pdf"},
    {ExportFormat::Pcapng, "pcapng", ".pcapng"},
    {ExportFormat::Json, "json", ".jsonl"},
    {ExportFormat::Text, "txt", ".txt"},
    {ExportFormat::Mermaid, "mermaid", ".mmd"},
    {ExportFormat::PlantUml, "plantuml", ".puml"},
    {ExportFormat::Run, "run", ".sockrun"},
}};

const FormatRow &row(ExportFormat f)
{
    return kFormats[static_cast<size_t>(f)];
}

} // namespace

std::string_view formatName(ExportFormat format)
{
    return row(format).name;
}
std::string_view formatExtension(ExportFormat format)
{
    return row(format).extension;
}

std::optional<ExportFormat> formatFromName(std::string_view name)
{
    for (const auto &r : kFormats)
        if (r.name == name)
            return r.format;
    return std::nullopt;
}

std::string textExportBytes(ExportFormat format, const RunData &run, std::string *note)
{
    switch (format) {
    case ExportFormat::Pcapng: {
        PcapngStats stats;
        std::string bytes = pcapngBytes(run.events, &stats);
        if (note && stats.skipped)
            *note = std::to_string(stats.skipped) + " segment(s) had no captured headers and are not in the file";
        return bytes;
    }
    case ExportFormat::Json: {
        std::string out;
        for (const Event &e : run.events)
            out += toJsonLine(e) + '\n';
        return out;
    }
    case ExportFormat::Text:
        return formatLog(run.events);
    case ExportFormat::Mermaid:
        return toMermaid(run.events);
    case ExportFormat::PlantUml:
        return toPlantUml(run.events);
    default:
        return {};
    }
}

bool writeTextExport(const std::string &path, ExportFormat format, const RunData &run, std::string *error,
                     std::string *note)
{
    if (isImageFormat(format)) {
        if (error)
            *error = "'" + std::string(formatName(format)) + "' is an image format";
        return false;
    }
    if (format == ExportFormat::Run)
        return saveRun(path, run, error);
    return writeFileAtomically(path, textExportBytes(format, run, note), error);
}

} // namespace sockscope::core
