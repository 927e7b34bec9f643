// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export/pngencoder.h"

#include <QImage>
#include <QtEndian>

#include <zlib.h>

#include <algorithm>
#include <thread>
#include <vector>

namespace sockscope::ui {

namespace {

void putChunk(QByteArray &out, const char type[4], const QByteArray &data)
{
    char len[4];
    qToBigEndian<quint32>(static_cast<quint32>(data.size()), len);
    out.append(len, 4);
    const qsizetype start = out.size();
    out.append(type, 4);
    out.append(data);
    const uLong crc =
        crc32(0, reinterpret_cast<const Bytef *>(out.constData() + start), static_cast<uInt>(4 + data.size()));
    char c[4];
    qToBigEndian<quint32>(static_cast<quint32>(crc), c);
    out.append(c, 4);
}

QByteArray be32(quint32 v)
{
    char b[4];
    qToBigEndian(v, b);
    return QByteArray(b, 4);
}

// One band of rows as raw deflate data (no zlib header), ending byte-aligned (or final for the last band),
// and the Adler-32 of its uncompressed bytes, so that bands compressed in parallel join into one stream.
struct Band
{
    std::vector<unsigned char> out;
    uLong adler = 1;
    uLong length = 0;
};

void packRow(const QImage &img, int y, unsigned char *dst)
{
    const auto *px = reinterpret_cast<const QRgb *>(img.constScanLine(y));
    for (int x = 0; x < img.width(); ++x) {
        dst[3 * x] = static_cast<unsigned char>(qRed(px[x]));
        dst[3 * x + 1] = static_cast<unsigned char>(qGreen(px[x]));
        dst[3 * x + 2] = static_cast<unsigned char>(qBlue(px[x]));
    }
}

void compressBand(const QImage &img, int y0, int y1, bool last, Band &band)
{
    const size_t rowBytes = 1 + 3 * static_cast<size_t>(img.width());
    std::vector<unsigned char> prev(rowBytes, 0), row(rowBytes), filtered(rowBytes);
    if (y0 > 0)
        packRow(img, y0 - 1, prev.data() + 1); // the Up filter looks at the band above's last row
    z_stream z{};
    deflateInit2(&z, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
    band.out.resize(deflateBound(&z, static_cast<uLong>(rowBytes) * static_cast<uLong>(y1 - y0)) + 64);
    z.next_out = band.out.data();
    z.avail_out = static_cast<uInt>(band.out.size());
    for (int y = y0; y < y1; ++y) {
        packRow(img, y, row.data() + 1);
        filtered[0] = 2; // Up: the byte minus the one above
        for (size_t i = 1; i < rowBytes; ++i)
            filtered[i] = static_cast<unsigned char>(row[i] - prev[i]);
        band.adler = adler32(band.adler, filtered.data(), static_cast<uInt>(rowBytes));
        z.next_in = filtered.data();
        z.avail_in = static_cast<uInt>(rowBytes);
        deflate(&z, Z_NO_FLUSH);
        std::swap(prev, row);
    }
    deflate(&z, last ? Z_FINISH : Z_SYNC_FLUSH);
    band.out.resize(z.total_out);
    band.length = static_cast<uLong>(rowBytes) * static_cast<uLong>(y1 - y0);
    deflateEnd(&z);
}

} // namespace

QByteArray encodePng(const QImage &source)
{
    const QImage img = source.format() == QImage::Format_RGB32 ? source : source.convertToFormat(QImage::Format_RGB32);
    const int w = img.width(), h = img.height();
    QByteArray out("\x89PNG\r\n\x1a\n", 8);
    QByteArray ihdr = be32(static_cast<quint32>(w)) + be32(static_cast<quint32>(h));
    ihdr.append(char(8)).append(char(2)).append(char(0)).append(char(0)).append(char(0)); // 8-bit RGB
    putChunk(out, "IHDR", ihdr);
    QByteArray phys = be32(static_cast<quint32>(img.dotsPerMeterX())) + be32(static_cast<quint32>(img.dotsPerMeterY()));
    phys.append(char(1)); // metres
    putChunk(out, "pHYs", phys);

    // Tall images are cut into bands compressed on their own threads (as pigz does).
    const int threads = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 4);
    const int bands = std::clamp(h / 512, 1, threads);
    std::vector<Band> parts(static_cast<size_t>(bands));
    std::vector<std::thread> workers;
    for (int b = 0; b < bands; ++b) {
        const int y0 = h * b / bands, y1 = h * (b + 1) / bands;
        auto job = [&img, &parts, b, y0, y1, last = b + 1 == bands] {
            compressBand(img, y0, y1, last, parts[size_t(b)]);
        };
        if (b + 1 == bands)
            job();
        else
            workers.emplace_back(job);
    }
    for (auto &t : workers)
        t.join();
    QByteArray idat("\x78\x01", 2); // zlib header: deflate, 32K window, fastest
    uLong adler = 1;
    for (const Band &part : parts) {
        idat.append(reinterpret_cast<const char *>(part.out.data()), static_cast<qsizetype>(part.out.size()));
        adler = adler32_combine(adler, part.adler, static_cast<z_off_t>(part.length));
    }
    idat.append(be32(static_cast<quint32>(adler)));
    putChunk(out, "IDAT", idat);
    putChunk(out, "IEND", QByteArray());
    return out;
}

} // namespace sockscope::ui
