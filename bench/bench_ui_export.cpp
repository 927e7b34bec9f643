// SPDX-License-Identifier: GPL-3.0-or-later
// Export of a 1k-event diagram (DESIGN.md budget: SVG <= 200 ms, PNG <= 300 ms). The events are real: a
// built-in run on the kernel several times, the runs joined into one stream (n, t_ns, syscall ids and steps
// renumbered so that every call still pairs with its own return).
// Usage: bench_ui_export [SCENARIO] [EVENTS]   (defaults: close-unread-data 1000)

#include "core/lab/parent/labclient.h"
#include "core/scenario/builtins.h"
#include "ui/export/exporter.h"
#include "ui/export/pngencoder.h"
#include "ui/model/runmodel.h"

#include <QApplication>
#include <QBuffer>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace sockscope;
using core::Event;

namespace {

std::vector<Event> realEvents(const core::Scenario &scenario, size_t want, const std::string &lab)
{
    std::vector<Event> out;
    std::int64_t tOffset = 0, idOffset = 0;
    int stepOffset = 0;
    for (int r = 0; out.size() < want && r < 200; ++r) {
        std::vector<Event> run;
        std::string error;
        core::LabOptions options;
        options.labBinary = lab;
        if (!core::runLab(
                scenario, options, [&](Event &&e) { run.push_back(std::move(e)); }, &error)) {
            std::fprintf(stderr, "bench_ui_export: run failed: %s\n", error.c_str());
            break;
        }
        const std::int64_t nOffset = static_cast<std::int64_t>(out.size());
        std::int64_t maxId = 0, lastT = 0;
        for (Event &e : run) {
            const bool first = r == 0;
            if ((e.kind() == core::EventKind::Run && !first) || e.kind() == core::EventKind::End)
                continue; // one run event at the start, one end event at the very end
            if (auto *c = e.as<core::SyscallInfo>()) {
                maxId = std::max(maxId, c->id);
                c->id += idOffset;
                c->step += stepOffset;
            } else if (auto *ret = e.as<core::ReturnInfo>()) {
                ret->id += idOffset;
            } else if (auto *sig = e.as<core::SignalInfo>()) {
                sig->during += idOffset;
            } else if (auto *s = e.as<core::StepInfo>()) {
                s->step += stepOffset;
            } else if (auto *st = e.as<core::StateInfo>(); st && st->cause >= 0) {
                st->cause += nOffset - (r > 0 ? 1 : 0); // the later runs' run events are dropped
            } else if (auto *ch = e.as<core::CheckInfo>()) {
                ch->step += stepOffset;
            }
            lastT = e.tNs;
            e.tNs += tOffset;
            e.n = static_cast<std::int64_t>(out.size());
            out.push_back(std::move(e));
        }
        tOffset += lastT + 1'000'000;
        idOffset += maxId + 1;
        stepOffset += static_cast<int>(scenario.steps.size());
    }
    core::EndInfo end;
    end.ok = true;
    end.durationNs = tOffset;
    out.push_back(Event{static_cast<std::int64_t>(out.size()), tOffset, end});
    return out;
}

template <typename F> double medianMs(int reps, F &&f)
{
    std::vector<double> v;
    for (int i = 0; i < reps; ++i) {
        QElapsedTimer t;
        t.start();
        f();
        v.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const std::string name = argc > 1 ? argv[1] : "close-unread-data";
    const size_t want = argc > 2 ? static_cast<size_t>(std::atoi(argv[2])) : 1000;
    const QString lab = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("../app/sockscope-lab"));
    core::ParseResult parsed = core::resolveScenario(name);
    if (!parsed.scenario) {
        std::fprintf(stderr, "bench_ui_export: no scenario %s\n", name.c_str());
        return 2;
    }
    const auto events = realEvents(*parsed.scenario, want, QFileInfo::exists(lab) ? lab.toStdString() : std::string());
    ui::RunModel run;
    run.reset(events);
    run.setScenario(*parsed.scenario);
    std::printf("export of %d real events (%s repeated), median of 5:\n", run.eventCount(), name.c_str());
    bool ok = true;
    for (ui::ExportView view : {ui::ExportView::Sequence, ui::ExportView::Figure}) {
        ui::ImageOptions o;
        o.view = view;
        QByteArray svg;
        QImage png;
        // From the run model to the file's bytes: layout, painting and encoding.
        const double svgMs = medianMs(5, [&] { svg = ui::Exporter(run, o).svg(); });
        const double pngMs = medianMs(5, [&] {
            png = ui::Exporter(run, o).image();
            const QByteArray bytes = ui::encodePng(png); // as Exporter::write does
        });
        QImage drawn;
        const double paintMs = medianMs(3, [&] { drawn = ui::Exporter(run, o).image(); });
        QByteArray encoded;
        const double encodeMs = medianMs(3, [&] { encoded = ui::encodePng(drawn); });
        QByteArray qtBytes;
        const double qtMs = medianMs(3, [&] {
            QBuffer buffer(&qtBytes);
            buffer.open(QIODevice::WriteOnly);
            drawn.save(&buffer, "PNG");
        });
        std::printf("  %-8s PNG parts: paint %.1f ms, encode %.1f ms (%lld KiB; QImage::save: %.1f ms, %lld KiB)\n",
                    qPrintable(ui::viewName(view)), paintMs, encodeMs, static_cast<long long>(encoded.size() / 1024),
                    qtMs, static_cast<long long>(qtBytes.size() / 1024));
        const bool within = svgMs <= 200 && pngMs <= 300;
        ok = ok && within;
        std::printf("  %-8s SVG %7.1f ms (budget 200, %lld KiB)   PNG %7.1f ms (budget 300, %d x %d px)   %s\n",
                    qPrintable(ui::viewName(view)), svgMs, static_cast<long long>(svg.size() / 1024), pngMs,
                    png.width(), png.height(), within ? "ok" : "OVER BUDGET");
    }
    return ok ? 0 : 1;
}
