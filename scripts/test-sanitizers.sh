#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The sanitizer builds (issue 11, item 7), a second documented command next to scripts/test.sh:
#   asan: AddressSanitizer + UBSan (CMakePresets.json "asan", build-asan/), the whole test suite;
#   tsan: ThreadSanitizer ("tsan", build-tsan/), the core, lab and model tests (tests/core: parser, model, the
#         lab through the real sockscope-lab, the parent's lab client, the observers) and the window's runner
#         (ui.test_labworker, ui.test_threadcheck) against the distribution's Qt, with the suppressions of
#         tests/sanitizers/tsan.supp (races inside Qt's own libraries, whose futex locking TSan cannot see).
# Under TSan, unshare(CLONE_NEWUSER) fails with EINVAL (the runtime starts a thread, and a multi-threaded process
# cannot take a user namespace), so the TSan suite runs inside `unshare -Urn` (util-linux, not instrumented):
# there the lab and the observer tests are root in a user namespace and take their network namespaces alone,
# with the same checks as ever; nothing is skipped.
# Usage: scripts/test-sanitizers.sh [asan|tsan|all] [CTEST_REGEX]   (default all; the regex narrows the asan run;
#        SOCKSCOPE_JOBS=N, default 2, the build and ctest parallelism). Figures of the last runs: docs/reliability.md.
set -u
cd "$(dirname "$0")/.."
which="${1:-all}"; regex="${2:-}"
jobs="${SOCKSCOPE_JOBS:-2}"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
rc=0

configure() { # preset
    [ -f "build-$1/CMakeCache.txt" ] || cmake --preset "$1" "${launcher[@]}" -DSOCKSCOPE_BENCH=OFF >/dev/null
}

if [ "$which" = asan ] || [ "$which" = all ]; then
    configure asan
    cmake --build build-asan -j"$jobs" || exit 2
    # Leaks are reported by the tests' own checks (fds, children, RSS); LeakSanitizer's exit-time report on Qt's
    # and fontconfig's caches is noise. Any ASan or UBSan error ends the test that hit it.
    (cd build-asan && ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        QT_QPA_PLATFORM=offscreen ctest -j"$jobs" --timeout 900 --output-on-failure ${regex:+-R "$regex"}) || rc=1
fi

if [ "$which" = tsan ] || [ "$which" = all ]; then
    configure tsan
    # Only what these tests run: the lab runner, the core tests and, with the GUI, the two runner tests, which
    # link ui/model/ alone (tests/ui/CMakeLists.txt), so no view is compiled with TSan.
    targets="sockscope-lab $(for f in tests/core/test_*.cpp; do printf 'core_%s ' "$(basename "$f" .cpp)"; done)"
    grep -q 'SOCKSCOPE_GUI:BOOL=ON' build-tsan/CMakeCache.txt && targets="$targets ui_test_labworker ui_test_threadcheck"
    cmake --build build-tsan -j"$jobs" --target $targets || exit 2
    # The namespace's lo is up, as on a host: the host-fallback test (Lab.HostFallbackSaysSo) runs there.
    # The window's runner tests use the distribution's Qt, whose own locking TSan cannot see: the suppressions
    # (tests/sanitizers/tsan.supp) cover races inside Qt's libraries only.
    supp="$PWD/tests/sanitizers/tsan.supp"
    opts="halt_on_error=1:second_deadlock_stack=1:suppressions=$supp"
    (cd build-tsan && TSAN_OPTIONS="$opts" QT_QPA_PLATFORM=offscreen \
        unshare -Urn sh -c 'ip link set lo up && exec ctest -j"$0" --timeout 900 --output-on-failure -R "$1"' \
        "$jobs" '^core\.test_') || rc=1
    # The runner tests also call into the distribution's Qt and GLib (its event loop), which are not instrumented:
    # their system calls (the event loop's wake-up eventfd) are left out of TSan's view
    # (ignore_noninstrumented_modules); sockscope's own code, instrumented, is watched as in the core tests.
    if grep -q 'SOCKSCOPE_GUI:BOOL=ON' build-tsan/CMakeCache.txt; then
        (cd build-tsan && TSAN_OPTIONS="$opts:ignore_noninstrumented_modules=1" QT_QPA_PLATFORM=offscreen \
            unshare -Urn ctest -j"$jobs" --timeout 900 --output-on-failure -R '^ui\.test_(labworker|threadcheck)$') || rc=1
    fi
fi
exit "$rc"
