// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/scenariobrowser.h"

#include "core/scenario/builtins.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QStackedLayout>
#include <QTreeWidget>

#include <exception>

namespace sockscope::ui {
namespace {
constexpr int kIndexRole = Qt::UserRole + 1;
}

ScenarioBrowser::ScenarioBrowser(QWidget *parent)
    : QWidget(parent), m_tree(new QTreeWidget(this)),
      m_concealed(new QLabel(tr("The scenarios are hidden while the lesson is revealed step by step: their names "
                                "tell what happens. They come back at the end, or when reveal is off (R)."),
                             this)),
      m_pages(new QStackedLayout(this))
{
    m_tree->setHeaderHidden(true);
    m_tree->setRootIsDecorated(true);
    m_tree->setUniformRowHeights(true);
    m_concealed->setWordWrap(true);
    m_concealed->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_concealed->setMargin(8);
    m_pages->setContentsMargins(0, 0, 0, 0);
    m_pages->addWidget(m_tree);
    m_pages->addWidget(m_concealed);
    setMinimumSize(180, 120);
    loadBuiltins();
    m_tree->expandAll();
    connect(m_tree, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem *item) { emit currentChanged(scenarioOf(item)); });
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        if (const core::Scenario *s = scenarioOf(item))
            emit activated(*s);
    });
}

void ScenarioBrowser::setConcealed(bool on)
{
    m_pages->setCurrentWidget(on ? static_cast<QWidget *>(m_concealed) : m_tree);
}

bool ScenarioBrowser::isConcealed() const
{
    return m_pages->currentWidget() == m_concealed;
}

void ScenarioBrowser::loadBuiltins()
{
    std::vector<core::Scenario> builtins;
    try {
        builtins = core::parsedBuiltins();
    } catch (const std::exception &e) {
        // A built-in that does not parse is a build defect; show it instead of an empty tree.
        auto *item = new QTreeWidgetItem(m_tree, {tr("Built-in scenarios failed to load")});
        item->setToolTip(0, QString::fromUtf8(e.what()));
        return;
    }
    for (auto &s : builtins) {
        const QString topic = s.topic.empty() ? tr("Other") : QString::fromStdString(s.topic);
        addScenario(topicItem(topic), std::move(s));
    }
}

QTreeWidgetItem *ScenarioBrowser::topicItem(const QString &topic)
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        if (m_tree->topLevelItem(i)->text(0) == topic && m_tree->topLevelItem(i) != m_files)
            return m_tree->topLevelItem(i);
    auto *item = new QTreeWidgetItem(m_tree, {topic});
    item->setFlags(Qt::ItemIsEnabled);
    QFont bold = item->font(0);
    bold.setBold(true);
    item->setFont(0, bold);
    return item;
}

QTreeWidgetItem *ScenarioBrowser::addScenario(QTreeWidgetItem *parent, core::Scenario scenario)
{
    const QString title = QString::fromStdString(scenario.title.empty() ? scenario.name : scenario.title);
    auto *item = new QTreeWidgetItem(parent, {title});
    item->setData(0, kIndexRole, static_cast<int>(m_scenarios.size()));
    QString tip = QStringLiteral("<b>%1</b>").arg(QString::fromStdString(scenario.name).toHtmlEscaped());
    if (!scenario.summary.empty())
        tip += QStringLiteral("<br>%1").arg(QString::fromStdString(scenario.summary).toHtmlEscaped());
    item->setToolTip(0, tip);
    m_scenarios.push_back(std::move(scenario));
    return item;
}

const core::Scenario *ScenarioBrowser::scenarioOf(QTreeWidgetItem *item) const
{
    if (!item)
        return nullptr;
    const QVariant v = item->data(0, kIndexRole);
    if (!v.isValid())
        return nullptr;
    return &m_scenarios[static_cast<size_t>(v.toInt())];
}

const core::Scenario *ScenarioBrowser::current() const
{
    return scenarioOf(m_tree->currentItem());
}

bool ScenarioBrowser::openFile(const QString &path, QString *errors, bool quiet)
{
    const core::ParseResult r = core::loadScenarioFile(path.toStdString());
    if (!r.scenario) {
        QStringList lines;
        for (const auto &e : r.errors)
            lines << QString::fromStdString(e.format());
        if (errors)
            *errors = lines.join(QLatin1Char('\n'));
        if (!quiet) {
            QMessageBox box(QMessageBox::Warning, tr("Cannot open scenario"),
                            tr("%1 does not parse; nothing was run.").arg(QFileInfo(path).fileName()), QMessageBox::Ok,
                            this);
            box.setInformativeText(lines.join(QLatin1Char('\n')));
            box.exec();
        }
        return false;
    }
    if (!m_files) {
        m_files = new QTreeWidgetItem(m_tree, {tr("Opened files")});
        m_files->setFlags(Qt::ItemIsEnabled);
        QFont bold = m_files->font(0);
        bold.setBold(true);
        m_files->setFont(0, bold);
    }
    QTreeWidgetItem *item = addScenario(m_files, *r.scenario);
    item->setToolTip(0, item->toolTip(0) + QStringLiteral("<br><i>%1</i>").arg(path.toHtmlEscaped()));
    m_files->setExpanded(true);
    m_tree->setCurrentItem(item);
    return true;
}

bool ScenarioBrowser::select(const QString &name)
{
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it)
        if (const core::Scenario *s = scenarioOf(*it); s && QString::fromStdString(s->name) == name) {
            m_tree->setCurrentItem(*it);
            return true;
        }
    return false;
}

} // namespace sockscope::ui
