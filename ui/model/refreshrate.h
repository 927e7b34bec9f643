// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: how often the window may refresh while a run streams: the engine's batches are drained and the views
// relaid out at most this often (~30 a second, STYLE.md; PulseView caps at 25 Hz). One constant, so the drain and
// the relayout never drift apart.
// Thread-safety: a constant.

namespace sockscope::ui {

inline constexpr int kRefreshIntervalMs = 33;

} // namespace sockscope::ui
