// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: the one table of colours and fonts every view and exporter paints with.
// Thread-safety: a plain value; copy it freely.

#include "core/stream/event.h"

#include <QColor>
#include <QFont>
#include <QPalette>
#include <QString>

#include <array>

namespace sockscope::ui {

struct Theme
{
    enum class Preset
    {
        ScreenLight,
        ScreenDark,
        Print,
        HighContrast
    };

    Preset preset = Preset::ScreenLight;
    QString name;

    // Surfaces and text.
    QColor background;
    QColor alternateBackground; // banding of actor groups, header
    QColor grid;                // lifelines, row separators
    QColor text;
    QColor mutedText; // secondary labels: seq/ack, durations, times
    QColor selection; // the cursor event's row
    QColor hover;     // the hovered event's row
    QColor gapMarker; // collapsed idle gap in proportional time

    // Syscalls.
    QColor syscallOk;
    QColor syscallError;   // red: errno results
    QColor syscallBlocked; // a call that has not returned (yet)

    // Segments.
    QColor segmentSyn;
    QColor segmentFin;
    QColor segmentRst;
    QColor segmentData;
    QColor segmentAck; // pure ACK (drawn dashed)

    QColor signalMarker; // SIGPIPE
    QColor checkOk;      // expectation met
    QColor checkFailed;  // expectation not met, state conflicts

    // One colour per TCP state, indexed by core::TcpState; the same in every view.
    std::array<QColor, core::kTcpStateCount> states;

    QFont font;      // labels
    QFont monoFont;  // seq/ack, addresses, event details
    QFont titleFont; // headers, legend titles
    qreal lineWidth = 1.0;

    QColor state(core::TcpState s) const { return states[static_cast<size_t>(s)]; }
    // A readable text colour on top of state(s).
    QColor textOnState(core::TcpState s) const;
    // The colour of a segment's arrow: RST beats SYN beats FIN beats data beats pure ACK.
    QColor segment(std::uint8_t flags, std::uint32_t len) const;

    static Theme screenLight();
    static Theme screenDark();
    static Theme print();        // light, white background, for exports
    static Theme highContrast(); // class mode
    // Light or dark, from QGuiApplication's palette (light when there is no application).
    static Theme system();
    // Light or dark after a palette's window colour.
    static Theme fromPalette(const QPalette &palette);
    static Theme fromPreset(Preset p);
    // Scales every font (class mode, high-DPI exports).
    Theme scaled(qreal factor) const;
    // The widgets' palette in this theme's colours: menus, toolbar, browser and docks match the views.
    QPalette palette() const;
};

} // namespace sockscope::ui
