// SPDX-License-Identifier: GPL-3.0-or-later
// Sequence diagram frame time (DESIGN.md budget: <= 16 ms at 10k events, <= 35 ms at 50k): lays out a
// synthetic run and paints a viewport-sized region into a QImage, in both time modes, at the top, the
// middle and the end, plus a zoomed-out frame where thousands of rows share the viewport (the budget says
// "including zoomed out": the verdict counts it).
// Usage: bench_ui_sequence [out.png]   (writes the 10k middle frame when given a path)

#include "ui/model/runmodel.h"
#include "ui/sequence/sequencelayout.h"
#include "ui/sequence/sequencepainter.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace sockscope;
using core::Event;

namespace {

// Connections opened, used and torn down by one client and a server, like a stress scenario would.
std::vector<Event> synthetic(int count)
{
    std::vector<Event> v;
    v.reserve(static_cast<size_t>(count) + 16);
    std::int64_t t = 0, id = 0;
    auto push = [&](std::int64_t dt, core::EventPayload p) {
        t += dt;
        v.push_back(Event{static_cast<std::int64_t>(v.size()), t, std::move(p)});
    };
    push(0, core::RunInfo{});
    push(100, core::SocketInfo{"server.listen", "server", "listen", 3, "127.0.0.1:5000", ""});
    int conn = 0;
    while (static_cast<int>(v.size()) < count) {
        ++conn;
        const std::string c = "client." + std::to_string(conn % 4 + 1);
        const std::string s = "server." + std::to_string(conn % 4 + 1);
        const int step = conn;
        push(1000, core::StepInfo{step, "client", "connect(C, 127.0.0.1:5000)", step, {}});
        push(500, core::SyscallInfo{++id, step, "client", "connect", 4, c, {{"addr", "127.0.0.1:5000", false}}});
        const std::int64_t call = id;
        auto pkt = [&](const std::string &from, const std::string &to, std::uint8_t flags, std::uint32_t len) {
            core::PacketInfo p;
            p.from = from;
            p.to = to;
            p.flags = flags;
            p.seq = 1;
            p.ack = 1;
            p.len = len;
            push(3000, p);
        };
        pkt(c, "server.listen", 0x02, 0);
        push(100, core::StateInfo{c, core::TcpState::Closed, core::TcpState::SynSent, core::StateSource::Derived, -1});
        pkt(s, c, 0x12, 0);
        pkt(c, s, 0x10, 0);
        push(100,
             core::StateInfo{c, core::TcpState::SynSent, core::TcpState::Established, core::StateSource::Derived, -1});
        push(800, core::ReturnInfo{call, 0, "", 4000, std::nullopt});
        push(900, core::SyscallInfo{++id, step, "client", "send", 4, c, {{"len", "100", true}}});
        push(300, core::ReturnInfo{id, 100, "", 300, std::nullopt});
        pkt(c, s, 0x18, 100);
        push(200, core::QueueInfo{s, 100, 0});
        push(900, core::SyscallInfo{++id, step, "server", "close", 5, s, {}});
        pkt(s, c, 0x14, 0);
        push(100,
             core::StateInfo{c, core::TcpState::Established, core::TcpState::Closed, core::StateSource::Derived, -1});
        push(300, core::ReturnInfo{id, 0, "", 1400, std::nullopt});
        push(900, core::SyscallInfo{++id, step, "client", "recv", 4, c, {{"len", "100", true}}});
        push(300, core::ReturnInfo{id, -1, "ECONNRESET", 300, std::nullopt});
        if (conn % 50 == 0)
            push(20'000'000, core::SignalInfo{"client", "SIGPIPE", id}); // an idle gap now and then
    }
    v.resize(static_cast<size_t>(count));
    return v;
}

double frameMs(const ui::RunModel &run, const ui::SequenceLayout &L, const ui::Theme &theme, QImage &img, double top,
               int reps)
{
    ui::SequencePainter painter(run, L, theme);
    const double hh = painter.headerHeight();
    QElapsedTimer timer;
    double best = 1e9;
    for (int r = 0; r < reps; ++r) {
        timer.start();
        QPainter p(&img);
        const QRectF clip(0, top, img.width(), img.height() - hh);
        p.save();
        p.translate(0, hh - top);
        painter.paintBody(p, clip, {});
        p.restore();
        painter.paintHeader(p, QRectF(0, 0, img.width(), hh));
        p.end();
        best = std::min(best, static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    return best;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    const ui::Theme theme = ui::Theme::screenLight();
    QImage img(1600, 1000, QImage::Format_ARGB32_Premultiplied);
    std::printf("%-7s %-12s %10s %10s %10s %10s %12s  budget\n", "events", "mode", "layout_ms", "top_ms", "mid_ms",
                "end_ms", "zoomout_ms");
    for (int count : {10'000, 50'000}) {
        ui::RunModel run;
        run.reset(synthetic(count));
        for (ui::TimeMode mode : {ui::TimeMode::Uniform, ui::TimeMode::Proportional}) {
            ui::SequenceOptions o;
            o.mode = mode;
            QElapsedTimer t;
            t.start();
            const auto L = ui::SequenceLayout::compute(run, o);
            const double layoutMs = static_cast<double>(t.nsecsElapsed()) / 1e6;
            const double top = frameMs(run, L, theme, img, 0, 5);
            const double mid = frameMs(run, L, theme, img, L.height() / 2, 5);
            const double end = frameMs(run, L, theme, img, std::max(0.0, L.height() - img.height()), 5);
            if (count == 10'000 && mode == ui::TimeMode::Uniform && argc > 1) {
                frameMs(run, L, theme, img, L.height() / 2, 1);
                img.save(QString::fromLocal8Bit(argv[1]));
            }
            // Zoomed out: ~1000 rows in one viewport (rows of 1 px), same-pixel marks and labels skipped.
            ui::SequenceOptions z = o;
            z.rowHeight = 1;
            z.timeZoom = 1.0 / 22;
            const auto Z = ui::SequenceLayout::compute(run, z);
            const double zoomOut = frameMs(run, Z, theme, img, Z.height() / 2, 3);
            const double budget = count <= 10'000 ? 16.0 : 35.0;
            std::printf("%-7d %-12s %10.2f %10.2f %10.2f %10.2f %12.2f  <= %.0f ms: %s\n", count,
                        mode == ui::TimeMode::Uniform ? "uniform" : "proportional", layoutMs, top, mid, end, zoomOut,
                        budget, std::max({top, mid, end, zoomOut}) <= budget ? "ok" : "OVER");
        }
    }
    return 0;
}
