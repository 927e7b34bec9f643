// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/model/prediction.h"
#include "core/stream/callkinds.h"

#include "ui/model/stepnarrative.h"

#include <QCoreApplication>

#include <algorithm>

namespace sockscope::ui {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Prediction", text);
}

enum class Question
{
    None,
    Result,  // what the call returns
    Segment, // which segment the call makes its socket send
};

Question questionFor(const std::string &call)
{
    if (core::readsData(call) || core::writesData(call) || call == "connect" || call == "accept")
        return Question::Result;
    if (call == "close" || call == "shutdown")
        return Question::Segment;
    return Question::None;
}

const QString kBlocks = QStringLiteral("blocks");

// The classes a call of this name can return, in the order they are offered.
QStringList genericResults(const std::string &call)
{
    if (core::readsData(call))
        return {tr("data (n > 0)"), tr("0 (end of stream)"), QStringLiteral("-1 ECONNRESET"), kBlocks};
    if (core::writesData(call))
        return {tr("bytes queued (n > 0)"), QStringLiteral("-1 ECONNRESET"), QStringLiteral("-1 EPIPE + SIGPIPE"),
                QStringLiteral("-1 EPIPE")};
    if (call == "connect")
        return {tr("0 (connected)"), QStringLiteral("-1 ECONNREFUSED"), QStringLiteral("-1 EINPROGRESS"), kBlocks};
    if (call == "accept")
        return {tr("a new fd"), kBlocks, QStringLiteral("-1 EAGAIN")};
    return {};
}

QString resultClass(const std::string &call, std::int64_t ret, const std::string &err, bool sigpipe)
{
    if (!err.empty())
        return QStringLiteral("-1 ") + QString::fromStdString(err) +
               (sigpipe ? QStringLiteral(" + SIGPIPE") : QString());
    if (core::readsData(call))
        return ret > 0 ? tr("data (n > 0)") : tr("0 (end of stream)");
    if (core::writesData(call))
        return ret > 0 ? tr("bytes queued (n > 0)") : QStringLiteral("0");
    if (call == "connect" && ret == 0)
        return tr("0 (connected)");
    if (call == "accept" && ret >= 0)
        return tr("a new fd");
    return QString::number(ret);
}

QString expectedClass(const std::string &call, const core::Expectation &x)
{
    using K = core::Expectation::Kind;
    switch (x.kind) {
    case K::Blocked:
        return kBlocks;
    case K::AnyFd:
        return call == "accept" ? tr("a new fd") : QStringLiteral("fd");
    case K::Error:
        return resultClass(call, -1, x.err, x.sigpipe);
    case K::Value:
        break;
    }
    return resultClass(call, x.value, {}, false);
}

} // namespace

QString callWithoutResult(const std::string &stepText)
{
    QString text = QString::fromStdString(stepText).simplified();
    const qsizetype paren = text.lastIndexOf(QLatin1Char(')'));
    if (paren >= 0)
        text.truncate(paren + 1);
    return text;
}

std::optional<Prediction> predictionAt(std::span<const core::Event> events, const core::Scenario *scenario, int index)
{
    if (index < 0 || index >= static_cast<int>(events.size()))
        return std::nullopt;
    const auto *c = events[static_cast<size_t>(index)].as<core::SyscallInfo>();
    const Question kind = c ? questionFor(c->call) : Question::None;
    if (kind == Question::None)
        return std::nullopt;
    Prediction p;
    p.call = index;
    p.answer = stepRange(events, index).second;
    const QString name = QString::fromStdString(c->call) + QStringLiteral("()");
    QString truth;
    QStringList offered;
    if (kind == Question::Segment) {
        p.question = tr("After %1, the next segment %2 sends is:").arg(name, QString::fromStdString(c->sock));
        offered = {QStringLiteral("FIN"), QStringLiteral("RST"), tr("nothing")};
        truth = tr("nothing");
        for (int i = index + 1; i <= p.answer; ++i)
            if (const auto *pk = events[static_cast<size_t>(i)].as<core::PacketInfo>(); pk && pk->from == c->sock) {
                truth = core::hasFlag(pk->flags, core::SegmentFlag::Rst)   ? QStringLiteral("RST")
                        : core::hasFlag(pk->flags, core::SegmentFlag::Fin) ? QStringLiteral("FIN")
                        : pk->len > 0                                      ? tr("data")
                                                                           : tr("a pure ACK");
                break;
            }
    } else {
        p.question = tr("%1 returns:").arg(name);
        offered = genericResults(c->call);
        truth = kBlocks; // unless it returns within its step
        bool sigpipe = false;
        for (int i = index + 1; i < static_cast<int>(events.size()); ++i)
            if (const auto *s = events[static_cast<size_t>(i)].as<core::SignalInfo>();
                s && s->during == c->id && s->signal == "SIGPIPE")
                sigpipe = true;
        for (int i = index + 1; i <= p.answer; ++i)
            if (const auto *r = events[static_cast<size_t>(i)].as<core::ReturnInfo>(); r && r->id == c->id)
                truth = resultClass(c->call, r->ret, r->err, sigpipe);
        // What the scenario expects of calls of this name goes first: the classes this lesson is about.
        if (scenario) {
            QStringList expected;
            for (const core::Step &s : scenario->steps)
                if (s.expect && core::callName(s.call) == c->call)
                    expected << expectedClass(c->call, *s.expect);
            expected.removeDuplicates();
            for (auto it = expected.crbegin(); it != expected.crend(); ++it)
                if (!offered.contains(*it))
                    offered.insert(0, *it);
        }
    }
    // Four at most, the truth always among them; the order does not depend on which one is true.
    QStringList choices;
    for (const QString &o : std::as_const(offered))
        if (choices.size() < 4 && (o == truth || choices.size() < 3 || choices.contains(truth)))
            choices << o;
    if (!choices.contains(truth))
        choices << truth;
    auto rank = [&](const QString &c) { return offered.contains(c) ? offered.indexOf(c) : offered.size(); };
    std::stable_sort(choices.begin(), choices.end(),
                     [&](const QString &a, const QString &b) { return rank(a) < rank(b); });
    p.choices = choices;
    p.truth = static_cast<int>(choices.indexOf(truth));
    return p;
}

} // namespace sockscope::ui
