// SPDX-License-Identifier: GPL-3.0-or-later
// The scenario parser: every field of a complete example, and one test per kind of error with its exact position.
#include "core/scenario/kernelsettings.h"
#include "core/scenario/scenario.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>

using namespace sockscope::core;

namespace {

// The example of docs/scenario-format.md; line numbers below refer to it.
constexpr std::string_view kExample = R"(# A scenario file: metadata first, then one step per line.
title: Close with unread data sends RST
topic: abortive close
summary: The server closes while 10 bytes sit unread in its receive queue.
notes: Linux sends RST instead of FIN when close() discards unread data
  (RFC 2525 section 2.17). Continuation lines of a metadata value are indented.
timeout: 3000
actors: server client

server  L = socket(v4)
server  setsockopt(L, SO_REUSEADDR, 1)
server  bind(L, 127.0.0.1:5000)
server  listen(L, 8)               = 0
client  C = socket(v4)
client  connect(C, 127.0.0.1:5000) = 0
server  A = accept(L)              = fd
client  send(C, 10)                = 10
  > Ten bytes now wait in the server's receive queue; nobody reads them.
server  close(A)                   = 0
client  recv(C, 100)               = -1 ECONNRESET
client  send(C, "hello")           = -1 EPIPE, SIGPIPE
server  epoll_wait(A, EPOLLIN|EPOLLRDHUP, 100) = 1 [EPOLLIN EPOLLHUP EPOLLERR]
client  getsockopt(C, SO_ERROR)    = 0 [ECONNREFUSED]
client  close(C) &
server  close(A)
)";

// Four metadata lines; the first step is on line 5.
constexpr std::string_view kHeader = "title: T\ntopic: X\nsummary: S\nactors: server client\n";
// Two more lines (5, 6) defining L for the server and C for the client; the step under test is on line 7.
const std::string kSockets = std::string(kHeader) + "server L = socket(v4)\nclient C = socket(v4)\n";

ParseResult parse(std::string_view text)
{
    return parseScenario(text, "t.scn");
}

Scenario parseOk(std::string_view text)
{
    ParseResult r = parse(text);
    for (const auto &e : r.errors)
        ADD_FAILURE() << e.format();
    EXPECT_TRUE(r.scenario.has_value());
    return r.scenario.value_or(Scenario{});
}

// Asserts exactly one error, at line:column, whose message contains `message`, and that no scenario is returned.
void expectError(std::string_view text, int line, int column, std::string_view message)
{
    ParseResult r = parse(text);
    EXPECT_FALSE(r.scenario.has_value());
    ASSERT_EQ(r.errors.size(), 1u) << (r.errors.empty() ? "no error" : r.errors.back().format());
    const ParseError &e = r.errors.front();
    EXPECT_EQ(e.file, "t.scn");
    EXPECT_EQ(e.line, line) << e.format();
    EXPECT_EQ(e.column, column) << e.format();
    EXPECT_NE(e.message.find(message), std::string::npos) << e.format();
}

void expectStepError(std::string_view step, int column, std::string_view message)
{
    expectError(kSockets + std::string(step) + "\n", 7, column, message);
}

} // namespace

TEST(ParserExample, Metadata)
{
    Scenario s = parseOk(kExample);
    EXPECT_EQ(s.name, "t");
    EXPECT_EQ(s.title, "Close with unread data sends RST");
    EXPECT_EQ(s.topic, "abortive close");
    EXPECT_EQ(s.summary, "The server closes while 10 bytes sit unread in its receive queue.");
    EXPECT_EQ(s.notes, "Linux sends RST instead of FIN when close() discards unread data\n"
                       "(RFC 2525 section 2.17). Continuation lines of a metadata value are indented.");
    EXPECT_EQ(s.stepTimeoutMs, 3000);
    EXPECT_EQ(s.actors, (std::vector<std::string>{"server", "client"}));
    EXPECT_EQ(s.steps.size(), 15u);
}

TEST(ParserExample, NameAndPathAndSource)
{
    ParseResult r = parseScenario(kExample, "/tmp/dir/close-rst.scn");
    ASSERT_TRUE(r.scenario);
    EXPECT_EQ(r.scenario->name, "close-rst");
    EXPECT_EQ(r.scenario->path, "/tmp/dir/close-rst.scn");
    EXPECT_EQ(r.scenario->source, kExample);
}

TEST(ParserExample, SocketSetupSteps)
{
    Scenario s = parseOk(kExample);
    const Step &sock = s.steps[0];
    EXPECT_EQ(sock.index, 0);
    EXPECT_EQ(sock.line, 10);
    EXPECT_EQ(sock.column, 1);
    EXPECT_EQ(sock.actor, "server");
    EXPECT_EQ(sock.assign, "L");
    EXPECT_EQ(sock.call, Call::Socket);
    EXPECT_FALSE(sock.v6);
    EXPECT_FALSE(sock.nonblock);
    EXPECT_FALSE(sock.expect);
    EXPECT_EQ(sock.text, "server  L = socket(v4)");

    const Step &opt = s.steps[1];
    EXPECT_EQ(opt.call, Call::Setsockopt);
    EXPECT_EQ(opt.sock, "L");
    EXPECT_EQ(opt.option, "SO_REUSEADDR");
    EXPECT_EQ(opt.number, 1);

    const Step &bind = s.steps[2];
    EXPECT_EQ(bind.call, Call::Bind);
    EXPECT_EQ(bind.addr.ip, "127.0.0.1");
    EXPECT_EQ(bind.addr.port, 5000);
    EXPECT_FALSE(bind.addr.v6);
    EXPECT_EQ(bind.addr.text(), "127.0.0.1:5000");

    const Step &listen = s.steps[3];
    EXPECT_EQ(listen.call, Call::Listen);
    EXPECT_EQ(listen.number, 8);
    ASSERT_TRUE(listen.expect);
    EXPECT_EQ(listen.expect->kind, Expectation::Kind::Value);
    EXPECT_EQ(listen.expect->value, 0);
    EXPECT_EQ(listen.expect->text, "0");
    EXPECT_FALSE(listen.expect->hasData);
    EXPECT_FALSE(listen.expect->sigpipe);
    EXPECT_EQ(listen.text, "server  listen(L, 8)               = 0");

    EXPECT_EQ(s.steps[4].actor, "client");
    EXPECT_EQ(s.steps[5].call, Call::Connect);
    EXPECT_EQ(s.steps[5].sock, "C");
    EXPECT_EQ(s.steps[5].addr.text(), "127.0.0.1:5000");

    const Step &accept = s.steps[6];
    EXPECT_EQ(accept.call, Call::Accept);
    EXPECT_EQ(accept.assign, "A");
    EXPECT_EQ(accept.sock, "L");
    ASSERT_TRUE(accept.expect);
    EXPECT_EQ(accept.expect->kind, Expectation::Kind::AnyFd);
    EXPECT_EQ(accept.expect->text, "fd");
}

TEST(ParserExample, DataAndTeardownSteps)
{
    Scenario s = parseOk(kExample);
    const Step &send = s.steps[7];
    EXPECT_EQ(send.call, Call::Send);
    EXPECT_EQ(send.number, 10);
    EXPECT_EQ(send.payload, "");
    EXPECT_EQ(send.note, "Ten bytes now wait in the server's receive queue; nobody reads them.");
    EXPECT_EQ(send.line, 17);

    EXPECT_EQ(s.steps[8].line, 19);
    EXPECT_EQ(s.steps[8].call, Call::Close);
    EXPECT_EQ(s.steps[8].note, "");

    const Step &recv = s.steps[9];
    EXPECT_EQ(recv.call, Call::Recv);
    EXPECT_EQ(recv.number, 100);
    ASSERT_TRUE(recv.expect);
    EXPECT_EQ(recv.expect->kind, Expectation::Kind::Error);
    EXPECT_EQ(recv.expect->value, -1);
    EXPECT_EQ(recv.expect->err, "ECONNRESET");
    EXPECT_EQ(recv.expect->text, "-1 ECONNRESET");

    const Step &text = s.steps[10];
    EXPECT_EQ(text.payload, "hello");
    EXPECT_EQ(text.number, 5);
    ASSERT_TRUE(text.expect);
    EXPECT_EQ(text.expect->err, "EPIPE");
    EXPECT_TRUE(text.expect->sigpipe);
    EXPECT_EQ(text.expect->text, "-1 EPIPE, SIGPIPE");

    const Step &epoll = s.steps[11];
    EXPECT_EQ(epoll.call, Call::EpollWait);
    EXPECT_EQ(epoll.flags, (std::vector<std::string>{"EPOLLIN", "EPOLLRDHUP"}));
    EXPECT_EQ(epoll.timeoutMs, 100);
    ASSERT_TRUE(epoll.expect);
    EXPECT_EQ(epoll.expect->value, 1);
    EXPECT_TRUE(epoll.expect->hasData);
    EXPECT_EQ(epoll.expect->data, (std::vector<std::string>{"EPOLLIN", "EPOLLHUP", "EPOLLERR"}));
    EXPECT_EQ(epoll.expect->text, "1 [EPOLLIN EPOLLHUP EPOLLERR]");

    const Step &get = s.steps[12];
    EXPECT_EQ(get.call, Call::Getsockopt);
    EXPECT_EQ(get.option, "SO_ERROR");
    EXPECT_EQ(get.expect->data, (std::vector<std::string>{"ECONNREFUSED"}));

    EXPECT_TRUE(s.steps[13].together);
    EXPECT_EQ(s.steps[13].text, "client  close(C) &");
    EXPECT_FALSE(s.steps[13].expect);
    EXPECT_FALSE(s.steps[14].together);
    EXPECT_EQ(s.steps[14].index, 14);
    EXPECT_EQ(s.steps[14].line, 25);
}

TEST(ParserForms, EveryCall)
{
    Scenario s = parseOk(std::string(kHeader) + "server L = socket(v6, nonblock)\n"
                                                "server setsockopt(L, SO_LINGER, 1, 0)\n"
                                                "server getsockopt(L, SO_LINGER) = 0 [1 0]\n"
                                                "server fcntl(L, O_NONBLOCK)\n"
                                                "server bind(L, [::1]:80)\n"
                                                "server listen(L, 0)\n"
                                                "server A = accept(L) = -1 EAGAIN\n"
                                                "server send(L, \"a\\tb\\n\\\\\\\"\", MSG_DONTWAIT, MSG_NOSIGNAL)\n"
                                                "server write(L, 16777216)\n"
                                                "server recv(L, 1, MSG_PEEK, MSG_DONTWAIT) = blocked\n"
                                                "server read(L, 7)\n"
                                                "server shutdown(L, SHUT_RDWR)\n"
                                                "server poll(L, POLLIN | POLLOUT|POLLRDHUP, 0) = 0 []\n"
                                                "server sleep(60000)\n"
                                                "client wait(0)\n");
    ASSERT_EQ(s.steps.size(), 15u);
    EXPECT_TRUE(s.steps[0].v6);
    EXPECT_TRUE(s.steps[0].nonblock);
    EXPECT_EQ(s.steps[1].option, "SO_LINGER");
    EXPECT_EQ(s.steps[1].number, 1);
    EXPECT_EQ(s.steps[1].number2, 0);
    EXPECT_EQ(s.steps[2].expect->data, (std::vector<std::string>{"1", "0"}));
    EXPECT_EQ(s.steps[3].option, "O_NONBLOCK");
    EXPECT_TRUE(s.steps[4].addr.v6);
    EXPECT_EQ(s.steps[4].addr.ip, "::1");
    EXPECT_EQ(s.steps[4].addr.text(), "[::1]:80");
    Scenario z = parseOk(kSockets + "client connect(C, 127.000.01.1:65535)\n");
    EXPECT_EQ(z.steps[2].addr.text(), "127.0.1.1:65535");
    EXPECT_EQ(s.steps[5].number, 0);
    EXPECT_EQ(s.steps[6].expect->err, "EAGAIN");
    EXPECT_EQ(s.steps[7].payload, "a\tb\n\\\"");
    EXPECT_EQ(s.steps[7].number, 6);
    EXPECT_EQ(s.steps[7].flags, (std::vector<std::string>{"MSG_DONTWAIT", "MSG_NOSIGNAL"}));
    EXPECT_EQ(s.steps[8].number, 16777216);
    EXPECT_EQ(s.steps[9].flags, (std::vector<std::string>{"MSG_PEEK", "MSG_DONTWAIT"}));
    EXPECT_EQ(s.steps[9].expect->kind, Expectation::Kind::Blocked);
    EXPECT_EQ(s.steps[10].call, Call::Read);
    EXPECT_EQ(s.steps[11].option, "SHUT_RDWR");
    EXPECT_EQ(s.steps[12].flags, (std::vector<std::string>{"POLLIN", "POLLOUT", "POLLRDHUP"}));
    EXPECT_EQ(s.steps[12].timeoutMs, 0);
    EXPECT_TRUE(s.steps[12].expect->hasData);
    EXPECT_TRUE(s.steps[12].expect->data.empty());
    EXPECT_EQ(s.steps[13].call, Call::Sleep);
    EXPECT_EQ(s.steps[13].number, 60000);
    EXPECT_EQ(s.steps[14].call, Call::Wait);
    EXPECT_EQ(s.stepTimeoutMs, 3000); // the default
}

TEST(ParserForms, CallNames)
{
    EXPECT_EQ(callName(Call::Socket), "socket");
    EXPECT_EQ(callName(Call::EpollWait), "epoll_wait");
    EXPECT_EQ(callName(Call::Wait), "wait");
}

TEST(ParserForms, NotesCommentsAndTogether)
{
    Scenario s = parseOk(kSockets + "  client   close(C) &   # released with the next step\n"
                                    "  > first line\n"
                                    "# a comment between note lines\n"
                                    ">second line\n"
                                    ">\n"
                                    "  >   indented text  \n"
                                    "server send(L, \"a # not a comment\") #comment\n"
                                    "client close(C)\n");
    ASSERT_EQ(s.steps.size(), 5u);
    const Step &close = s.steps[2];
    EXPECT_TRUE(close.together);
    EXPECT_EQ(close.column, 3);
    EXPECT_EQ(close.text, "client   close(C) &");
    EXPECT_EQ(close.note, "first line\nsecond line\n\n  indented text");
    EXPECT_EQ(s.steps[3].payload, "a # not a comment");
    EXPECT_FALSE(s.steps[3].together);
    EXPECT_FALSE(s.steps[4].together);
}

TEST(ParserForms, ReassignAfterCloseAndUseAfterClose)
{
    Scenario s = parseOk(kSockets + "server close(L)\nserver send(L, 1) = -1 EBADF\nclient L = socket(v4)\n"
                                    "client close(L)\n");
    EXPECT_EQ(s.steps[4].assign, "L");
    EXPECT_EQ(s.steps[4].actor, "client");
}

TEST(ParserForms, MetadataContinuationAndLineEndings)
{
    Scenario s = parseOk("title: A long\n  title\r\ntopic: t\r\nsummary: s\n\tmore # comment\n"
                         "notes:\n  one\n\n# comment\nactors: a\tb\n  c\ntimeout: 250\r\n"
                         "c\twait(1)\r\n");
    EXPECT_EQ(s.title, "A long title");
    EXPECT_EQ(s.summary, "s more");
    EXPECT_EQ(s.notes, "one");
    EXPECT_EQ(s.actors, (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(s.stepTimeoutMs, 250);
    EXPECT_EQ(s.steps[0].text, "c\twait(1)");
}

TEST(ParserForms, ExpectationForms)
{
    Scenario s = parseOk(kSockets + "server send(L, 3) = -7\nserver send(L, 3) = 3, SIGPIPE\n"
                                    "server send(L, 3) = -1 EWOULDBLOCK [x y]\nserver send(L, 3)=-1\n");
    EXPECT_EQ(s.steps[2].expect->value, -7);
    EXPECT_EQ(s.steps[2].expect->kind, Expectation::Kind::Value);
    EXPECT_TRUE(s.steps[3].expect->sigpipe);
    EXPECT_EQ(s.steps[3].expect->text, "3, SIGPIPE");
    EXPECT_EQ(s.steps[4].expect->err, "EWOULDBLOCK");
    EXPECT_EQ(s.steps[4].expect->data, (std::vector<std::string>{"x", "y"}));
    EXPECT_EQ(s.steps[5].expect->kind, Expectation::Kind::Value);
    EXPECT_EQ(s.steps[5].expect->value, -1);
}

// --- metadata errors -------------------------------------------------------------------------------------------

// Texts that fail with exactly one error.
struct TextError
{
    std::string text;
    int line;
    int column;
    const char *message;
};

const TextError kTextErrors[] = {
    {std::string(kHeader) + "colour: red\nserver wait(1)\n", 5, 1, "unknown metadata key 'colour'"},
    {std::string(kHeader) + "  \ntopic: again\nserver wait(1)\n", 6, 1,
     "duplicate metadata 'topic:' (first given on line 2)"},
    {"title: T\ntopic: X\nactors: a\na wait(1)\n", 1, 1, "missing required metadata 'summary:'"},
    {std::string(kHeader) + "notes:\nserver wait(1)\n", 5, 1, "expected a value after 'notes:'"},
    {std::string(kHeader) + "server wait(1)\n  timeout: 5\n", 6, 3, "'timeout:' must come before the first step"},
    {std::string(kHeader) + "timeout:   0\nserver wait(1)\n", 5, 12, "the step timeout in ms out of range: 0"},
    {std::string(kHeader) + "timeout: 3s\nserver wait(1)\n", 5, 10, "expected the step timeout in ms, found '3s'"},
    {std::string(kHeader) + "timeout: 3 4\nserver wait(1)\n", 5, 12,
     "expected the end of the timeout value, found '4'"},
    {"title: T\ntopic: X\nsummary: S\nactors: a\n  b 9c\na wait(1)\n", 5, 5, "expected an actor name"},
    {"title: T\ntopic: X\nsummary: S\nactors: a b a\na wait(1)\n", 4, 13, "actor 'a' is declared twice"},
    {std::string(kHeader) + "  > hello\nserver wait(1)\n", 5, 3, "a '>' note must follow a step"},
    {kSockets + "server close(L)   &  \n# end\n", 7, 19,
     "expected a step of another actor after '&', found the end of the file"},
    {kSockets + "server close(L) &\n client close(C) &\n  server wait(1)\n", 9, 3,
     "actor 'server' already has the step on line 7 in this group"},
    {std::string(kHeader) + "\n# nothing\n", 6, 1, "expected at least one step"},
};

TEST(ParserErrors, OneErrorEach)
{
    for (const TextError &e : kTextErrors) {
        SCOPED_TRACE(e.message);
        expectError(e.text, e.line, e.column, e.message);
    }
}

// --- step errors -----------------------------------------------------------------------------------------------

// One step under kSockets (line 7) that fails with exactly one error at column.
struct StepError
{
    const char *step;
    int column;
    const char *message;
};

constexpr const char *kNotLoopback = "only loopback addresses are allowed (127.0.0.0/8 or [::1])";

const StepError kStepErrors[] = {
    {"  servr wait(1)", 3, "unknown actor 'servr' (declared in 'actors:': server client)"},
    {"(wait)", 1, "expected an actor name or 'key: value', found '('"},
    {"server  sned(L, 1)", 9, "unknown call 'sned'"},
    {"server send(X, 1)", 13, "socket variable X is not defined"},
    {"server send(C, 1)", 13, "socket variable C belongs to actor 'client', not 'server'"},
    {"server L = socket(v6)", 8, "socket variable L is still open (assigned on line 5)"},
    {"server X = close(L)", 8, "only socket() and accept() can be assigned"},
    {"server accept(L)", 8, "expected a variable to assign the new socket to"},
    {"server close(L(", 15, "expected ')' after the socket variable, found '('"},
    {"server send L", 13, "expected '(' after the call name, found 'L'"},
    {"server send(L 1)", 15, "expected ',' after the socket variable, found '1'"},
    {"server recv(L, 1", 17, "expected ',' or ')' after the byte count, found the end of the line"},
    {"server L2 = socket(v5)", 20, "expected an address family (v4 or v6), found 'v5'"},
    {"server setsockopt(L, SO_BROADCAST, 1)", 22, "expected a socket option"},
    {"server shutdown(L, SHUT_BOTH)", 20, "SHUT_RD, SHUT_WR or SHUT_RDWR"},
    {"server send(L, 1, MSG_PEEK)", 19,
     "expected a flag (MSG_NOSIGNAL, MSG_DONTWAIT, MSG_OOB or MSG_MORE), found 'MSG_PEEK'"},
    {"server send(L, 1, MSG_NOSIGNAL, MSG_NOSIGNAL)", 33, "flag MSG_NOSIGNAL is given twice"},
    {"server poll(L, POLLIN|EPOLLIN, 10)", 23,
     "expected an event (POLLIN, POLLPRI, POLLOUT or POLLRDHUP), found 'EPOLLIN'"},
    {"server epoll_wait(L, EPOLLIN|EPOLLIN, 10)", 30, "event EPOLLIN is given twice"},
    {"server poll(L, POLLIN, -1)", 24, "the timeout in ms out of range: -1 (expected 0..60000)"},
    {"server bind(L, 10.0.0.1:80)", 16, kNotLoopback},
    {"server bind(L,  localhost:80)", 17, kNotLoopback},
    {"client connect(C, 127.0.0.1:0)", 19, kNotLoopback},
    {"client connect(C, 127.0.0.1:65536)", 19, kNotLoopback},
    {"client connect(C, 127.0.0.1)", 19, kNotLoopback},
    {"client connect(C, 127.0.0.256:80)", 19, kNotLoopback},
    {"client connect(C, [::2]:80)", 19, kNotLoopback},
    {"server send(L, -1)", 16, "the byte count or a \"string\" out of range: -1 (expected 0..16777216)"},
    {"server send(L, 16777217)", 16, "out of range: 16777217"},
    {"server read(L, 99999999999999999999999999)", 16, "out of range"},
    {"server listen(L, 4097)", 18, "the backlog out of range: 4097 (expected 0..4096)"},
    {"server sleep(300001)", 14, "the time in ms out of range: 300001 (expected 0..300000)"},
    {"server setsockopt(L, SO_LINGER, 2, 0)", 33, "the linger on/off value out of range"},
    {"server send(L, 10k)", 16, "expected the byte count or a \"string\", found '10k'"},
    {"server send(L, \"abc)", 16, "unterminated string"},
    {"server send(L, \"a\\qb\")", 18, "unknown escape in string"},
    {"server send(L, \"\")", 16, "expected at least one byte in the string"},
    {"server send(L, 1) = -1 EFOO", 24, "unknown errno name 'EFOO'"},
    {"server send(L, 1) = -2 EPIPE", 24, "an errno name must follow -1, not -2"},
    {"server send(L, 1) = maybe", 21, "expected a result (N, -1 ENAME, fd or blocked), found 'maybe'"},
    {"server send(L, 1) =", 20, "expected a result (N, -1 ENAME, fd or blocked), found the end of the line"},
    {"server send(L, 1) = 1 [a b", 27, "expected ']' to close the data list"},
    {"server send(L, 1) = 1, SIGSEGV", 24, "expected a signal (SIGPIPE), found 'SIGSEGV'"},
    {"server close(L) junk", 17, "expected '=', '&' or the end of the line after ')', found 'junk'"},
    {"server close(L) = 0 0", 21, "expected '&' or the end of the line after the result, found '0'"},
    {"server close(L) & &", 19, "expected the end of the line after '&', found '&'"},
};

TEST(ParserErrors, OneStepErrorEach)
{
    for (const StepError &e : kStepErrors) {
        SCOPED_TRACE(e.step);
        expectStepError(e.step, e.column, e.message);
    }
}

TEST(ParserErrors, EmptyFile)
{
    ParseResult r = parse("");
    EXPECT_FALSE(r.scenario);
    ASSERT_EQ(r.errors.size(), 5u); // four missing keys, no steps
    for (const auto &e : r.errors) {
        EXPECT_EQ(e.line, 1);
        EXPECT_EQ(e.column, 1);
    }
}

TEST(ParserErrors, LineTooLong)
{
    expectError(kSockets + "server wait(1) #" + std::string(5000, 'x') + "\n", 7, 4097,
                "line is longer than 4096 bytes");
}

TEST(ParserErrors, NulByte)
{
    std::string text = kSockets + "server wait(1) # a\n";
    text[text.size() - 2] = '\0';
    expectError(text, 7, 18, "NUL byte");
}

TEST(ParserErrors, InvalidUtf8)
{
    // Columns count characters: "é" is one column, so the bad byte after "# é" is column 19.
    expectError(kSockets + "server wait(1) # \xC3\xA9\xFF\n", 7, 19, "invalid UTF-8 byte 0xFF");
    expectError(kSockets + "server wait(1) # \xC0\xAF\n", 7, 18, "invalid UTF-8 byte 0xC0");
}

TEST(ParserErrors, TooManySteps)
{
    std::string text(kHeader);
    for (int i = 0; i < 10001; ++i)
        text += "server wait(0)\n";
    expectError(text, 4 + 10001, 1, "too many steps (at most 10000)");
}

TEST(ParserErrors, CollectsEveryError)
{
    ParseResult r = parse(kSockets + "server sned(L)\nclient close(C)\n  server close(X)\nclient close(C) = ?\n");
    EXPECT_FALSE(r.scenario);
    ASSERT_EQ(r.errors.size(), 3u);
    EXPECT_EQ(r.errors[0].line, 7);
    EXPECT_EQ(r.errors[1].line, 9);
    EXPECT_EQ(r.errors[1].column, 16);
    EXPECT_EQ(r.errors[2].line, 10);
    EXPECT_EQ(r.errors[2].column, 19);
}

TEST(ParserErrors, TabIsOneColumn)
{
    expectStepError("server\tsend(\tX, 1)", 14, "socket variable X is not defined");
}

TEST(ParserErrors, Format)
{
    ParseError e{"close-rst.scn", 12, 17, "expected ',' or ')' after the socket variable, found '('"};
    EXPECT_EQ(e.format(), "close-rst.scn:12:17: error: expected ',' or ')' after the socket variable, found '('");
}

// --- files -----------------------------------------------------------------------------------------------------

namespace {

// A file NAME in a fresh directory of its own, so that the file's stem is exactly NAME's.
std::string tempPath(const std::string &name)
{
    auto dir = std::filesystem::temp_directory_path() / ("sockscope-test-parser-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

} // namespace

TEST(ParserFiles, LoadsAFile)
{
    std::string path = tempPath("close-rst.scn");
    std::ofstream(path, std::ios::binary) << kExample;
    ParseResult r = loadScenarioFile(path);
    std::filesystem::remove_all(std::filesystem::path(path).parent_path());
    ASSERT_TRUE(r.scenario);
    EXPECT_EQ(r.scenario->path, path);
    EXPECT_EQ(r.scenario->name, "close-rst");
    EXPECT_EQ(r.scenario->source, kExample);
}

TEST(ParserFiles, MissingFile)
{
    ParseResult r = loadScenarioFile("/nonexistent/x.scn");
    EXPECT_FALSE(r.scenario);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].file, "/nonexistent/x.scn");
    EXPECT_EQ(r.errors[0].line, 0);
    EXPECT_EQ(r.errors[0].column, 0);
    EXPECT_EQ(r.errors[0].message, "cannot read file: No such file or directory");
}

TEST(ParserFiles, Directory)
{
    ParseResult r = loadScenarioFile(std::filesystem::temp_directory_path().string());
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 0);
    EXPECT_EQ(r.errors[0].message.rfind("cannot read file: ", 0), 0u);
}

TEST(ParserFiles, TooLarge)
{
    std::string path = tempPath("big.scn");
    std::ofstream(path, std::ios::binary) << std::string(1024 * 1024 + 1, '#');
    ParseResult r = loadScenarioFile(path);
    std::filesystem::remove_all(std::filesystem::path(path).parent_path());
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 0);
    EXPECT_NE(r.errors[0].message.find("larger than 1048576 bytes"), std::string::npos);
}

// --- robustness ------------------------------------------------------------------------------------------------

namespace {

void expectWellFormed(const ParseResult &r, std::string_view what)
{
    if (r.scenario) {
        EXPECT_TRUE(r.errors.empty()) << what;
        EXPECT_FALSE(r.scenario->steps.empty()) << what;
        return;
    }
    ASSERT_FALSE(r.errors.empty()) << what;
    for (const auto &e : r.errors) {
        EXPECT_GE(e.line, 1) << what;
        EXPECT_GE(e.column, 1) << what;
        EXPECT_FALSE(e.message.empty()) << what;
    }
}

} // namespace

TEST(ParserFuzz, TruncatedPrefixes)
{
    int parsed = 0;
    for (std::size_t n = 0; n <= kExample.size(); ++n) {
        ParseResult r = parse(kExample.substr(0, n));
        expectWellFormed(r, "prefix " + std::to_string(n));
        parsed += r.scenario ? 1 : 0;
    }
    EXPECT_GT(parsed, 0); // at least the whole file
}

TEST(ParserFuzz, RandomGarbageAndMutations)
{
    std::mt19937 rng(20240521);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int round = 0; round < 2000; ++round) {
        std::string text(rng() % 300, '\0');
        for (auto &c : text)
            c = static_cast<char>(byte(rng));
        expectWellFormed(parse(text), "garbage round " + std::to_string(round));
    }
    // Mutations of a valid file reach deeper into the grammar than pure garbage.
    const std::string alphabet = "()[],=&|>#\"\\:-. \t\n\r0123456789LACx";
    for (int round = 0; round < 3000; ++round) {
        std::string text(kExample);
        int edits = 1 + static_cast<int>(rng() % 4);
        for (int i = 0; i < edits; ++i) {
            std::size_t at = rng() % text.size();
            switch (rng() % 3) {
            case 0:
                text[at] = alphabet[rng() % alphabet.size()];
                break;
            case 1:
                text.erase(at, 1 + rng() % 8);
                break;
            default:
                text.insert(at, 1, static_cast<char>(byte(rng)));
                break;
            }
        }
        expectWellFormed(parse(text), "mutation round " + std::to_string(round));
    }
}

// Files that would tie up the lab: too much sleeping in all, too many actor threads.
TEST(ParserLimits, TotalSleepIsBounded)
{
    std::string text = "title: t\ntopic: t\nsummary: s\nactors: a\n\n";
    for (int i = 0; i < 6; ++i)
        text += "a  sleep(60000)\n";
    auto r = sockscope::core::parseScenario(text, "long.scn");
    ASSERT_FALSE(r.scenario);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 11); // the sixth sleep passes 300 s
    EXPECT_EQ(r.errors[0].column, 1);
    EXPECT_NE(r.errors[0].message.find("at most 300 s"), std::string::npos) << r.errors[0].message;
}

TEST(ParserLimits, ActorCountIsBounded)
{
    std::string text = "title: t\ntopic: t\nsummary: s\nactors:";
    for (int i = 0; i < 17; ++i)
        text += " a" + std::to_string(i);
    text += "\n\na0  sleep(1)\n";
    auto r = sockscope::core::parseScenario(text, "many.scn");
    ASSERT_FALSE(r.scenario);
    EXPECT_NE(r.errors.front().message.find("too many actors"), std::string::npos);
}

// --- kernel settings (sysctl:) and long waits ----------------------------------------------------------------------

TEST(ParserSysctl, SettingsInFileOrderWithPositions)
{
    const std::string text = std::string(kHeader) + "sysctl: net.ipv4.tcp_fin_timeout=5  net.core.somaxconn = 16\n"
                                                    "  net.ipv4.tcp_retries2=3\n"
                                                    "sysctl: net.ipv4.tcp_abort_on_overflow=1 # a comment\n"
                                                    "server wait(1)\n";
    ParseResult r = parse(text);
    ASSERT_TRUE(r.scenario) << r.errors.front().format();
    const auto &s = r.scenario->sysctls;
    ASSERT_EQ(s.size(), 4u);
    EXPECT_EQ(s[0].name, "net.ipv4.tcp_fin_timeout");
    EXPECT_EQ(s[0].value, 5);
    EXPECT_EQ(s[0].line, 5);
    EXPECT_EQ(s[0].column, 9);
    EXPECT_EQ(s[1].name, "net.core.somaxconn");
    EXPECT_EQ(s[1].value, 16);
    EXPECT_EQ(s[1].column, 37);
    EXPECT_EQ(s[2].name, "net.ipv4.tcp_retries2");
    EXPECT_EQ(s[2].line, 6);
    EXPECT_EQ(s[2].column, 3);
    EXPECT_EQ(s[3].name, "net.ipv4.tcp_abort_on_overflow");
    EXPECT_EQ(s[3].line, 7);
}

TEST(ParserSysctl, EveryWhitelistedSettingParses)
{
    std::string text = std::string(kHeader);
    for (const auto &spec : sockscope::core::sysctlWhitelist())
        text += "sysctl: " + std::string(spec.name) + "=" + std::to_string(spec.min) + "\n";
    text += "server wait(1)\n";
    ParseResult r = parse(text);
    ASSERT_TRUE(r.scenario) << r.errors.front().format();
    EXPECT_EQ(r.scenario->sysctls.size(), sockscope::core::sysctlWhitelist().size());
    EXPECT_EQ(sockscope::core::sysctlPath("net.ipv4.tcp_fin_timeout"), "/proc/sys/net/ipv4/tcp_fin_timeout");
    EXPECT_EQ(sockscope::core::sysctlPath("net.core.somaxconn"), "/proc/sys/net/core/somaxconn");
}

const TextError kSysctlErrors[] = {
    {std::string(kHeader) + "sysctl: net.ipv4.ip_forward=1\nserver wait(1)\n", 5, 9,
     "'net.ipv4.ip_forward' is not a kernel setting a scenario may change (only these per-namespace TCP settings: "
     "net.ipv4.tcp_fin_timeout,"},
    {std::string(kHeader) + "sysctl: kernel.panic=1\nserver wait(1)\n", 5, 9, "'kernel.panic' is not a kernel setting"},
    {std::string(kHeader) + "sysctl: net.ipv4.tcp_fin_timeout=0\nserver wait(1)\n", 5, 34,
     "a whole number for net.ipv4.tcp_fin_timeout (in seconds) out of range: 0 (expected 1..600)"},
    {std::string(kHeader) + "sysctl: net.ipv4.tcp_tw_reuse=3\nserver wait(1)\n", 5, 31,
     "out of range: 3 (expected 0..2)"},
    {std::string(kHeader) + "sysctl: net.ipv4.tcp_retries2=-1\nserver wait(1)\n", 5, 31, "out of range: -1"},
    {std::string(kHeader) + "sysctl: net.ipv4.tcp_syn_retries=two\nserver wait(1)\n", 5, 34,
     "expected a whole number for net.ipv4.tcp_syn_retries, found 'two'"},
    {std::string(kHeader) + "sysctl: net.ipv4.tcp_syn_retries 2\nserver wait(1)\n", 5, 34,
     "expected '=' and a value after 'net.ipv4.tcp_syn_retries', found '2'"},
    {std::string(kHeader) + "sysctl: net.ipv4.tcp_syn_retries=2,3\nserver wait(1)\n", 5, 35,
     "expected a space or the end of the line after the value, found ','"},
    {std::string(kHeader) + "sysctl: =2\nserver wait(1)\n", 5, 9, "expected a kernel setting NAME=VALUE"},
    {std::string(kHeader) + "sysctl: net.core.somaxconn=8\n  net.core.somaxconn=9\nserver wait(1)\n", 6, 3,
     "'net.core.somaxconn' is set twice (first on line 5)"},
    {std::string(kHeader) + "sysctl:\nserver wait(1)\n", 5, 1, "expected a value after 'sysctl:'"},
    {std::string(kHeader) + "server wait(1)\nsysctl: net.core.somaxconn=8\n", 6, 1,
     "metadata 'sysctl:' must come before the first step"},
};

TEST(ParserSysctl, OneErrorEach)
{
    for (const TextError &e : kSysctlErrors) {
        SCOPED_TRACE(e.message);
        expectError(e.text, e.line, e.column, e.message);
    }
}

// One wait() may take the whole of the file's 300 s; more than that in all is refused at the step that passes it.
TEST(ParserLimits, OneWaitMayTakeTheWholeTotal)
{
    const std::string base = "title: t\ntopic: t\nsummary: s\nactors: a\n\n";
    ParseResult r = sockscope::core::parseScenario(base + "a  wait(300000)\n", "long.scn");
    ASSERT_TRUE(r.scenario) << r.errors.front().format();
    EXPECT_EQ(r.scenario->steps[0].number, 300000);
    r = sockscope::core::parseScenario(base + "a  sleep(200000)\na  wait(100001)\n", "long.scn");
    ASSERT_FALSE(r.scenario);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 7);
    EXPECT_NE(r.errors[0].message.find("add up to 300 s; at most 300 s"), std::string::npos) << r.errors[0].message;
}

// --- shared descriptors, dying processes, signals (issue 12 items 4-6) -----------------------------------------

namespace {
constexpr std::string_view kThreeActors = "title: T\ntopic: X\nsummary: S\nactors: server worker client\n";
}

TEST(ParserProcesses, DupShareGiveExitSignal)
{
    Scenario s = parseOk(std::string(kThreeActors) + "server L = socket(v4)\n"          // 5
                                                     "server B = dup(L)      = fd\n"    // 6
                                                     "server share(B, worker)\n"        // 7
                                                     "worker close(B)        = 0\n"     // 8
                                                     "server give(L, client)\n"         // 9
                                                     "client close(L)        = 0\n"     // 10
                                                     "client signal(server, SIGALRM)\n" // 11
                                                     "client signal(worker, SIGUSR1, SA_RESTART) = 0\n"
                                                     "server exit()\n");
    ASSERT_EQ(s.steps.size(), 9u);
    EXPECT_EQ(s.steps[1].call, Call::Dup);
    EXPECT_EQ(s.steps[1].assign, "B");
    EXPECT_EQ(s.steps[1].sock, "L");
    EXPECT_EQ(s.steps[2].call, Call::Share);
    EXPECT_EQ(s.steps[2].target, "worker");
    EXPECT_EQ(s.steps[4].call, Call::Give);
    EXPECT_EQ(s.steps[6].call, Call::Signal);
    EXPECT_EQ(s.steps[6].target, "server");
    EXPECT_EQ(s.steps[6].option, "SIGALRM");
    EXPECT_TRUE(s.steps[6].flags.empty());
    EXPECT_EQ(s.steps[7].flags, (std::vector<std::string>{"SA_RESTART"}));
    EXPECT_EQ(s.steps[8].call, Call::Exit);
    EXPECT_EQ(callName(Call::Dup), "dup");
    EXPECT_EQ(sigpipeAction(s, "server"), SigpipeAction::Report); // no 'sigpipe:'
}

TEST(ParserProcesses, SigpipeMetadata)
{
    const std::string steps = "server wait(1)\n";
    Scenario all = parseOk(std::string(kThreeActors) + "sigpipe: default\n" + steps);
    EXPECT_EQ(sigpipeAction(all, "worker"), SigpipeAction::Default);
    Scenario mixed = parseOk(std::string(kThreeActors) + "sigpipe: server=default ignore\n" + steps);
    EXPECT_EQ(sigpipeAction(mixed, "server"), SigpipeAction::Default);
    EXPECT_EQ(sigpipeAction(mixed, "client"), SigpipeAction::Ignore);
    expectError(std::string(kThreeActors) + "sigpipe: server=kill\n" + steps, 5, 17,
                "expected 'default', 'ignore' or ACTOR=default|ignore for 'sigpipe:', found 'server=kill'");
    expectError(std::string(kThreeActors) + "sigpipe: ignore srv=default\n" + steps, 5, 17,
                "unknown actor 'srv' in 'sigpipe:'");
}

TEST(ParserProcesses, OwnershipErrors)
{
    const std::string sockets = std::string(kThreeActors) + "server L = socket(v4)\nclient C = socket(v4)\n";
    auto stepError = [&](const std::string &extra, int line, int column, std::string_view message) {
        SCOPED_TRACE(extra);
        expectError(sockets + extra, line, column, message);
    };
    stepError("worker close(L)\n", 7, 14,
              "socket variable L belongs to actor 'server', not 'worker' (share(L, worker) or give(L, worker) by "
              "'server' hands it over)");
    stepError("server share(L, nobody)\n", 7, 17, "unknown actor 'nobody'");
    stepError("server share(L, server)\n", 7, 17, "expected another actor than 'server' itself");
    stepError("server share(L, worker)\nworker give(L, client)\n", 8, 13,
              "only the owner 'server' can give L away; 'worker' was only given it with share()");
    stepError("server give(L, worker)\nserver close(L)\n", 8, 14, "belongs to actor 'worker', not 'server'");
    stepError("server B = dup(X)\n", 7, 16, "socket variable X is not defined");
    stepError("server B = dup(L, 1)\n", 7, 17, "expected ')' after the socket variable");
    stepError("server exit(1)\n", 7, 13, "expected ')' after 'exit(': it takes no arguments");
    stepError("server exit()\nserver close(L)\n", 8, 1, "actor 'server' has exited (exit() or kill() on line 7)");
    stepError("server exit()\nclient signal(server, SIGALRM)\n", 8, 15, "actor 'server' has exited");
    stepError("client kill(server)\nserver close(L)\n", 8, 1, "actor 'server' has exited (exit() or kill() on line 7)");
    stepError("client kill(client)\n", 7, 13, "expected another actor than 'client' itself");
    stepError("client signal(server, SIGKILL)\n", 7, 23, "expected a signal (SIGALRM or SIGUSR1), found 'SIGKILL'");
    stepError("client signal(server, SIGALRM, SA_NODEFER)\n", 7, 32, "expected a flag (SA_RESTART)");
    stepError("server X = share(L, worker)\n", 7, 8, "only socket() and accept() can be assigned");
    stepError("server share(L, worker) = 0\n", 7, 25, "share() makes no system call, so it has no result to expect");
    // exit() closes what the actor owned: a variable it gave away stays open for its new owner.
    EXPECT_TRUE(parse(sockets + "server give(L, worker)\nserver exit()\nworker close(L) = 0\n").scenario);
    // ...and what it owned is closed for everybody, shared or not: the name may be assigned again.
    EXPECT_TRUE(parse(sockets + "server share(L, worker)\nserver exit()\nworker L = socket(v4)\n").scenario);
}
