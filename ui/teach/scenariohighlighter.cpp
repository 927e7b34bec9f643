// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/teach/scenariohighlighter.h"

namespace sockscope::ui {

namespace {
QTextCharFormat charFormat(const QColor &colour, bool bold = false, bool italic = false)
{
    QTextCharFormat f;
    f.setForeground(colour);
    f.setFontWeight(bold ? QFont::Bold : QFont::Normal);
    f.setFontItalic(italic);
    return f;
}
} // namespace

ScenarioHighlighter::ScenarioHighlighter(QTextDocument *document, const Theme &theme)
    : QSyntaxHighlighter(document), m_theme(theme)
{
}

void ScenarioHighlighter::setTheme(const Theme &theme)
{
    m_theme = theme;
    rehighlight();
}

void ScenarioHighlighter::highlightBlock(const QString &text)
{
    static const QRegularExpression note(QStringLiteral("^\\s*>.*$"));
    static const QRegularExpression comment(QStringLiteral("(^|\\s)#.*$"));
    static const QRegularExpression meta(QStringLiteral("^([a-z]+):"));
    static const QRegularExpression step(QStringLiteral("^(\\w+)\\s+(?:(\\w+)\\s*=\\s*)?(\\w+)\\("));
    static const QRegularExpression expect(QStringLiteral("\\)\\s*(=[^#&]*)"));
    static const QRegularExpression string(QStringLiteral("\"(?:[^\"\\\\]|\\\\.)*\""));
    static const QRegularExpression amp(QStringLiteral("&\\s*$"));

    if (note.match(text).hasMatch()) {
        setFormat(0, static_cast<int>(text.size()), charFormat(m_theme.segmentData, false, true));
        return;
    }
    if (auto m = meta.match(text); m.hasMatch()) {
        setFormat(0, static_cast<int>(m.capturedLength(1)), charFormat(m_theme.segmentFin, true));
    } else if (auto m = step.match(text); m.hasMatch()) {
        setFormat(static_cast<int>(m.capturedStart(1)), static_cast<int>(m.capturedLength(1)),
                  charFormat(m_theme.segmentSyn, true));
        if (m.capturedLength(2) > 0)
            setFormat(static_cast<int>(m.capturedStart(2)), static_cast<int>(m.capturedLength(2)),
                      charFormat(m_theme.text, true));
        setFormat(static_cast<int>(m.capturedStart(3)), static_cast<int>(m.capturedLength(3)),
                  charFormat(m_theme.syscallOk, true));
        if (auto e = expect.match(text, m.capturedEnd(3)); e.hasMatch()) {
            const bool error = e.captured(1).contains(QLatin1String("-1"));
            setFormat(static_cast<int>(e.capturedStart(1)), static_cast<int>(e.capturedLength(1)),
                      charFormat(error ? m_theme.syscallError : m_theme.checkOk, true));
        }
        if (auto a = amp.match(text); a.hasMatch())
            setFormat(static_cast<int>(a.capturedStart()), 1, charFormat(m_theme.signalMarker, true));
    }
    for (auto it = string.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        setFormat(static_cast<int>(m.capturedStart()), static_cast<int>(m.capturedLength()),
                  charFormat(m_theme.segmentFin));
    }
    // A '#' inside a string is not a comment.
    for (auto it = comment.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        if (text.left(m.capturedStart()).count(QLatin1Char('"')) % 2 == 0) {
            setFormat(static_cast<int>(m.capturedStart()), static_cast<int>(text.size() - m.capturedStart()),
                      charFormat(m_theme.mutedText, false, true));
            break;
        }
    }
}

} // namespace sockscope::ui
