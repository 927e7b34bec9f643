// SPDX-License-Identifier: GPL-3.0-or-later
// Exports, offscreen: images drawn from real runs (recorded fixtures) read back as a reader would (PNG size and
// pixels, SVG arrows and labels, PDF header and pages); run files saved from the window and opened again event
// for event, a broken one refused with file:line:column while the current run stays; the export dialog writes
// every format; Copy figure puts a PNG on the clipboard.

#include "core/io/runfile.h"
#include "core/stream/eventjson.h"
#include "tests/ui/uilab.h"
#include "ui/export/exportactions.h"
#include "ui/export/exportdialog.h"
#include "ui/export/exporter.h"
#include "ui/export/pngencoder.h"
#include "ui/mainwindow.h"
#include "ui/model/labworker.h"
#include "ui/model/runmodel.h"
#include "ui/sequence/sequencepainter.h"
#include "uifixture.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QMimeData>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

using namespace sockscope;

namespace {

int countKind(const std::vector<core::Event> &events, core::EventKind kind)
{
    return static_cast<int>(
        std::count_if(events.begin(), events.end(), [kind](const core::Event &e) { return e.kind() == kind; }));
}

// Arrows (a shaft pen with SequencePainter::kArrowMiterLimit) and call labels ("name(") in an SVG.
std::pair<int, int> svgCounts(const QByteArray &svg)
{
    QXmlStreamReader xml(svg);
    int arrows = 0, labels = 0, depthInArrow = 0;
    std::vector<bool> arrowGroup;
    const QString limit = QString::number(ui::SequencePainter::kArrowMiterLimit);
    static const QRegularExpression call(QStringLiteral("^[a-z_0-9]+\\("));
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.name() == QLatin1String("g")) {
                arrowGroup.push_back(xml.attributes().value(QLatin1String("stroke-miterlimit")) == limit);
                depthInArrow += arrowGroup.back();
            } else if (depthInArrow > 0 &&
                       (xml.name() == QLatin1String("polyline") || xml.name() == QLatin1String("path"))) {
                ++arrows;
            } else if (xml.name() == QLatin1String("text")) {
                if (call.match(xml.readElementText(QXmlStreamReader::IncludeChildElements)).hasMatch())
                    ++labels;
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("g")) {
            depthInArrow -= arrowGroup.back();
            arrowGroup.pop_back();
        }
    }
    Q_ASSERT(!xml.hasError());
    return {arrows, labels};
}

} // namespace

class TestExport : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { uitest::useTestModeSettings(); }

    void images_data()
    {
        QTest::addColumn<QString>("fixture");
        for (const char *f : {"close-unread-data.jsonl", "backlog-full.jsonl", "passive-close.jsonl",
                              "connect-refused.jsonl", "active-close-time-wait.jsonl"})
            QTest::newRow(f) << QString::fromLatin1(f);
    }

    void images()
    {
        QFETCH(QString, fixture);
        const auto events = uitest::loadFixture(fixture.toStdString());
        ui::RunModel run;
        run.reset(events);
        for (ui::ExportView view : {ui::ExportView::Sequence, ui::ExportView::Timeline, ui::ExportView::Figure}) {
            ui::ImageOptions o;
            o.view = view;
            o.width = 1000;
            const ui::Exporter exporter(run, o);
            const QImage png = exporter.image();
            QCOMPARE(png.width(), 1000);
            QVERIFY(png.height() > 100);
            // Not blank: many pixels differ from the background.
            const QRgb bg = png.pixel(0, png.height() - 1);
            int ink = 0, samples = 0;
            for (int y = 0; y < png.height(); y += 3)
                for (int x = 0; x < png.width(); x += 3, ++samples)
                    ink += png.pixel(x, y) != bg;
            QVERIFY2(ink * 100 > samples, qPrintable(QStringLiteral("%1 of %2 samples inked").arg(ink).arg(samples)));
            // The file Exporter writes decodes to the same pixels.
            QTemporaryDir dir;
            const QString path = dir.filePath(QStringLiteral("x.png"));
            QString error;
            QVERIFY2(exporter.write(path, core::ExportFormat::Png, &error), qPrintable(error));
            QImage back(path);
            QCOMPARE(back.size(), png.size());
            QCOMPARE(back.convertToFormat(QImage::Format_RGB32), png);
        }
        ui::ImageOptions seq;
        seq.view = ui::ExportView::Sequence;
        const auto [arrows, labels] = svgCounts(ui::Exporter(run, seq).svg());
        QCOMPARE(arrows, countKind(events, core::EventKind::Packet));
        QCOMPARE(labels, countKind(events, core::EventKind::Syscall));
        int pages = 0;
        const QByteArray pdf = ui::Exporter(run, ui::ImageOptions{}).pdf(&pages);
        QVERIFY(pdf.startsWith("%PDF-"));
        QCOMPARE(static_cast<int>(
                     QString::fromLatin1(pdf).count(QRegularExpression(QStringLiteral("/Type\\s*/Page\\b(?!s)")))),
                 pages);
        // The figure is taller than a landscape page from about 30 rows on: it is split, never shrunk to fit.
        QVERIFY(pages >= 1);
        if (events.size() > 100)
            QVERIFY2(pages > 1, qPrintable(QString::number(pages)));
    }

    void darkThemeAndScale()
    {
        ui::RunModel run;
        run.reset(uitest::loadFixture("close-unread-data.jsonl"));
        ui::ImageOptions o;
        o.theme = ui::Theme::screenDark();
        o.scale = 2;
        const ui::Exporter exporter(run, o);
        const QImage img = exporter.image();
        QCOMPARE(img.size(), (exporter.naturalSize() * 2).toSize());
        QCOMPARE(QColor(img.pixel(1, 1)), ui::Theme::screenDark().background);
    }

    void runFilesInTheWindow()
    {
        QTemporaryDir dir;
        ui::MainWindow window;
        const auto events = uitest::loadFixture("close-unread-data.jsonl");
        window.runModel()->reset(events);
        const QString path = dir.filePath(QStringLiteral("saved.sockrun"));
        QString error;
        QVERIFY2(ui::saveRunFile(window, path, &error), qPrintable(error));
        QVERIFY(window.windowTitle().contains(QStringLiteral("saved.sockrun")));

        // A fresh window (as after a restart) opens it: the same events, line for line.
        ui::MainWindow other;
        QVERIFY2(ui::openRunFile(other, path, &error, true), qPrintable(error));
        QCOMPARE(other.runModel()->eventCount(), static_cast<int>(events.size()));
        for (size_t i = 0; i < events.size(); ++i)
            QCOMPARE(core::toJsonLine(other.runModel()->event(static_cast<int>(i))), core::toJsonLine(events[i]));
        QVERIFY(other.windowTitle().contains(QStringLiteral("saved.sockrun")));
        // ...and draws exactly what the first window drew.
        QCOMPARE(ui::Exporter(*other.runModel(), ui::ImageOptions{}).image(),
                 ui::Exporter(*window.runModel(), ui::ImageOptions{}).image());

        // A broken file: refused with file:line:column, the run on show stays.
        QFile::copy(path, dir.filePath(QStringLiteral("broken.sockrun")));
        QFile broken(dir.filePath(QStringLiteral("broken.sockrun")));
        QVERIFY(broken.open(QIODevice::Append));
        broken.write("{\"n\": 999, \"kind\": \"nonsense\"}\n");
        broken.close();
        QVERIFY(!ui::openRunFile(other, broken.fileName(), &error, true));
        QVERIFY2(error.contains(QRegularExpression(QStringLiteral("broken\\.sockrun:\\d+:\\d+: error: "))),
                 qPrintable(error));
        QCOMPARE(other.runModel()->eventCount(), static_cast<int>(events.size()));
    }

    void liveRunSavedAndReopened()
    {
        QTemporaryDir dir;
        ui::MainWindow window;
        window.labWorker()->setOptions(uitest::realLab());
        auto *save = window.findChild<QAction *>(QStringLiteral("saveRunAction"));
        QVERIFY(save && !save->isEnabled()); // nothing to save yet
        QSignalSpy finished(window.labWorker(), &ui::LabWorker::runFinished);
        QSignalSpy failed(window.labWorker(), &ui::LabWorker::runFailed);
        QVERIFY(window.selectAndRun(QStringLiteral("close-unread-data")));
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() > 0, 60000);
        QVERIFY(failed.isEmpty());
        QVERIFY(save->isEnabled());
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("close-unread-data")));
        const QString path = dir.filePath(QStringLiteral("live.sockrun"));
        QString error;
        QVERIFY2(ui::saveRunFile(window, path, &error), qPrintable(error));
        ui::MainWindow other;
        QVERIFY2(ui::openRunFile(other, path, &error, true), qPrintable(error));
        const ui::RunModel &a = *window.runModel(), &b = *other.runModel();
        QCOMPARE(b.eventCount(), a.eventCount());
        for (int i = 0; i < a.eventCount(); ++i)
            QCOMPARE(core::toJsonLine(b.event(i)), core::toJsonLine(a.event(i)));
        // The scenario travelled in the file: title, summary and notes as after the live run.
        QVERIFY(b.scenario());
        QCOMPARE(b.title(), a.title());
        QCOMPARE(b.summary(), a.summary());
        QCOMPARE(b.notes(), a.notes());
        QCOMPARE(ui::Exporter(*other.runModel(), ui::ImageOptions{}).image(),
                 ui::Exporter(*window.runModel(), ui::ImageOptions{}).image());
    }

    void dialogWritesEveryFormat()
    {
        QTemporaryDir dir;
        ui::RunModel run;
        run.reset(uitest::loadFixture("close-unread-data.jsonl"));
        ui::ExportDialog dialog(run);
        QVERIFY(!dialog.previewImage()->pixmap().isNull());
        for (int f = 0; f <= static_cast<int>(core::ExportFormat::Run); ++f) {
            const auto format = static_cast<core::ExportFormat>(f);
            dialog.setFormat(format);
            const QString path =
                dir.filePath(QStringLiteral("out") + QString::fromLatin1(core::formatExtension(format).data()));
            QString error;
            QVERIFY2(dialog.exportTo(path, &error), qPrintable(error));
            QVERIFY(QFileInfo(path).size() > 100);
        }
        core::LoadError error;
        auto back = core::loadRun(dir.filePath(QStringLiteral("out.sockrun")).toStdString(), &error);
        QVERIFY2(back, error.format().c_str());
        QCOMPARE(back->events.size(), run.events().size());
    }

    void copyFigure()
    {
        ui::MainWindow window;
        window.runModel()->reset(uitest::loadFixture("close-unread-data.jsonl"));
        auto *copy = window.findChild<QAction *>(QStringLiteral("copyFigureAction"));
        QVERIFY(copy);
        QVERIFY(copy->isEnabled());
        QCOMPARE(copy->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
        copy->trigger();
        const QMimeData *mime = QGuiApplication::clipboard()->mimeData();
        QVERIFY(mime && mime->hasFormat(QStringLiteral("image/png")));
        QVERIFY(mime->data(QStringLiteral("image/png")).startsWith("\x89PNG"));
        // One PNG path: the clipboard's bytes are exactly what a PNG export of the same figure writes.
        QCOMPARE(mime->data(QStringLiteral("image/png")), ui::encodePng(ui::Exporter(*window.runModel(), {}).image()));
    }
};

QTEST_MAIN(TestExport)
#include "test_export.moc"
