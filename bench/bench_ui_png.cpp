// SPDX-License-Identifier: GPL-3.0-or-later
// The two PNG encoders side by side on one 1k-event figure: ui/export/pngencoder (Up filter, zlib level 1,
// bands on threads) and Qt's QImageWriter (libpng's adaptive filters) at the same zlib level and at others.
// Reported: file size, CPU time of the whole process (every encoder thread counts) and wall time, the medians
// of several repeats. Decides issue 14's "one PNG path".
// Usage: bench_ui_png [EVENTS] [REPEATS]   (defaults: 1000 9)

#include "ui/export/exporter.h"
#include "ui/export/pngencoder.h"
#include "ui/model/runmodel.h"
#include "uibenchdata.h"

#include <QApplication>
#include <QBuffer>
#include <QElapsedTimer>
#include <QImageWriter>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <vector>

using namespace sockscope;

namespace {

double cpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Qt's writer; quality q maps to zlib level (100 - q) * 9 / 91 in Qt's PNG handler, -1 is libpng's default (6).
QByteArray qtPng(const QImage &image, int quality)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "png");
    writer.setQuality(quality);
    writer.write(image);
    return bytes;
}

struct Encoder
{
    const char *name;
    std::function<QByteArray(const QImage &)> encode;
};

} // namespace

int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int events = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int repeats = std::max(1, argc > 2 ? std::atoi(argv[2]) : 9);

    ui::RunModel run;
    run.reset(uibench::repeatedRun(uibench::recordedRuns(), events));
    ui::ImageOptions options; // the figure, print theme: what `sockscope export -o x.png` writes
    const QImage image = ui::Exporter(run, options).image();
    std::printf("PNG of a %d-event figure, %d x %d px (QImage format %d), median of %d (CPU = all threads):\n",
                run.eventCount(), image.width(), image.height(), static_cast<int>(image.format()), repeats);

    const std::vector<Encoder> encoders = {
        {"custom encoder (Up, zlib 1)", [](const QImage &i) { return ui::encodePng(i); }},
        {"QImageWriter zlib 1 (quality 85)", [](const QImage &i) { return qtPng(i, 85); }},
        {"QImageWriter zlib 3 (quality 65)", [](const QImage &i) { return qtPng(i, 65); }},
        {"QImageWriter zlib 6 (default)", [](const QImage &i) { return qtPng(i, -1); }},
        {"QImageWriter zlib 9 (quality 0)", [](const QImage &i) { return qtPng(i, 0); }},
    };
    for (const Encoder &e : encoders) {
        std::vector<double> cpu, wall;
        QByteArray bytes;
        for (int r = 0; r < repeats; ++r) {
            QElapsedTimer t;
            const double c0 = cpuMs();
            t.start();
            bytes = e.encode(image);
            wall.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
            cpu.push_back(cpuMs() - c0);
        }
        const QImage back = QImage::fromData(bytes, "PNG").convertToFormat(QImage::Format_RGB32);
        const bool same = back == image.convertToFormat(QImage::Format_RGB32);
        const int colourType = bytes.size() > 25 ? bytes.at(25) : -1; // IHDR: 2 RGB, 6 RGBA
        std::printf("  %-34s %8lld bytes   CPU %7.1f ms   wall %7.1f ms   %s, %s\n", e.name,
                    static_cast<long long>(bytes.size()), median(cpu), median(wall),
                    colourType == 2   ? "RGB"
                    : colourType == 6 ? "RGBA"
                                      : "?",
                    same ? "decodes to the same pixels" : "PIXELS DIFFER");
    }
    return 0;
}
