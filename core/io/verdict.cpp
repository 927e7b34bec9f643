// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/io/verdict.h"

#include "core/io/textlog.h"

#include <cstdio>
#include <map>

namespace sockscope::core {

namespace {

// Events shown before and after a contradiction: enough to see the calls and segments that led to it.
constexpr size_t kContextBefore = 20;
constexpr size_t kContextAfter = 4;

std::string relTime(std::int64_t tNs)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "+%.6f", static_cast<double>(tNs) / 1e9);
    return buf;
}

} // namespace

RunVerdict judgeRun(const std::vector<Event> &events)
{
    RunVerdict v;
    std::map<int, const StepInfo *> steps;
    for (size_t i = 0; i < events.size(); ++i) {
        const Event &e = events[i];
        if (const auto *s = e.as<StepInfo>()) {
            steps[s->step] = s;
        } else if (const auto *c = e.as<CheckInfo>()) {
            ++v.checks;
            if (c->ok)
                continue;
            ++v.failedChecks;
            std::string where = "step " + std::to_string(c->step + 1);
            if (auto it = steps.find(c->step); it != steps.end())
                where += " (line " + std::to_string(it->second->line) + ") " + it->second->text;
            v.failures.push_back(where + ": expected " + c->expected + ", got " + c->got);
        } else if (const auto *st = e.as<StateInfo>(); st && st->conflict) {
            v.contradictions.push_back(i);
        } else if (const auto *end = e.as<EndInfo>()) {
            v.ended = true;
            v.endOk = end->ok;
            v.error = end->error;
            v.packets = end->packets;
        }
    }
    if (!v.ended && v.error.empty())
        v.error = "the run has no end event";
    return v;
}

std::string describeContradiction(const std::vector<Event> &events, size_t index)
{
    const Event &at = events.at(index);
    const auto &st = *at.as<StateInfo>();
    std::string out = "CONTRADICTION at " + relTime(at.tNs) + ": " + st.sock + ": the kernel says " +
                      std::string(stateName(st.to)) + ", the model says " + std::string(stateName(st.derived)) + "\n";
    // The log lines the events around it produce, in the log's own words (a call's line comes with its return).
    LogContext ctx;
    const size_t first = index > kContextBefore ? index - kContextBefore : 0;
    const size_t last = std::min(events.size(), index + kContextAfter + 1);
    out += "events around it:\n";
    for (size_t i = 0; i < last; ++i) {
        std::string lines = formatLogLine(events[i], ctx);
        if (i < first || lines.empty())
            continue;
        size_t pos = 0;
        while (pos <= lines.size()) {
            size_t nl = lines.find('\n', pos);
            std::string line = lines.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
            const bool mark = i == index || line.find("(CONTRADICTION)") != std::string::npos;
            out += (mark ? ">> " : "   ") + line + "\n";
            if (nl == std::string::npos)
                break;
            pos = nl + 1;
        }
    }
    return out;
}

} // namespace sockscope::core
