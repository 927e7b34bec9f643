// SPDX-License-Identifier: GPL-3.0-or-later
// A kernel snapshot that contradicts the derived states is unmissable in the window: a red banner over the
// diagram (clicking it goes to the spot), a red band across the contradicted row; a clean run has neither.
// Fixture: tests/fixtures/contradiction.sockrun (a real passive-close run, one kernel state hand-edited).

#include "core/io/runfile.h"
#include "ui/model/runmodel.h"
#include "ui/model/viewstate.h"
#include "ui/sequence/sequenceview.h"
#include "ui/style/theme.h"

#include <QScrollBar>
#include <QtTest>

using namespace sockscope;

namespace {

std::vector<core::Event> loadEvents(bool withConflict)
{
    core::LoadError error;
    auto run = core::loadRun(std::string(SOCKSCOPE_FIXTURES) + "/contradiction.sockrun", &error);
    if (!run)
        qFatal("%s", error.format().c_str());
    if (!withConflict)
        for (auto &e : run->events)
            if (auto *s = e.as<core::StateInfo>())
                s->conflict = false;
    return run->events;
}

// Pixels of the theme's failure colour in a strip of the image.
int redPixels(const QImage &img, const QColor &red, int y0, int y1, int x0 = 0, int x1 = -1)
{
    int n = 0;
    x1 = x1 < 0 ? img.width() : x1;
    for (int y = std::max(0, y0); y < std::min(img.height(), y1); ++y)
        for (int x = x0; x < x1; ++x)
            n += img.pixelColor(x, y).rgb() == red.rgb();
    return n;
}

// The run in a shown 1200x600 sequence view.
struct ShownRun
{
    ui::RunModel run;
    ui::ViewState view;
    ui::SequenceView seq{&run, &view};

    // Loads events; true once the layout reached the last one.
    bool load(std::vector<core::Event> events)
    {
        seq.resize(1200, 600);
        seq.show();
        run.reset(std::move(events));
        return QTest::qWaitFor([&] { return seq.layout().lastEvent() == run.eventCount() - 1; });
    }
    // The diagram's viewport as painted; also saved as name under SOCKSCOPE_RENDER_DIR when that is set.
    QImage shot(const char *name = nullptr)
    {
        const QImage img = seq.viewport()->grab().toImage().convertToFormat(QImage::Format_RGB32);
        if (const QByteArray dir = qgetenv("SOCKSCOPE_RENDER_DIR"); name && !dir.isEmpty())
            img.save(QString::fromLocal8Bit(dir) + QLatin1Char('/') + QLatin1String(name));
        return img;
    }
};

} // namespace

class TestContradiction : public QObject
{
    Q_OBJECT
private slots:
    void bannerAndBand()
    {
        ShownRun shown;
        QVERIFY(shown.load(loadEvents(true)));
        auto &[run, view, seq] = shown;
        QCOMPARE(run.contradictions().size(), size_t(1));
        const int spot = run.contradictions().front();
        QVERIFY(run.event(spot).as<core::StateInfo>()->conflict);

        const QColor red = view.theme().checkFailed;
        const int header = static_cast<int>(seq.headerHeight());
        QImage img = shown.shot("contradiction.png");
        // The banner: most of a strip just below the header is solid red.
        QVERIFY2(redPixels(img, red, header + 2, header + 8) > img.width() * 6 / 2, "no red banner below the header");

        // A click on the banner goes to the contradiction and scrolls it into view.
        view.setCursor(-1);
        QTest::mouseClick(seq.viewport(), Qt::LeftButton, {}, QPoint(300, header + 5));
        QCOMPARE(view.cursor(), spot);
        // The spot's row: red edge markers at both ends of the diagram's width.
        img = shown.shot("contradiction-spot.png");
        const int rowY = static_cast<int>(seq.layout().item(spot).y) - seq.verticalScrollBar()->value() + header;
        QVERIFY2(redPixels(img, red, rowY - 3, rowY + 3, 0, 6) >= 6 * 4, "no red marker at the contradicted row");
    }

    void cleanRunHasNoBanner()
    {
        ShownRun shown;
        QVERIFY(shown.load(loadEvents(false)));
        QVERIFY(shown.run.contradictions().empty());
        const int header = static_cast<int>(shown.seq.headerHeight());
        QCOMPARE(redPixels(shown.shot(), shown.view.theme().checkFailed, header + 2, header + 8), 0);
    }
};

QTEST_MAIN(TestContradiction)
#include "test_contradiction.moc"
