// SPDX-License-Identifier: GPL-3.0-or-later
// Untrusted input is data: forged run files and event lines are refused with file:line:column and a message
// written by hand here, never a crash, an abort or an allocation sized by a number in the file; -o replaces
// nothing but a regular file.
#include "core/io/atomicfile.h"
#include "core/io/runfile.h"
#include "core/io/textdiagram.h"
#include "core/io/textlog.h"
#include "core/lab/parent/labclient.h"
#include "core/stream/eventjson.h"
#include "core/stream/eventreader.h"
#include "core/stream/jsonline.h"

#include "testsupport.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

using namespace sockscope::core;

namespace {

const std::string kHeader = R"({"sockscope_run":1,"saved":"s","scenario_name":"x","scenario_path":"x.scn",)"
                            R"("scenario_source":""})";
const std::string kRun = R"({"n":0,"t_ns":0,"kind":"run","version":1,"scenario":"x","title":"","kernel":"k",)"
                         R"("isolation":"netns","capture":true})";
const std::string kEnd = R"({"n":900000,"t_ns":9,"kind":"end","ok":true,"duration_ns":9,"packets":0,"drops":0})";

using TempDir = sockscope::test::TempDir;

std::string loadError(const std::string &path, const std::string &text)
{
    std::ofstream(path, std::ios::binary) << text;
    LoadError error;
    auto run = loadRun(path, &error);
    EXPECT_FALSE(run.has_value()) << "loaded: " << text.substr(0, 200);
    return error.format();
}

// Line 3 of an otherwise valid run file (header, run event, BAD, end event).
std::string withBadLine(const std::string &bad)
{
    return kHeader + "\n" + kRun + "\n" + bad + "\n" + kEnd + "\n";
}

struct BadLine
{
    const char *what;
    std::string line;
    std::string expected; // after "file:"
};

} // namespace

TEST(HostileRunFile, EveryLimitNamesLineAndColumn)
{
    const std::string deep = R"({"n":1,"t_ns":1,"kind":"step","x":)" + std::string(50000, '[');
    const std::string longTitle = R"({"n":1,"t_ns":1,"kind":"run","version":1,"scenario":"x","title":")" +
                                  std::string(70000, 't') + R"(","kernel":"k","isolation":"netns","capture":true})";
    const std::vector<BadLine> cases = {
        {"number overflow", R"({"n":1,"t_ns":1e999,"kind":"step"})",
         "3:15: error: invalid JSON: number overflow parsing '1e999'"},
        {"nesting", deep, "3:50: error: JSON nested deeper than 16 levels"},
        {"time as a string", R"({"n":1,"t_ns":"1","kind":"step"})", "3:8: error: field \"t_ns\" must be an integer"},
        {"time as a float", R"({"n":1,"t_ns":1.5,"kind":"step"})", "3:8: error: field \"t_ns\" must be an integer"},
        {"negative time", R"({"n":1,"t_ns":-5,"kind":"step"})",
         "3:8: error: field \"t_ns\" is out of range: -5 (allowed 0 to 604800000000000)"},
        {"huge time", R"({"n":1,"t_ns":99999999999999999999,"kind":"step"})",
         "3:8: error: field \"t_ns\" must be an integer"},
        {"n above int64", R"({"n":18446744073709551615,"t_ns":1,"kind":"step"})",
         "3:2: error: field \"n\" is out of range: 18446744073709551615 (allowed 0 to 4096000000)"},
        {"huge step index", R"({"n":1,"t_ns":1,"kind":"step","step":4000000000,"actor":"a","text":"t","line":1})",
         "3:31: error: step event: field \"step\" is out of range: 4000000000 (allowed 0 to 9999)"},
        {"negative fd",
         R"({"n":1,"t_ns":1,"kind":"socket","sock":"a.1","actor":"a","role":"r","fd":-7,)"
         R"("local":null,"remote":null})",
         "3:69: error: socket event: field \"fd\" is out of range: -7 (allowed -1 to 1073741824)"},
        {"invalid UTF-8", "{\"n\":1,\"t_ns\":1,\"kind\":\"step\",\"step\":0,\"actor\":\"\xff\"}",
         "3:49: error: invalid JSON: syntax error while parsing value - invalid string: ill-formed UTF-8 byte; "
         "last read: '\"\\xff'"},
        {"socket name with a space", R"({"n":1,"t_ns":1,"kind":"queue","sock":"a b","recv_q":0,"send_q":0})",
         "3:32: error: queue event: field \"sock\" is not a socket or actor name"},
        {"field too long", longTitle,
         "3:57: error: run event: field \"title\" is too long (70000 bytes, at most 65536)"},
        {"nested argument",
         R"({"n":1,"t_ns":1,"kind":"syscall","id":1,"step":0,"actor":"a","call":"c","fd":3,)"
         R"("sock":null,"args":{"x":{"y":1}}})",
         "3:92: error: syscall event: argument \"x\" must be an integer or a string"},
        {"check step out of range",
         R"({"n":1,"t_ns":1,"kind":"check","step":10000,"expected":"a","got":"b","ok":false})",
         "3:32: error: check event: field \"step\" is out of range: 10000 (allowed 0 to 9999)"},
        {"time goes back",
         R"({"n":1,"t_ns":0,"kind":"queue","sock":"a.1","recv_q":0,"send_q":0})"
         "\n"
         R"({"n":2,"t_ns":-0,"kind":"queue","sock":"a.1","recv_q":0,"send_q":0})"
         "\n"
         R"({"n":3,"t_ns":5,"kind":"queue","sock":"a.1","recv_q":0,"send_q":0})"
         "\n"
         R"({"n":4,"t_ns":4,"kind":"queue","sock":"a.1","recv_q":0,"send_q":0})",
         "6:1: error: time goes backwards: t_ns=4 after t_ns=5"},
        {"colliding socket names",
         R"({"n":1,"t_ns":1,"kind":"socket","sock":"s.1","actor":"a","role":"r","fd":3,"local":null,"remote":null})"
         "\n"
         R"({"n":2,"t_ns":1,"kind":"socket","sock":"s.1","actor":"b","role":"r","fd":4,"local":null,"remote":null})",
         "4:1: error: socket \"s.1\" belongs to actor \"a\" and cannot be declared by \"b\""},
        {"syscall id twice",
         R"({"n":1,"t_ns":1,"kind":"syscall","id":7,"step":0,"actor":"a","call":"c","fd":3,"sock":null,"args":{}})"
         "\n"
         R"({"n":2,"t_ns":1,"kind":"syscall","id":7,"step":0,"actor":"a","call":"c","fd":3,"sock":null,"args":{}})",
         "4:1: error: syscall id 7 used twice"},
    };
    TempDir dir;
    const std::string f = dir.file("forged.sockrun");
    for (const auto &c : cases)
        EXPECT_EQ(loadError(f, withBadLine(c.line)), f + ":" + c.expected) << c.what;
}

TEST(HostileRunFile, HeaderLimits)
{
    TempDir dir;
    const std::string f = dir.file("forged.sockrun");
    const std::string deepHeader = R"({"sockscope_run":1,"scenario_source":)" + std::string(50000, '[');
    EXPECT_EQ(loadError(f, deepHeader + "\n"), f + ":1:53: error: header: JSON nested deeper than 16 levels");
    EXPECT_EQ(loadError(f, R"({"sockscope_run":1e999})"
                           "\n"),
              f + ":1:1: error: missing header: the first line of a run file is {\"sockscope_run\": 1, ...}; this is "
                  "not a sockscope run file");
    EXPECT_EQ(loadError(f, R"({"sockscope_run":18446744073709551615})"
                           "\n"),
              f + ":1:1: error: unsupported run file version 18446744073709551615 (this sockscope reads version 1); a "
                  "newer sockscope saved it");
    EXPECT_EQ(loadError(f, R"({"sockscope_run":-1})"
                           "\n"),
              f + ":1:1: error: \"sockscope_run\" must be a positive integer version");
}

TEST(HostileRunFile, TooManyActorsAndSockets)
{
    TempDir dir;
    const std::string f = dir.file("forged.sockrun");
    std::string body;
    for (int i = 1; i <= 1025; ++i)
        body += R"({"n":)" + std::to_string(i) + R"(,"t_ns":1,"kind":"signal","actor":"a)" + std::to_string(i) +
                R"(","signal":"SIGPIPE","during":-1})"
                "\n";
    EXPECT_EQ(loadError(f, kHeader + "\n" + kRun + "\n" + body + kEnd + "\n"),
              f + ":1027:1: error: too many actors (at most 1024)");
    body.clear();
    for (int i = 1; i <= 65537; ++i)
        body += R"({"n":)" + std::to_string(i) + R"(,"t_ns":1,"kind":"queue","sock":"s.)" + std::to_string(i) +
                R"(","recv_q":0,"send_q":0})"
                "\n";
    EXPECT_EQ(loadError(f, kHeader + "\n" + kRun + "\n" + body + kEnd + "\n"),
              f + ":65539:1: error: too many sockets (at most 65536)");
}

TEST(HostileRunFile, OnlyRegularFilesAreRead)
{
    TempDir dir;
    const std::string fifo = dir.file("fifo.sockrun");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    LoadError error;
    EXPECT_FALSE(loadRun(fifo, &error));
    EXPECT_EQ(error.format(), fifo + ": error: not a regular file");
    EXPECT_FALSE(loadRun("/dev/zero", &error));
    EXPECT_EQ(error.format(), "/dev/zero: error: not a regular file");
    EXPECT_FALSE(loadRun(dir.file(""), &error));
    EXPECT_EQ(error.format(), dir.file("") + ": error: not a regular file");
}

// The lab's stream is read by the same reader, which also knows the scenario's step count: a check for a step the
// scenario does not have is an error in words, never an index out of range in the CLI or the window.
TEST(HostileStream, StepsOutsideTheScenarioAreRefused)
{
    EventStreamReader reader(3);
    ASSERT_TRUE(reader.read(kRun).event);
    auto r = reader.read(R"({"n":1,"t_ns":1,"kind":"check","step":5,"expected":"a","got":"b","ok":false})");
    EXPECT_FALSE(r.event);
    EXPECT_EQ(r.error, "check event for step 5, but the scenario has 3 steps");
    r = reader.read(R"({"n":2,"t_ns":1,"kind":"step","step":3,"actor":"a","text":"t","line":1})");
    EXPECT_EQ(r.error, "step event for step 3, but the scenario has 3 steps");
    EXPECT_TRUE(reader.read(R"({"n":3,"t_ns":1,"kind":"step","step":2,"actor":"a","text":"t","line":1})").event);
    EXPECT_TRUE(reader.read(kEnd).event);
    r = reader.read(R"({"n":900001,"t_ns":9,"kind":"queue","sock":"a.1","recv_q":0,"send_q":0})");
    EXPECT_EQ(r.error, "event n=900001 after the end event");
}

TEST(HostileStream, JsonLineBoundsAndColumns)
{
    JsonLineError error;
    EXPECT_FALSE(parseJsonLine(std::string(100, ' ') + "[1]", &error, 64));
    EXPECT_EQ(error.message, "line too long (103 bytes, at most 64)");
    EXPECT_EQ(error.column, 65);
    // Brackets inside strings do not count; escaped quotes do not end a string.
    EXPECT_TRUE(parseJsonLine(R"({"a":"[[[[[[[[[[[[[[[[[[[[\"[[[[[[[[[[[[[["})", &error));
    EXPECT_FALSE(parseJsonLine(std::string(17, '[') + std::string(17, ']'), &error));
    EXPECT_EQ(error.column, 17);
    EXPECT_TRUE(parseJsonLine(std::string(16, '[') + std::string(16, ']'), &error));
    EXPECT_EQ(columnOfKey(R"({"kind":"step","step":1})", "step"), 16);
    EXPECT_EQ(columnOfKey(R"({"kind":"step"})", "nothing"), 1);
}

TEST(AtomicFile, RefusesToReplaceAnythingButARegularFile)
{
    TempDir dir;
    std::string error;
    const std::string target = dir.file("target");
    std::ofstream(target) << "keep";
    const std::string link = dir.file("link");
    ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
    EXPECT_FALSE(writeFileAtomically(link, "x", &error));
    EXPECT_EQ(error, "refusing to replace " + link + ": it is a symbolic link, not a regular file");
    struct stat st
    {
    };
    EXPECT_EQ(::lstat(link.c_str(), &st), 0);
    EXPECT_TRUE(S_ISLNK(st.st_mode)) << "the link was replaced";

    const std::string fifo = dir.file("fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_FALSE(writeFileAtomically(fifo, "x", &error));
    EXPECT_EQ(error, "refusing to replace " + fifo + ": it is a FIFO, not a regular file");

    // A device node of our own when we may make one (root), so that a broken check never replaces /dev/null.
    // Root of a user namespace (the tsan suite runs in `unshare -Urn`) may not make device nodes: EPERM, and
    // it cannot write /dev either, so /dev/null is safe to try there.
    std::string device = "/dev/null";
    if (::geteuid() == 0) {
        const std::string own = dir.file("null");
        if (::mknod(own.c_str(), S_IFCHR | 0600, ::makedev(1, 3)) == 0)
            device = own;
        else
            ASSERT_EQ(errno, EPERM) << "mknod " << own << ": " << std::strerror(errno);
    }
    EXPECT_FALSE(writeFileAtomically(device, "x", &error));
    EXPECT_EQ(error, "refusing to replace " + device + ": it is a device, not a regular file");
    EXPECT_EQ(::lstat(device.c_str(), &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode));

    EXPECT_FALSE(writeFileAtomically(dir.file(""), "x", &error));
    EXPECT_EQ(error, "refusing to replace " + dir.file("") + ": it is a directory, not a regular file");

    EXPECT_TRUE(writeFileAtomically(target, "new", &error)) << error;
    std::ifstream in(target);
    std::string text;
    std::getline(in, text);
    EXPECT_EQ(text, "new");
}

// A lab that sends a check for a step the scenario does not have (a fake lab runner: a script in its place). The
// parent refuses the line in words and ends the run; nothing indexes the scenario's steps with it.
TEST(HostileStream, LabWithAStepOutsideTheScenarioEndsTheRunInWords)
{
    TempDir dir;
    const std::string lab = dir.file("fake-lab");
    std::ofstream(lab) << "#!/bin/sh\nread header\necho '" << kRun
                       << "'\necho '{\"n\":1,\"t_ns\":1,\"kind\":\"check\",\"step\":99,\"expected\":\"a\","
                          "\"got\":\"b\",\"ok\":false}'\nsleep 5\n";
    ASSERT_EQ(::chmod(lab.c_str(), 0755), 0);
    const Scenario scenario = sockscope::test::loadBuiltin("close-unread-data");
    LabOptions options;
    options.labBinary = lab;
    std::vector<Event> events;
    std::string error;
    EXPECT_FALSE(runLab(
        scenario, options, [&](Event &&e) { events.push_back(std::move(e)); }, &error));
    EXPECT_EQ(error, "the lab sent a malformed event: check event for step 99, but the scenario has " +
                         std::to_string(scenario.steps.size()) + " steps");
    ASSERT_EQ(events.size(), 2u); // the run event, then the end event the parent makes up
    EXPECT_EQ(events[1].kind(), EventKind::End);
    for (const auto &e : events)
        EXPECT_EQ(e.as<CheckInfo>(), nullptr);
}
