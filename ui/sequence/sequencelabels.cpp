// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/sequence/sequencelabels.h"

#include "core/stream/eventjson.h"
#include "core/stream/eventtext.h"
#include "ui/model/prediction.h"
#include "ui/model/revealrule.h"
#include "ui/model/runmodel.h"

#include <nlohmann/json.hpp>

namespace sockscope::ui {

QString callLabel(const core::SyscallInfo &call)
{
    return QString::fromStdString(core::callText(call));
}

QString resultLabel(const core::ReturnInfo &ret)
{
    return QString::fromStdString(core::resultText(ret, core::ErrnoText::Hide));
}

QString segmentLabel(const core::PacketInfo &p)
{
    return QString::fromStdString(core::segmentText(p));
}

QString relativeTime(qint64 tNs)
{
    return QString::fromStdString(core::relativeTimeText(tNs));
}

QString durationText(qint64 ns)
{
    if (ns >= 1'000'000'000)
        return QStringLiteral("%1 s").arg(static_cast<double>(ns) / 1e9, 0, 'f', 2);
    if (ns >= 1'000'000)
        return QStringLiteral("%1 ms").arg(static_cast<double>(ns) / 1e6, 0, 'f', 1);
    if (ns >= 1'000)
        return QStringLiteral("%1 us").arg(static_cast<double>(ns) / 1e3, 0, 'f', 0);
    return QStringLiteral("%1 ns").arg(ns);
}

namespace {

// The JSON line is the complete, documented form of an event, so the tooltip lists its fields in order.
QString fieldLines(const core::Event &e)
{
    const auto j = nlohmann::ordered_json::parse(core::toJsonLine(e), nullptr, false);
    QString out;
    if (!j.is_object())
        return out;
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (it.key() == "n" || it.key() == "t_ns" || it.key() == "kind" || it.key() == "hdr")
            continue;
        const std::string v = it->is_string() ? it->get<std::string>() : it->dump();
        out += QStringLiteral("  %1: %2\n").arg(QString::fromStdString(it.key()), QString::fromStdString(v));
    }
    return out;
}

} // namespace

QString eventDetails(const RunModel &run, int i, int revealLimit)
{
    if (i < 0 || i >= run.eventCount())
        return {};
    const RevealRule reveal(run, revealLimit);
    const core::Event &e = run.event(i);
    QString out = QStringLiteral("#%1  %2 s  %3\n")
                      .arg(e.n)
                      .arg(relativeTime(e.tNs), QString::fromLatin1(core::kindName(e.kind()).data()));
    out += fieldLines(e);
    const int pair = (e.kind() == core::EventKind::Syscall || e.kind() == core::EventKind::Return) ? run.pairOf(i) : -1;
    if (reveal.hiding() && e.kind() == core::EventKind::Syscall && (pair < 0 || !reveal.shows(pair))) {
        out += QStringLiteral("its return is not revealed yet\n"); // neither the result nor whether it blocks
    } else if (e.kind() == core::EventKind::Syscall && pair < 0) {
        out += QStringLiteral("blocked: no return yet\n");
    } else if (pair >= 0) {
        const core::Event &p = run.event(pair);
        out += QStringLiteral("#%1  %2 s  %3\n")
                   .arg(p.n)
                   .arg(relativeTime(p.tNs), QString::fromLatin1(core::kindName(p.kind()).data()));
        out += fieldLines(p);
    }
    const int step = run.stepOf(i);
    if (step >= 0) {
        const int se = run.stepEvent(step);
        if (se >= 0)
            out += QStringLiteral("step %1: %2\n")
                       .arg(step)
                       .arg(reveal.hiding() ? callWithoutResult(run.event(se).as<core::StepInfo>()->text)
                                            : QString::fromStdString(run.event(se).as<core::StepInfo>()->text));
    }
    if (out.endsWith(QLatin1Char('\n')))
        out.chop(1);
    return out;
}

} // namespace sockscope::ui
