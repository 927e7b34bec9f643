// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// File > Export...: format, view, size and theme, with a live preview of exactly what will be written
// (the image, or the start of the text). Images are always the whole run.
// Thread-safety: GUI thread only.

#include "core/io/exportformat.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QSpinBox;
class QStackedWidget;
class QTimer;

namespace sockscope::ui {

class RunModel;
struct ImageOptions;

class ExportDialog : public QDialog
{
    Q_OBJECT
public:
    ExportDialog(RunModel &run, QWidget *parent = nullptr);

    core::ExportFormat format() const;
    void setFormat(core::ExportFormat format);
    // Writes the chosen format to path (atomically); false with *error.
    bool exportTo(const QString &path, QString *error);
    QComboBox *viewBox() const { return m_view; }
    QLabel *previewImage() const { return m_image; }

protected:
    void resizeEvent(QResizeEvent *event) override; // the preview follows the pane's width

private:
    ImageOptions imageOptions() const;
    void updateControls();
    void updatePreview();
    void chooseFileAndExport();

    RunModel &m_run;
    QComboBox *m_format;
    QComboBox *m_view;
    QComboBox *m_theme;
    QSpinBox *m_width;
    QDoubleSpinBox *m_scale;
    QLabel *m_size;
    QStackedWidget *m_preview;
    QLabel *m_image;
    QPlainTextEdit *m_text;
    QTimer *m_previewTimer;
};

} // namespace sockscope::ui
