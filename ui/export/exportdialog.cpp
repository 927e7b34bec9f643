// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export/exportdialog.h"

#include "ui/export/exportactions.h"
#include "ui/export/exporter.h"
#include "ui/model/runmodel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTimer>

namespace sockscope::ui {

using core::ExportFormat;

namespace {

constexpr ExportFormat kFormats[] = {ExportFormat::Png,     ExportFormat::Svg,      ExportFormat::Pdf,
                                     ExportFormat::Pcapng,  ExportFormat::Json,     ExportFormat::Text,
                                     ExportFormat::Mermaid, ExportFormat::PlantUml, ExportFormat::Run};

QString formatLabel(ExportFormat f)
{
    switch (f) {
    case ExportFormat::Png:
        return QObject::tr("PNG image");
    case ExportFormat::Svg:
        return QObject::tr("SVG (vector)");
    case ExportFormat::Pdf:
        return QObject::tr("PDF (vector, paged)");
    case ExportFormat::Pcapng:
        return QObject::tr("pcapng capture (Wireshark)");
    case ExportFormat::Json:
        return QObject::tr("events as JSON Lines");
    case ExportFormat::Text:
        return QObject::tr("log as text");
    case ExportFormat::Mermaid:
        return QObject::tr("Mermaid sequence diagram");
    case ExportFormat::PlantUml:
        return QObject::tr("PlantUML sequence diagram");
    case ExportFormat::Run:
        return QObject::tr("run file (.sockrun)");
    }
    return {};
}

} // namespace

ExportDialog::ExportDialog(RunModel &run, QWidget *parent)
    : QDialog(parent), m_run(run), m_format(new QComboBox(this)), m_view(new QComboBox(this)),
      m_theme(new QComboBox(this)), m_width(new QSpinBox(this)), m_scale(new QDoubleSpinBox(this)),
      m_size(new QLabel(this)), m_preview(new QStackedWidget(this)), m_image(new QLabel(this)),
      m_text(new QPlainTextEdit(this)), m_previewTimer(new QTimer(this))
{
    setWindowTitle(tr("Export %1").arg(run.scenarioName()));
    for (ExportFormat f : kFormats)
        m_format->addItem(formatLabel(f), static_cast<int>(f));
    m_view->addItem(tr("Figure: diagram, timelines, title and legend"), static_cast<int>(ExportView::Figure));
    m_view->addItem(tr("Sequence diagram"), static_cast<int>(ExportView::Sequence));
    m_view->addItem(tr("State timelines"), static_cast<int>(ExportView::Timeline));
    m_theme->addItem(tr("Light (print)"), static_cast<int>(Theme::Preset::Print));
    m_theme->addItem(tr("Dark"), static_cast<int>(Theme::Preset::ScreenDark));
    m_width->setRange(0, Exporter::kMaxPngSide);
    m_width->setSpecialValueText(tr("from scale"));
    m_width->setSuffix(tr(" px"));
    m_scale->setRange(0.1, 10);
    m_scale->setSingleStep(0.5);
    m_scale->setValue(1.0);
    m_scale->setSuffix(QStringLiteral(" ×"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Format:"), m_format);
    form->addRow(tr("&View:"), m_view);
    form->addRow(tr("&Theme:"), m_theme);
    form->addRow(tr("&Width:"), m_width);
    form->addRow(tr("&Scale:"), m_scale);
    form->addRow(tr("Size:"), m_size);

    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_image);
    scroll->setAlignment(Qt::AlignCenter);
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_preview->addWidget(scroll);
    m_preview->addWidget(m_text);
    m_preview->setMinimumSize(520, 360);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *exportButton = buttons->addButton(tr("&Export..."), QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(exportButton, &QPushButton::clicked, this, &ExportDialog::chooseFileAndExport);

    auto *side = new QVBoxLayout;
    side->addLayout(form);
    side->addStretch();
    auto *top = new QHBoxLayout;
    top->addLayout(side);
    top->addWidget(m_preview, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addWidget(buttons);
    resize(980, 600);

    // The preview follows every change, a little after the last one (a big run takes a moment to draw).
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(120);
    connect(m_previewTimer, &QTimer::timeout, this, &ExportDialog::updatePreview);
    auto changed = [this] {
        updateControls();
        m_previewTimer->start();
    };
    connect(m_format, &QComboBox::currentIndexChanged, this, changed);
    connect(m_view, &QComboBox::currentIndexChanged, this, changed);
    connect(m_theme, &QComboBox::currentIndexChanged, this, changed);
    connect(m_width, &QSpinBox::valueChanged, this, changed);
    connect(m_scale, &QDoubleSpinBox::valueChanged, this, changed);
    updateControls();
    updatePreview();
}

void ExportDialog::resizeEvent(QResizeEvent *event)
{
    QDialog::resizeEvent(event);
    if (core::isImageFormat(format()))
        m_previewTimer->start();
}

ExportFormat ExportDialog::format() const
{
    return static_cast<ExportFormat>(m_format->currentData().toInt());
}

void ExportDialog::setFormat(ExportFormat format)
{
    m_format->setCurrentIndex(m_format->findData(static_cast<int>(format)));
    updatePreview();
}

ImageOptions ExportDialog::imageOptions() const
{
    ImageOptions o;
    o.view = static_cast<ExportView>(m_view->currentData().toInt());
    o.theme = Theme::fromPreset(static_cast<Theme::Preset>(m_theme->currentData().toInt()));
    o.width = m_width->value();
    o.scale = m_scale->value();
    return o;
}

void ExportDialog::updateControls()
{
    const bool image = core::isImageFormat(format());
    const bool png = format() == ExportFormat::Png;
    m_view->setEnabled(image);
    m_theme->setEnabled(image);
    m_width->setEnabled(png);
    m_scale->setEnabled(png && m_width->value() == 0);
}

void ExportDialog::updatePreview()
{
    const ExportFormat f = format();
    if (!core::isImageFormat(f)) {
        m_preview->setCurrentIndex(1);
        std::string note;
        const core::RunData data = runDataOf(m_run);
        QString text;
        if (f == ExportFormat::Pcapng || f == ExportFormat::Run) {
            const std::string bytes = f == ExportFormat::Run ? std::string() : core::textExportBytes(f, data, &note);
            text = f == ExportFormat::Run ? tr("A run file: a header line and the %1 events as JSON Lines; it opens in "
                                               "sockscope on any machine (File > Open).")
                                                .arg(m_run.eventCount())
                                          : tr("A pcapng capture of %1 bytes; it opens in Wireshark and tshark.\n%2")
                                                .arg(bytes.size())
                                                .arg(QString::fromStdString(note));
        } else {
            text = QString::fromStdString(core::textExportBytes(f, data, &note));
        }
        m_text->setPlainText(text);
        m_size->setText(QString());
        return;
    }
    m_preview->setCurrentIndex(0);
    const Exporter exporter(m_run, imageOptions());
    const QSizeF n = exporter.naturalSize();
    m_size->setText(f == ExportFormat::Png
                        ? tr("%1 × %2 px").arg(exporter.pngSize().width()).arg(exporter.pngSize().height())
                        : tr("%1 × %2 (vector)").arg(qRound(n.width())).arg(qRound(n.height())));
    // The preview is the real drawing, scaled to the pane's width.
    ImageOptions o = imageOptions();
    o.width = std::max(200, m_preview->width() - 24);
    const QImage img = Exporter(m_run, o).image();
    m_image->setPixmap(QPixmap::fromImage(img));
    m_image->resize(img.size());
}

bool ExportDialog::exportTo(const QString &path, QString *error)
{
    const ExportFormat f = format();
    if (core::isImageFormat(f))
        return Exporter(m_run, imageOptions()).write(path, f, error);
    std::string why;
    if (!core::writeTextExport(path.toStdString(), f, runDataOf(m_run), &why)) {
        if (error)
            *error = QString::fromStdString(why);
        return false;
    }
    return true;
}

void ExportDialog::chooseFileAndExport()
{
    const ExportFormat f = format();
    const QString ext = QString::fromLatin1(core::formatExtension(f).data());
    const QString path = QFileDialog::getSaveFileName(this, tr("Export"), m_run.scenarioName() + ext,
                                                      tr("%1 (*%2);;All files (*)").arg(formatLabel(f), ext));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportTo(path, &error)) {
        QMessageBox::warning(this, tr("Export"), tr("Cannot write %1: %2").arg(path, error));
        return;
    }
    accept();
}

} // namespace sockscope::ui
