// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Large runs for the UI benchmarks, made of real recorded runs (tests/fixtures/run-*.jsonl) played one after
// another: one run event, then the fixtures' bodies repeated with n, t_ns, syscall ids and causes renumbered
// so the stream stays valid (ids unique, times increasing), then one end event.
// Header-only: bench/ globs bench_ui_*.cpp into executables.

#include "core/stream/eventreader.h"

#include <QByteArray>
#include <QDir>
#include <QFileInfo>
#include <QString>

#include <fstream>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace sockscope::uibench {

// Before the QApplication: offscreen unless QT_QPA_PLATFORM says otherwise.
inline void preferOffscreen()
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
}

inline QString fixturesDir()
{
    const QByteArray env = qgetenv("SOCKSCOPE_FIXTURES");
    if (!env.isEmpty())
        return QString::fromLocal8Bit(env);
    return QFileInfo(QStringLiteral(__FILE__)).absolutePath() + QStringLiteral("/../tests/fixtures");
}

inline std::vector<core::Event> loadJsonl(const QString &path)
{
    std::ifstream in(path.toStdString());
    if (!in)
        throw std::runtime_error("cannot open " + path.toStdString());
    std::vector<core::Event> events;
    core::EventStreamReader reader;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty())
            continue;
        auto r = reader.read(line);
        if (!r.event)
            throw std::runtime_error(path.toStdString() + ": " + r.error);
        events.push_back(std::move(*r.event));
    }
    return events;
}

// The recorded built-in runs, by file name.
inline std::vector<std::vector<core::Event>> recordedRuns()
{
    std::vector<std::vector<core::Event>> runs;
    const QDir dir(fixturesDir());
    for (const QString &f : dir.entryList({QStringLiteral("run-*.jsonl")}, QDir::Files, QDir::Name))
        runs.push_back(loadJsonl(dir.filePath(f)));
    if (runs.empty())
        throw std::runtime_error("no run-*.jsonl in " + dir.absolutePath().toStdString() +
                                 " (tests/fixtures/record.sh records them)");
    return runs;
}

// `count` events: the first run's run event, the bodies of `runs` in turn (socket names repeat, as in a
// scenario run over and over), the last run's end event.
inline std::vector<core::Event> repeatedRun(const std::vector<std::vector<core::Event>> &runs, int count)
{
    std::vector<core::Event> out;
    out.reserve(static_cast<size_t>(count));
    out.push_back(runs.front().front());
    std::int64_t tBase = 0, idBase = 0;
    for (size_t r = 0; static_cast<int>(out.size()) < count - 1; r = (r + 1) % runs.size()) {
        const auto &run = runs[r];
        const std::int64_t nBase = static_cast<std::int64_t>(out.size()) - 1; // body starts at run's n = 1
        std::int64_t lastT = 0, maxId = 0;
        for (size_t i = 1; i + 1 < run.size() && static_cast<int>(out.size()) < count - 1; ++i) {
            core::Event e = run[i];
            if (e.kind() == core::EventKind::Run || e.kind() == core::EventKind::End)
                continue;
            e.n = static_cast<std::int64_t>(out.size());
            lastT = e.tNs;
            e.tNs += tBase;
            std::visit(
                [&](auto &p) {
                    using T = std::decay_t<decltype(p)>;
                    if constexpr (std::is_same_v<T, core::SyscallInfo> || std::is_same_v<T, core::ReturnInfo>) {
                        maxId = std::max(maxId, p.id);
                        p.id += idBase;
                    } else if constexpr (std::is_same_v<T, core::SignalInfo>) {
                        p.during += idBase;
                    } else if constexpr (std::is_same_v<T, core::StateInfo>) {
                        if (p.cause >= 0)
                            p.cause += nBase;
                    }
                },
                e.payload);
            out.push_back(std::move(e));
        }
        tBase += lastT + 1'000'000; // 1 ms between repetitions
        idBase += maxId + 1;
    }
    core::Event end = runs.back().back();
    end.n = static_cast<std::int64_t>(out.size());
    end.tNs = tBase;
    if (auto *info = std::get_if<core::EndInfo>(&end.payload))
        info->durationNs = tBase;
    out.push_back(std::move(end));
    return out;
}

} // namespace sockscope::uibench
