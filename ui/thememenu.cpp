// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/thememenu.h"

#include "ui/model/viewstate.h"

#include <QActionGroup>
#include <QApplication>
#include <QEvent>
#include <QSettings>

namespace sockscope::ui {

namespace {

const QString kSettingsKey = QStringLiteral("view/theme");

struct Entry
{
    ThemeMenu::Choice choice;
    const char *key; // in QSettings
    const char *label;
};

constexpr Entry kEntries[] = {
    {ThemeMenu::Choice::System, "system", QT_TRANSLATE_NOOP("ThemeMenu", "&System (light or dark)")},
    {ThemeMenu::Choice::Light, "light", QT_TRANSLATE_NOOP("ThemeMenu", "&Light")},
    {ThemeMenu::Choice::Dark, "dark", QT_TRANSLATE_NOOP("ThemeMenu", "&Dark")},
    {ThemeMenu::Choice::HighContrast, "high-contrast", QT_TRANSLATE_NOOP("ThemeMenu", "&High contrast")},
};

} // namespace

ThemeMenu::ThemeMenu(ViewState *view, QWidget *window)
    : QMenu(tr("&Theme"), window), m_view(view), m_group(new QActionGroup(this))
{
    for (const Entry &e : kEntries) {
        QAction *a = addAction(tr(e.label));
        a->setCheckable(true);
        a->setData(static_cast<int>(e.choice));
        m_group->addAction(a);
        connect(a, &QAction::triggered, this, [this, choice = e.choice] { setChoice(choice); });
    }
    m_systemPalette = QGuiApplication::palette();
    connect(m_view, &ViewState::themeChanged, this, &ThemeMenu::applyPalette);
    const QString saved = QSettings().value(kSettingsKey, QStringLiteral("system")).toString();
    Choice choice = Choice::System;
    for (const Entry &e : kEntries)
        if (saved == QLatin1String(e.key))
            choice = e.choice;
    apply(choice); // not setChoice(): writing the settings back costs a file sync at every start
    // Qt 6 announces a new application palette (the desktop switched to dark) with ApplicationPaletteChange
    // sent to the application object, not to top-level widgets; the window itself gets PaletteChange when
    // its own palette changes. The application filter sees every event, so it tests the type first.
    QCoreApplication::instance()->installEventFilter(this);
    if (window)
        window->installEventFilter(this);
}

void ThemeMenu::setChoice(Choice choice)
{
    for (const Entry &e : kEntries)
        if (e.choice == choice)
            QSettings().setValue(kSettingsKey, QLatin1String(e.key));
    apply(choice);
}

void ThemeMenu::apply(Choice choice)
{
    m_choice = choice;
    for (QAction *a : m_group->actions())
        a->setChecked(a->data().toInt() == static_cast<int>(choice));
    switch (choice) {
    case Choice::System:
        followSystem();
        break;
    case Choice::Light:
        m_view->setTheme(Theme::screenLight());
        break;
    case Choice::Dark:
        m_view->setTheme(Theme::screenDark());
        break;
    case Choice::HighContrast:
        m_view->setTheme(Theme::highContrast());
        break;
    }
}

void ThemeMenu::followSystem()
{
    const Theme system = Theme::fromPalette(m_systemPalette); // not the application's: it may be ours
    if (system.preset != m_view->theme().preset)
        m_view->setTheme(system);
}

void ThemeMenu::applyPalette()
{
    const Theme &theme = m_view->theme();
    if (m_choice == Choice::System && theme.preset == Theme::fromPalette(m_systemPalette).preset) {
        if (m_overridden)
            QApplication::setPalette(m_systemPalette);
        m_overridden = false;
        return;
    }
    m_appliedPalette = theme.palette();
    m_overridden = true;
    QApplication::setPalette(m_appliedPalette);
}

bool ThemeMenu::eventFilter(QObject *watched, QEvent *event)
{
    const QEvent::Type type = event->type();
    if (type == QEvent::ApplicationPaletteChange && watched == QCoreApplication::instance()) {
        const QPalette now = QGuiApplication::palette();
        if (!(m_overridden && now == m_appliedPalette) && !(!m_overridden && now == m_systemPalette)) {
            // The desktop's: remember it; follow it, or put our theme's palette back over it.
            m_systemPalette = now;
            m_overridden = false;
            if (m_choice == Choice::System)
                followSystem();
            else
                applyPalette();
        }
    } else if (type == QEvent::PaletteChange && watched == parent() && m_choice == Choice::System && !m_overridden) {
        followSystem();
    }
    return QMenu::eventFilter(watched, event);
}

} // namespace sockscope::ui
