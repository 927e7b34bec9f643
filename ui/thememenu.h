// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The View > Theme menu: System (light or dark after the desktop's palette), Light, Dark, High contrast.
// The choice is remembered in QSettings ("view/theme"). While it is System, a new application palette (the
// desktop switched to dark) sets the matching theme on the ViewState, which every view repaints from.
// Whatever theme the ViewState gets (a choice here, class mode's high contrast), the application's palette
// follows it, so menus, toolbar, browser and docks match the views; the desktop's palette is put back when
// the theme is the desktop's own again.
// Thread-safety: GUI thread only.

#include <QMenu>
#include <QPalette>

class QActionGroup;

namespace sockscope::ui {

class ViewState;

class ThemeMenu : public QMenu
{
    Q_OBJECT
public:
    enum class Choice
    {
        System,
        Light,
        Dark,
        HighContrast
    };

    // Applies the remembered choice to `view` and watches `window` for palette changes.
    ThemeMenu(ViewState *view, QWidget *window);

    Choice choice() const { return m_choice; }
    void setChoice(Choice choice); // applies, checks the action and remembers it

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void apply(Choice choice);
    void followSystem();
    void applyPalette(); // the ViewState's theme to the application's widgets

    ViewState *m_view;
    QActionGroup *m_group;
    Choice m_choice = Choice::System;
    QPalette m_systemPalette;  // the desktop's, as it was before we set one
    QPalette m_appliedPalette; // the one we set, to tell our own palette changes from the desktop's
    bool m_overridden = false; // the application has m_appliedPalette, not m_systemPalette
};

} // namespace sockscope::ui
