// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the PNG encoder of every PNG sockscope writes (exports and the clipboard). Diagrams are mostly
// background with rows much like the ones above them, so the "Up" filter on every row with zlib's fastest level
// compresses about as well as libpng's adaptive filters at the same level (2% larger) for ~40% less CPU time
// (bench/bench_ui_png, docs/export.md); tall images are compressed in bands on several threads and joined into
// one zlib stream.
// Thread-safety: a pure function.

#include <QByteArray>

class QImage;

namespace sockscope::ui {

// 8-bit RGB (alpha dropped: exports are opaque), non-interlaced, with the image's resolution (pHYs).
QByteArray encodePng(const QImage &image);

} // namespace sockscope::ui
