// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pngencoder.h"

#include <QImage>
#include <QtEndian>

#include <zlib.h>

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
    const uLong crc = crc32(0, reinterpret_cast<const Bytef *>(out.constData() + start), static_cast<uInt>(4 + data.size()));
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

    z_stream z{};
    deflateInit2(&z, 1, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY);
    const size_t rowBytes = 1 + 3 * static_cast<size_t>(w);
    std::vector<unsigned char> prev(rowBytes, 0), row(rowBytes), filtered(rowBytes);
    QByteArray idat;
    idat.resize(static_cast<qsizetype>(deflateBound(&z, static_cast<uLong>(rowBytes * h))));
    z.next_out = reinterpret_cast<Bytef *>(idat.data());
    z.avail_out = static_cast<uInt>(idat.size());
    for (int y = 0; y < h; ++y) {
        const auto *px = reinterpret_cast<const QRgb *>(img.constScanLine(y));
        for (int x = 0; x < w; ++x) {
            row[1 + 3 * x] = static_cast<unsigned char>(qRed(px[x]));
            row[2 + 3 * x] = static_cast<unsigned char>(qGreen(px[x]));
            row[3 + 3 * x] = static_cast<unsigned char>(qBlue(px[x]));
        }
        filtered[0] = 2; // Up: the byte minus the one above
        for (size_t i = 1; i < rowBytes; ++i)
            filtered[i] = static_cast<unsigned char>(row[i] - prev[i]);
        z.next_in = filtered.data();
        z.avail_in = static_cast<uInt>(rowBytes);
        deflate(&z, y + 1 == h ? Z_FINISH : Z_NO_FLUSH);
        std::swap(prev, row);
    }
    if (h == 0)
        deflate(&z, Z_FINISH);
    idat.resize(static_cast<qsizetype>(z.total_out));
    deflateEnd(&z);
    putChunk(out, "IDAT", idat);
    putChunk(out, "IEND", QByteArray());
    return out;
}

} // namespace sockscope::ui
