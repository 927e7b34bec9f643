// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/eventtable.h"

#include "ui/model/eventfilterproxy.h"
#include "ui/model/eventtablemodel.h"
#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace sockscope::ui {

namespace {
void refill(QComboBox *box, const QString &allText, const QStringList &items)
{
    const QString current = box->currentData().toString();
    QSignalBlocker block(box);
    box->clear();
    box->addItem(allText, QString());
    for (const QString &item : items)
        box->addItem(item, item);
    const int i = box->findData(current);
    box->setCurrentIndex(i < 0 ? 0 : i);
}
} // namespace

EventTable::EventTable(RunModel *run, ViewState *view, QWidget *parent)
    : QWidget(parent), m_run(run), m_view(view), m_model(new EventTableModel(run, this)),
      m_proxy(new EventFilterProxy(this)), m_table(new QTableView(this)), m_actor(new QComboBox(this)),
      m_socket(new QComboBox(this)), m_kind(new QComboBox(this)), m_errorsOnly(new QCheckBox(tr("Errors only"), this))
{
    m_proxy->setSourceModel(m_model);
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // Fixed row heights and column widths: no per-row size hints to compute at 100k rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    auto *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    const int em = m_table->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    const int widths[] = {4, 8, 5, 8, 5, 28, 12};
    for (int c = 0; c < EventTableModel::ColumnCount; ++c)
        header->resizeSection(c, widths[c] * em);

    m_kind->addItem(tr("All kinds"), -1);
    for (int k = 0; k <= static_cast<int>(core::EventKind::End); ++k) {
        const auto name = core::kindName(static_cast<core::EventKind>(k));
        m_kind->addItem(QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size())), k);
    }
    refillSocketFilters();

    auto *filters = new QHBoxLayout;
    filters->setContentsMargins(0, 0, 0, 0);
    filters->addWidget(new QLabel(tr("Show:"), this));
    filters->addWidget(m_actor);
    filters->addWidget(m_socket);
    filters->addWidget(m_kind);
    filters->addWidget(m_errorsOnly);
    filters->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(filters);
    layout->addWidget(m_table, 1);
    setMinimumSize(320, 120);

    connect(m_actor, &QComboBox::currentIndexChanged, this, &EventTable::onFilterChanged);
    connect(m_socket, &QComboBox::currentIndexChanged, this, &EventTable::onFilterChanged);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &EventTable::onFilterChanged);
    connect(m_errorsOnly, &QCheckBox::toggled, this, &EventTable::onFilterChanged);
    connect(m_run, &RunModel::socketsChanged, this, &EventTable::refillSocketFilters);
    connect(m_run, &RunModel::runReset, this, &EventTable::refillSocketFilters);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &EventTable::onCurrentRowChanged);
    connect(m_view, &ViewState::cursorChanged, this, &EventTable::onCursorChanged);
    // The model first: the proxy's errors-only filter asks it whether a row is an error yet.
    connect(m_view, &ViewState::revealChanged, m_model, &EventTableModel::setRevealLimit);
    connect(m_view, &ViewState::revealChanged, m_proxy, &EventFilterProxy::setRevealLimit);
    connect(m_view, &ViewState::themeChanged, this, &EventTable::onThemeChanged);
    onThemeChanged();
}

void EventTable::refillSocketFilters()
{
    QStringList actors, sockets;
    for (const auto &a : m_run->actors())
        actors << QString::fromStdString(a);
    for (const auto &s : m_run->sockets())
        sockets << QString::fromStdString(s.sock);
    refill(m_actor, tr("All actors"), actors);
    refill(m_socket, tr("All sockets"), sockets);
}

void EventTable::onFilterChanged()
{
    m_proxy->setActorFilter(m_actor->currentData().toString());
    m_proxy->setSocketFilter(m_socket->currentData().toString());
    const int kind = m_kind->currentData().toInt();
    m_proxy->setKindFilter(kind < 0 ? std::nullopt : std::optional(static_cast<core::EventKind>(kind)));
    m_proxy->setErrorsOnly(m_errorsOnly->isChecked());
    onCursorChanged(m_view->cursor());
}

void EventTable::onCurrentRowChanged()
{
    if (m_syncing)
        return;
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (current.isValid())
        m_view->setCursor(current.data(EventTableModel::EventIndexRole).toInt());
}

void EventTable::onCursorChanged(int eventIndex)
{
    if (eventIndex < 0 || eventIndex >= m_model->rowCount())
        return;
    const QModelIndex row = m_proxy->mapFromSource(m_model->index(eventIndex, 0));
    if (!row.isValid())
        return; // filtered out: keep the table where it is
    m_syncing = true;
    m_table->selectionModel()->setCurrentIndex(row, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(row, QAbstractItemView::EnsureVisible);
    m_syncing = false;
}

// The rows take the theme's colours, like the painted views around them; the filters keep the desktop's.
void EventTable::onThemeChanged()
{
    const Theme &t = m_view->theme();
    m_model->setErrorColor(t.syscallError);
    QPalette p = m_table->palette();
    p.setColor(QPalette::Base, t.background);
    p.setColor(QPalette::AlternateBase, t.alternateBackground);
    p.setColor(QPalette::Text, t.text);
    p.setColor(QPalette::Highlight, t.syscallOk);
    p.setColor(QPalette::HighlightedText, t.background);
    m_table->setPalette(p);
}

} // namespace sockscope::ui
