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

// The colours of the three full presets, one row per colour: screen light, screen dark, high contrast
// (#aarrggbb where a colour is see-through). Print starts from screen light.
struct ColourRow
{
    QColor Theme::*colour;
    const char *light;
    const char *dark;
    const char *highContrast;
};

const ColourRow kColours[] = {
    {&Theme::background, "#ffffff", "#1e2126", "#000000"},
    {&Theme::alternateBackground, "#f3f5f8", "#262a30", "#141414"},
    {&Theme::grid, "#9aa3ad", "#5a626c", "#c0c0c0"},
    {&Theme::text, "#1b1f24", "#e6e9ed", "#ffffff"},
    {&Theme::mutedText, "#5f6b78", "#9aa5b1", "#e0e0e0"},
    {&Theme::selection, "#3c307fe0", "#504d9bff", "#5affff00"},
    {&Theme::hover, "#1c307fe0", "#244d9bff", "#28ffff00"},
    {&Theme::gapMarker, "#8a939c", "#7d8792", "#ffffff"},
    {&Theme::syscallOk, "#1f5fa8", "#7fb4ff", "#00e5ff"},
    {&Theme::syscallError, "#d0021b", "#ff5c5c", "#ff3030"},
    {&Theme::syscallBlocked, "#d08700", "#ffb340", "#ffd600"},
    {&Theme::segmentSyn, "#1565c0", "#64a8ff", "#40c4ff"},
    {&Theme::segmentFin, "#6a1b9a", "#c792ea", "#ea80fc"},
    {&Theme::segmentRst, "#d0021b", "#ff5c5c", "#ff3030"},
    {&Theme::segmentData, "#2e7d32", "#7ccf7f", "#69f0ae"},
    {&Theme::segmentAck, "#6d7680", "#98a2ad", "#e0e0e0"},
    {&Theme::signalMarker, "#e65100", "#ff9e40", "#ff9100"},
    {&Theme::checkOk, "#2e7d32", "#7ccf7f", "#69f0ae"},
    {&Theme::checkFailed, "#d0021b", "#ff5c5c", "#ff3030"},
};

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

// A preset from its column of kColours, its state hues and its type size.
Theme fromTable(Theme::Preset preset, const QString &name, const char *ColourRow::*column, bool darkStates,
                qreal basePt)
{
    Theme t;
    t.preset = preset;
    t.name = name;
    for (const ColourRow &row : kColours)
        t.*row.colour = QColor(row.*column);
    setStates(t, darkStates);
    setFonts(t, basePt);
    return t;
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
    return fromTable(Preset::ScreenLight, QStringLiteral("Light"), &ColourRow::light, false, 9.0);
}

Theme Theme::screenDark()
{
    return fromTable(Preset::ScreenDark, QStringLiteral("Dark"), &ColourRow::dark, true, 9.0);
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
    Theme t = fromTable(Preset::HighContrast, QStringLiteral("High contrast"), &ColourRow::highContrast, false, 11.0);
    t.states[static_cast<size_t>(TcpState::Closed)] = QColor("#9e9e9e");
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
