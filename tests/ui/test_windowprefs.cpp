// SPDX-License-Identifier: GPL-3.0-or-later
// The window's preferences, offscreen, with QSettings in a test location: the theme follows the desktop's
// palette (light/dark) unless one is chosen, every view repaints when it changes, the choice, the geometry and
// the docks are remembered across restarts, and the window cannot be made smaller than its views need.

#include "ui/mainwindow.h"
#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"
#include "ui/panels/eventtable.h"
#include "ui/panels/explanationpanel.h"
#include "ui/panels/queuechart.h"
#include "ui/sequence/sequenceview.h"
#include "ui/thememenu.h"
#include "ui/timeline/timelineview.h"
#include "uifixture.h"

#include <QApplication>
#include <QDockWidget>
#include <QSettings>
#include <QtTest>
#include <qcustomplot.h>

using namespace sockscope;

namespace {

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x30, 0x30, 0x30));
    p.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
    p.setColor(QPalette::Base, QColor(0x20, 0x20, 0x20));
    p.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
    p.setColor(QPalette::Button, QColor(0x30, 0x30, 0x30));
    p.setColor(QPalette::ButtonText, QColor(0xee, 0xee, 0xee));
    return p;
}

// QApplication announces a palette change only while its event loop runs (as on a desktop), not in a bare test.
void setPaletteAsTheDesktopWould(const QPalette &palette)
{
    QTimer::singleShot(0, [palette] {
        QApplication::setPalette(palette);
        QCoreApplication::quit();
    });
    QCoreApplication::exec();
}

// Lightness of the most frequent colour in a sample of the image's pixels (its background).
int dominantLightness(const QImage &image)
{
    QHash<QRgb, int> counts;
    for (int y = 0; y < image.height(); y += 4)
        for (int x = 0; x < image.width(); x += 4)
            ++counts[image.pixel(x, y)];
    QRgb best = 0;
    for (auto it = counts.begin(); it != counts.end(); ++it)
        if (it.value() > counts.value(best))
            best = it.key();
    return QColor(best).lightness();
}

QDockWidget *dock(const ui::MainWindow &w, const char *name)
{
    return w.findChild<QDockWidget *>(QLatin1String(name));
}

// The views of the window, each as grabbed now.
QList<QImage> grabViews(ui::MainWindow &w)
{
    w.ensureComplete(); // the docks' views are built after the first frame
    QCoreApplication::processEvents();
    w.timeline()->plot()->replot();
    QList<QImage> images;
    for (QWidget *view : {static_cast<QWidget *>(w.sequenceView()), static_cast<QWidget *>(w.timeline()),
                          static_cast<QWidget *>(w.findChild<ui::EventTable *>()),
                          static_cast<QWidget *>(w.findChild<ui::QueueChart *>()),
                          static_cast<QWidget *>(w.findChild<ui::ExplanationPanel *>())})
        images << view->grab().toImage();
    return images;
}

} // namespace

class TestWindowPrefs : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        uitest::useTestModeSettings();
        QCoreApplication::setApplicationName(QStringLiteral("test_windowprefs"));
        m_lightPalette = QApplication::palette();
    }

    void init() { QSettings().clear(); }
    void cleanup() { QApplication::setPalette(m_lightPalette); }

    void themeFollowsTheDesktopUntilChosen()
    {
        ui::MainWindow w;
        w.show();
        auto *menu = w.findChild<ui::ThemeMenu *>();
        QVERIFY(menu);
        QCOMPARE(menu->choice(), ui::ThemeMenu::Choice::System);
        QCOMPARE(w.viewState()->theme().preset, ui::Theme::system().preset);
        QCOMPARE(w.viewState()->theme().preset, ui::Theme::Preset::ScreenLight); // offscreen: a light palette

        QSignalSpy changed(w.viewState(), &ui::ViewState::themeChanged);
        setPaletteAsTheDesktopWould(darkPalette()); // the desktop switched to dark
        QCOMPARE(w.viewState()->theme().preset, ui::Theme::Preset::ScreenDark);
        setPaletteAsTheDesktopWould(m_lightPalette);
        QCOMPARE(w.viewState()->theme().preset, ui::Theme::Preset::ScreenLight);
        QVERIFY(changed.count() >= 2);

        // Chosen explicitly: a palette change no longer switches it.
        menu->setChoice(ui::ThemeMenu::Choice::HighContrast);
        setPaletteAsTheDesktopWould(darkPalette());
        QCOMPARE(w.viewState()->theme().preset, ui::Theme::Preset::HighContrast);
        menu->setChoice(ui::ThemeMenu::Choice::System);
        QCOMPARE(w.viewState()->theme().preset, ui::Theme::Preset::ScreenDark);
    }

    void everyViewRepaintsOnThemeChange()
    {
        ui::MainWindow w;
        w.resize(1400, 900);
        w.show();
        w.runModel()->reset(uitest::loadFixture("close-unread-data.jsonl"));
        w.viewState()->setCursor(w.runModel()->eventCount() - 2);
        auto *menu = w.findChild<ui::ThemeMenu *>();
        menu->setChoice(ui::ThemeMenu::Choice::Light);
        const QList<QImage> light = grabViews(w);
        menu->setChoice(ui::ThemeMenu::Choice::Dark);
        const QList<QImage> dark = grabViews(w);
        menu->setChoice(ui::ThemeMenu::Choice::HighContrast);
        const QList<QImage> contrast = grabViews(w);
        const char *names[] = {"sequence", "timeline", "table", "queues", "explanation"};
        for (int i = 0; i < light.size(); ++i) {
            QVERIFY2(light[i] != dark[i], names[i]);
            QVERIFY2(dark[i] != contrast[i], names[i]);
            // The background follows the theme: a dark theme makes the view mostly dark.
            QVERIFY2(dominantLightness(dark[i]) < 100, names[i]);
            QVERIFY2(dominantLightness(light[i]) > 160, names[i]);
        }
    }

    void geometryDocksAndThemeRememberedAcrossRestarts()
    {
        {
            ui::MainWindow w;
            w.show();
            w.resize(1111, 777);
            dock(w, "queues")->hide();
            w.findChild<ui::ThemeMenu *>()->setChoice(ui::ThemeMenu::Choice::Dark);
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            w.close();
        }
        ui::MainWindow w;
        w.show();
        QCOMPARE(w.size(), QSize(1111, 777));
        QVERIFY(!dock(w, "queues")->isVisible());
        QVERIFY(dock(w, "timelines")->isVisible());
        QCOMPARE(w.findChild<ui::ThemeMenu *>()->choice(), ui::ThemeMenu::Choice::Dark);
        QCOMPARE(w.viewState()->theme().preset, ui::Theme::Preset::ScreenDark);
    }

    // The docks' views and the teaching actions are built after the first frame, by themselves.
    void completesAfterTheFirstFrame()
    {
        ui::MainWindow w;
        QVERIFY(!w.isComplete());
        QVERIFY(dock(w, "queues")); // the docks' frames are there from the start
        QSignalSpy completed(&w, &ui::MainWindow::completed);
        w.show();
        QTRY_VERIFY(w.isComplete());
        QCOMPARE(completed.count(), 1);
        QCOMPARE(dock(w, "queues")->widget(), w.findChild<ui::QueueChart *>());
        QCOMPARE(dock(w, "timelines")->widget(), w.timeline());
        QVERIFY(dock(w, "editor"));
        w.ensureComplete(); // idempotent
        QCOMPARE(completed.count(), 1);
    }

    // The editor's dock is created after restoreState(): it still takes its saved place and visibility.
    void lateDockRememberedAcrossRestarts()
    {
        {
            ui::MainWindow w;
            w.show();
            w.ensureComplete();
            QVERIFY(!dock(w, "editor")->isVisible());
            dock(w, "editor")->show();
            w.close();
        }
        ui::MainWindow w;
        w.show();
        w.ensureComplete();
        QVERIFY(dock(w, "editor")->isVisible());
    }

    void minimumSizes()
    {
        ui::MainWindow w;
        w.show();
        w.resize(100, 100); // as small as the user could drag it
        QCoreApplication::processEvents();
        QVERIFY(w.width() >= 800 && w.height() >= 500);
        w.ensureComplete(); // the docks' views, not their placeholders
        for (const char *name : {"scenarios", "timelines", "events", "explanation", "queues"}) {
            QDockWidget *d = dock(w, name);
            QVERIFY2(d, name);
            QVERIFY2(d->widget()->minimumWidth() > 0 && d->widget()->minimumHeight() > 0, qPrintable(d->objectName()));
            if (d->isVisible() && !d->visibleRegion().isEmpty())
                QVERIFY2(d->widget()->width() >= d->widget()->minimumWidth(), qPrintable(d->objectName()));
        }
        QVERIFY(w.sequenceView()->width() >= w.sequenceView()->minimumWidth());
        QVERIFY(w.sequenceView()->height() >= w.sequenceView()->minimumHeight());
    }

private:
    QPalette m_lightPalette;
};

QTEST_MAIN(TestWindowPrefs)
#include "test_windowprefs.moc"
