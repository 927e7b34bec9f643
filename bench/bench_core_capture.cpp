// SPDX-License-Identifier: GPL-3.0-or-later
// Budget (DESIGN.md): packet capture with 0 drops at 100k segments/s. Two threads exchange small
// TCP_NODELAY messages on loopback in a private namespace, paced at a target segment rate, while the
// TPACKET_V2 ring captures; the capture's own count and drop counter are reported.
#include "benchutil.h"

#include "core/lab/netns.h"
#include "core/lab/packetcapture.h"

#include <arpa/inet.h>
#include <atomic>
#include <cstdio>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace sockscope;
using namespace sockscope::core;

namespace {

struct Pair
{
    int a = -1, b = -1;
};

Pair connectedPair()
{
    int l = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(5000);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    bind(l, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
    listen(l, 1);
    Pair p;
    p.a = socket(AF_INET, SOCK_STREAM, 0);
    connect(p.a, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
    p.b = accept(l, nullptr, nullptr);
    close(l);
    for (int fd : {p.a, p.b})
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return p;
}

// Ping-pong: every message is one data segment each way (ACKs piggyback), so two segments per round trip.
void measure(double targetPerSec, double seconds)
{
    std::string error;
    auto capture = PacketCapture::open(&error);
    if (!capture) {
        std::fprintf(stderr, "capture: %s\n", error.c_str());
        std::exit(1);
    }
    capture->start();
    Pair p = connectedPair();
    std::atomic<bool> stop{false};
    std::thread echo([&] {
        char buf[64];
        while (!stop) {
            ssize_t n = recv(p.b, buf, sizeof buf, 0);
            if (n <= 0)
                break;
            send(p.b, buf, static_cast<size_t>(n), 0);
        }
    });
    std::uint64_t exchanges = 0;
    double t0 = bench::nowMs();
    double end = t0 + seconds * 1000;
    char buf[64] = "x";
    for (double now = t0; now < end; now = bench::nowMs()) {
        // Pace: never get ahead of the target rate (2 segments per exchange).
        double due = t0 + static_cast<double>(exchanges) * 2 * 1000 / targetPerSec;
        if (targetPerSec > 0 && now < due)
            continue;
        send(p.a, buf, 1, 0);
        recv(p.a, buf, sizeof buf, 0);
        ++exchanges;
    }
    double elapsed = (bench::nowMs() - t0) / 1000;
    stop = true;
    shutdown(p.a, SHUT_RDWR);
    echo.join();
    close(p.a);
    close(p.b);
    capture->sync();
    std::uint64_t taken = capture->take().size();
    auto stats = capture->stats();
    std::printf("  target %8s/s: %9.0f segments/s sent, %9llu captured, %llu dropped\n",
                targetPerSec > 0 ? std::to_string(static_cast<int>(targetPerSec)).c_str() : "max",
                static_cast<double>(exchanges) * 2 / elapsed, static_cast<unsigned long long>(taken),
                static_cast<unsigned long long>(stats.drops));
}

} // namespace

int main()
{
    Isolation iso = enterPrivateNetns();
    if (!iso.netns) {
        std::fprintf(stderr, "bench_core_capture: no private namespace: %s\n", iso.note.c_str());
        return 1;
    }
    std::printf("packet capture (TPACKET_V2 ring on lo), 2 s per rate; budget: 0 drops at 100k segments/s\n");
    measure(100000, 2.0);
    measure(0, 2.0);
    return 0;
}
