// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/style/theme.h"

#include <QFontDatabase>
#include <QGuiApplication>
#include <QPalette>

namespace sockscope::ui {

using core::TcpState;

namespace {

void setStates(Theme &t, bool dark)
{
    // Hues chosen so that neighbouring phases differ: opening (blues), established (green),
    // our close (oranges), peer close (purples), TIME_WAIT (grey-brown), CLOSED (grey).
    auto set = [&t](TcpState s, const char *light, const char *darkC, bool useDark) {
        t.states[static_cast<size_t>(s)] = QColor(useDark ? darkC : light);
    };
    set(TcpState::Closed, "#b0b0b0", "#6b6b6b", dark);
    set(TcpState::Listen, "#8fb8de", "#4f7fae", dark);
    set(TcpState::SynSent, "#5b9bd5", "#3f7fbf", dark);
    set(TcpState::SynReceived, "#4aa3a3", "#2f8a8a", dark);
    set(TcpState::Established, "#6cbf5a", "#4c9a3c", dark);
    set(TcpState::FinWait1, "#f2b35b", "#c98a2e", dark);
    set(TcpState::FinWait2, "#e8913c", "#b86c1e", dark);
    set(TcpState::CloseWait, "#b08ad6", "#8a62b3", dark);
    set(TcpState::Closing, "#e36f8a", "#b84b66", dark);
    set(TcpState::LastAck, "#8e6cc0", "#6b4a9c", dark);
    set(TcpState::TimeWait, "#a8926b", "#85714d", dark);
}

void setFonts(Theme &t, qreal basePt)
{
    t.font = QFont();
    t.font.setPointSizeF(basePt);
    t.monoFont = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    t.monoFont.setPointSizeF(basePt * 0.95);
    t.titleFont = t.font;
    t.titleFont.setBold(true);
    t.titleFont.setPointSizeF(basePt * 1.1);
}

} // namespace

QColor Theme::textOnState(TcpState s) const
{
    const QColor c = state(s);
    return c.lightnessF() > 0.55 ? QColor(Qt::black) : QColor(Qt::white);
}

QColor Theme::segment(std::uint8_t flags, std::uint32_t len) const
{
    if (core::hasFlag(flags, core::SegmentFlag::Rst))
        return segmentRst;
    if (core::hasFlag(flags, core::SegmentFlag::Syn))
        return segmentSyn;
    if (core::hasFlag(flags, core::SegmentFlag::Fin))
        return segmentFin;
    if (len > 0)
        return segmentData;
    return segmentAck;
}

Theme Theme::screenLight()
{
    Theme t;
    t.preset = Preset::ScreenLight;
    t.name = QStringLiteral("Light");
    t.background = QColor("#ffffff");
    t.alternateBackground = QColor("#f3f5f8");
    t.grid = QColor("#9aa3ad");
    t.text = QColor("#1b1f24");
    t.mutedText = QColor("#5f6b78");
    t.selection = QColor(0x30, 0x7f, 0xe0, 60);
    t.hover = QColor(0x30, 0x7f, 0xe0, 28);
    t.gapMarker = QColor("#8a939c");
    t.syscallOk = QColor("#1f5fa8");
    t.syscallError = QColor("#d0021b");
    t.syscallBlocked = QColor("#d08700");
    t.segmentSyn = QColor("#1565c0");
    t.segmentFin = QColor("#6a1b9a");
    t.segmentRst = QColor("#d0021b");
    t.segmentData = QColor("#2e7d32");
    t.segmentAck = QColor("#6d7680");
    t.signalMarker = QColor("#e65100");
    t.checkOk = QColor("#2e7d32");
    t.checkFailed = QColor("#d0021b");
    setStates(t, false);
    setFonts(t, 9.0);
    return t;
}

Theme Theme::screenDark()
{
    Theme t = screenLight();
    t.preset = Preset::ScreenDark;
    t.name = QStringLiteral("Dark");
    t.background = QColor("#1e2126");
    t.alternateBackground = QColor("#262a30");
    t.grid = QColor("#5a626c");
    t.text = QColor("#e6e9ed");
    t.mutedText = QColor("#9aa5b1");
    t.selection = QColor(0x4d, 0x9b, 0xff, 80);
    t.hover = QColor(0x4d, 0x9b, 0xff, 36);
    t.gapMarker = QColor("#7d8792");
    t.syscallOk = QColor("#7fb4ff");
    t.syscallError = QColor("#ff5c5c");
    t.syscallBlocked = QColor("#ffb340");
    t.segmentSyn = QColor("#64a8ff");
    t.segmentFin = QColor("#c792ea");
    t.segmentRst = QColor("#ff5c5c");
    t.segmentData = QColor("#7ccf7f");
    t.segmentAck = QColor("#98a2ad");
    t.signalMarker = QColor("#ff9e40");
    t.checkOk = QColor("#7ccf7f");
    t.checkFailed = QColor("#ff5c5c");
    setStates(t, true);
    return t;
}

Theme Theme::print()
{
    Theme t = screenLight();
    t.preset = Preset::Print;
    t.name = QStringLiteral("Print");
    t.alternateBackground = QColor("#f5f5f5");
    t.grid = QColor("#808080");
    t.text = QColor("#000000");
    t.mutedText = QColor("#404040");
    t.selection = QColor(0, 0, 0, 0); // exports show no cursor
    t.hover = QColor(0, 0, 0, 0);
    return t;
}

Theme Theme::highContrast()
{
    Theme t;
    t.preset = Preset::HighContrast;
    t.name = QStringLiteral("High contrast");
    t.background = QColor("#000000");
    t.alternateBackground = QColor("#141414");
    t.grid = QColor("#c0c0c0");
    t.text = QColor("#ffffff");
    t.mutedText = QColor("#e0e0e0");
    t.selection = QColor(0xff, 0xff, 0x00, 90);
    t.hover = QColor(0xff, 0xff, 0x00, 40);
    t.gapMarker = QColor("#ffffff");
    t.syscallOk = QColor("#00e5ff");
    t.syscallError = QColor("#ff3030");
    t.syscallBlocked = QColor("#ffd600");
    t.segmentSyn = QColor("#40c4ff");
    t.segmentFin = QColor("#ea80fc");
    t.segmentRst = QColor("#ff3030");
    t.segmentData = QColor("#69f0ae");
    t.segmentAck = QColor("#e0e0e0");
    t.signalMarker = QColor("#ff9100");
    t.checkOk = QColor("#69f0ae");
    t.checkFailed = QColor("#ff3030");
    setStates(t, false);
    t.states[static_cast<size_t>(TcpState::Closed)] = QColor("#9e9e9e");
    setFonts(t, 11.0);
    t.font.setBold(true);
    t.lineWidth = 2.0;
    return t;
}

Theme Theme::system()
{
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return screenLight();
    return fromPalette(QGuiApplication::palette());
}

Theme Theme::fromPalette(const QPalette &pal)
{
    const bool dark = pal.color(QPalette::Window).lightness() < pal.color(QPalette::WindowText).lightness();
    return dark ? screenDark() : screenLight();
}

QPalette Theme::palette() const
{
    // Window chrome (menus, toolbar, dock titles) one step off the views' background, like the desktop's own
    // dark palettes; item views (browser, table, editor) on the views' background.
    const bool dark = background.lightness() < text.lightness();
    const QColor window = dark ? background.lighter(125) : alternateBackground;
    const QColor button = dark ? background.lighter(140) : alternateBackground.darker(104);
    QPalette p(window);
    for (QPalette::ColorGroup g : {QPalette::Active, QPalette::Inactive, QPalette::Disabled}) {
        const bool off = g == QPalette::Disabled;
        const QColor fg = off ? mutedText : text;
        p.setColor(g, QPalette::Window, window);
        p.setColor(g, QPalette::WindowText, fg);
        p.setColor(g, QPalette::Base, background);
        p.setColor(g, QPalette::AlternateBase, alternateBackground);
        p.setColor(g, QPalette::Text, fg);
        p.setColor(g, QPalette::PlaceholderText, mutedText);
        p.setColor(g, QPalette::Button, button);
        p.setColor(g, QPalette::ButtonText, fg);
        p.setColor(g, QPalette::BrightText, syscallError);
        p.setColor(g, QPalette::ToolTipBase, alternateBackground);
        p.setColor(g, QPalette::ToolTipText, text);
        p.setColor(g, QPalette::Highlight, off ? grid : syscallOk);
        p.setColor(g, QPalette::HighlightedText, dark ? QColor(Qt::black) : QColor(Qt::white));
        p.setColor(g, QPalette::Link, segmentSyn);
        p.setColor(g, QPalette::LinkVisited, segmentFin);
        p.setColor(g, QPalette::Light, button.lighter(130));
        p.setColor(g, QPalette::Midlight, button.lighter(115));
        p.setColor(g, QPalette::Mid, grid);
        p.setColor(g, QPalette::Dark, button.darker(160));
        p.setColor(g, QPalette::Shadow, QColor(Qt::black));
    }
    return p;
}

Theme Theme::fromPreset(Preset p)
{
    switch (p) {
    case Preset::ScreenLight:
        return screenLight();
    case Preset::ScreenDark:
        return screenDark();
    case Preset::Print:
        return print();
    case Preset::HighContrast:
        return highContrast();
    }
    return screenLight();
}

Theme Theme::scaled(qreal factor) const
{
    Theme t = *this;
    for (QFont *f : {&t.font, &t.monoFont, &t.titleFont})
        f->setPointSizeF(f->pointSizeF() * factor);
    t.lineWidth *= factor;
    return t;
}

} // namespace sockscope::ui
