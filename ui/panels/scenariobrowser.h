// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The scenario browser: the built-in catalogue grouped by topic, plus files the user opened or dropped.
// A file that does not parse is reported (file:line:column) and never added, so nothing runs from it.
// Thread-safety: GUI thread only.

#include "core/scenario/scenario.h"

#include <QWidget>

#include <deque>

class QLabel;
class QStackedLayout;
class QTreeWidget;
class QTreeWidgetItem;

namespace sockscope::ui {

class ScenarioBrowser : public QWidget
{
    Q_OBJECT
public:
    explicit ScenarioBrowser(QWidget *parent = nullptr);

    // Parses and adds a file; on errors shows them in a message box (unless quiet) and returns false.
    bool openFile(const QString &path, QString *errors = nullptr, bool quiet = false);
    // Selects a scenario by name (built-in stem or file stem); false if unknown.
    bool select(const QString &name);
    const core::Scenario *current() const;
    int scenarioCount() const { return static_cast<int>(m_scenarios.size()); }
    QTreeWidget *tree() const { return m_tree; }
    // While reveal hides later facts the names, titles and summaries would tell the answer: a note stands in
    // for the whole tree (the scenario's place among the others tells as much as its name).
    void setConcealed(bool on);
    bool isConcealed() const;

    QSize sizeHint() const override { return {260, 400}; }

Q_SIGNALS:
    void currentChanged(const sockscope::core::Scenario *scenario);
    void activated(const sockscope::core::Scenario &scenario); // double click or Enter: run it

private:
    void loadBuiltins();
    QTreeWidgetItem *topicItem(const QString &topic);
    QTreeWidgetItem *addScenario(QTreeWidgetItem *parent, core::Scenario scenario);
    const core::Scenario *scenarioOf(QTreeWidgetItem *item) const;

    QTreeWidget *m_tree;
    QLabel *m_concealed;
    QStackedLayout *m_pages;
    QTreeWidgetItem *m_files = nullptr;     // "Opened files", created on the first open
    std::deque<core::Scenario> m_scenarios; // stable addresses; items store the index
};

} // namespace sockscope::ui
