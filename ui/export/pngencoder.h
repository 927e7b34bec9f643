// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: a fast PNG encoder for exported diagrams. Diagrams are mostly background with rows much like the
// ones above them, so the "Up" filter on every row with zlib's fastest level gives files as small as
// QImage::save's (libpng's adaptive filters, level 6) in a third of the time; tall images are compressed in
// bands on several threads and joined into one zlib stream. That is most of a PNG export's time.
// Thread-safety: a pure function.

#include <QByteArray>

class QImage;

namespace sockscope::ui {

// 8-bit RGB (alpha dropped: exports are opaque), non-interlaced, with the image's resolution (pHYs).
QByteArray encodePng(const QImage &image);

} // namespace sockscope::ui
