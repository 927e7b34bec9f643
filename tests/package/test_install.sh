#!/usr/bin/env bash
# cmake --install into a DESTDIR, as a distribution's package build does: every file in place,
# desktop-file-validate and appstreamcli validate pass, and the installed program (with no runner beside it)
# finds its lab runner in libexec and names the installed docs. Usage: test_install.sh BUILD_DIR SOURCE_DIR
set -u
build="$1"; src="$2"
source "$src/tests/cli/lib.sh"
dest="$tmp/dest"; prefix=/usr; root="$dest$prefix"

expect_rc 0 "cmake --install" env DESTDIR="$dest" cmake --install "$build" --prefix "$prefix" --strip
for f in bin/sockscope libexec/sockscope/sockscope-lab share/applications/org.sockscope.sockscope.desktop \
    share/icons/hicolor/scalable/apps/org.sockscope.sockscope.svg share/metainfo/org.sockscope.sockscope.metainfo.xml \
    share/mime/packages/org.sockscope.sockscope.xml share/man/man1/sockscope.1.gz \
    share/bash-completion/completions/sockscope share/doc/sockscope/COPYING share/doc/sockscope/copyright \
    share/doc/sockscope/changelog.gz share/doc/sockscope/scenario-format.md share/doc/sockscope/export.md; do
    [ -s "$root/$f" ] && ok || fail "$prefix/$f is not installed"
done
[ ! -e "$root/bin/sockscope-lab" ] && ok || fail "the lab runner is in bin/, not libexec/"
cmp -s "$root/share/doc/sockscope/COPYING" "$src/COPYING" && ok || fail "installed COPYING differs"
if command -v readelf >/dev/null; then
    for b in bin/sockscope libexec/sockscope/sockscope-lab; do
        readelf -S "$root/$b" | grep -q '\.debug_info' && fail "$b is not stripped" || ok
    done
fi

# The validators are part of the check: a missing one is a failure, not a skip.
if command -v desktop-file-validate >/dev/null; then
    expect_rc 0 "desktop-file-validate" desktop-file-validate "$root/share/applications/org.sockscope.sockscope.desktop"
    [ ! -s "$tmp/out" ] && ok || { fail "desktop-file-validate has remarks"; cat "$tmp/out"; }
else
    fail "desktop-file-validate is missing (apt-get install desktop-file-utils; scripts/setup.sh installs it)"
fi
if command -v appstreamcli >/dev/null; then
    expect_rc 0 "appstreamcli validate" appstreamcli validate --no-net --pedantic \
        "$root/share/metainfo/org.sockscope.sockscope.metainfo.xml"
    grep -qE '^[EWIP]:' "$tmp/out" && { fail "appstreamcli has remarks"; cat "$tmp/out"; } || ok
else
    fail "appstreamcli is missing (apt-get install appstream; scripts/setup.sh installs it)"
fi
grep -q '^Exec=sockscope open %f$' "$root/share/applications/org.sockscope.sockscope.desktop" && ok ||
    fail "the desktop entry does not open a file it is given"
for t in text/x-sockscope-scenario application/x-sockscope-run; do
    grep -q "^MimeType=.*$t;" "$root/share/applications/org.sockscope.sockscope.desktop" && ok ||
        fail "the desktop entry does not open $t"
    grep -q "mime-type type=\"$t\"" "$root/share/mime/packages/org.sockscope.sockscope.xml" && ok ||
        fail "the MIME package does not define $t"
done
if command -v xmllint >/dev/null; then
    expect_rc 0 "the MIME package is well-formed XML" xmllint --noout "$root/share/mime/packages/org.sockscope.sockscope.xml"
fi
expect_rc 0 "the man page is gzip" gzip -t "$root/share/man/man1/sockscope.1.gz"
expect_rc 0 "the completion is valid bash" bash -n "$root/share/bash-completion/completions/sockscope"

# The installed program, away from the build tree: the runner from ../libexec/sockscope, the docs installed.
expect_rc 0 "installed --help" "$root/bin/sockscope" --help
expect_grep "$root/share/doc/sockscope/export.md" "$tmp/out" "--help names the installed docs"
expect_rc 0 "installed show" "$root/bin/sockscope" show three-way-handshake
expect_grep "^title: " "$tmp/out" "show prints the source"
expect_rc 0 "installed run finds its runner in libexec" "$root/bin/sockscope" run three-way-handshake
expect_grep "SYN" "$tmp/out" "the installed run captured the handshake"
mv "$root/libexec/sockscope/sockscope-lab" "$tmp/lab"
expect_rc 2 "without its runner the run fails (a fault of the tool: exit 2)" "$root/bin/sockscope" run three-way-handshake
expect_grep "the lab failed: .*libexec/sockscope/sockscope-lab" "$tmp/err" "the failure names the runner's path on stderr"

# A double-click in a file manager: the MIME database says what a .scn is, the desktop entry says who opens it
# (gio open is what GNOME's Files does), and the window comes up on that file.
if command -v xvfb-run >/dev/null && command -v gio >/dev/null && command -v xdotool >/dev/null &&
    command -v update-mime-database >/dev/null && command -v update-desktop-database >/dev/null; then
    mv "$tmp/lab" "$root/libexec/sockscope/sockscope-lab"
    update-mime-database "$root/share/mime" && update-desktop-database "$root/share/applications" 2>/dev/null
    cp "$src/resources/scenarios/half-close.scn" "$tmp/lesson.scn"
    "$root/bin/sockscope" export half-close -o "$tmp/lesson.sockrun" 2>/dev/null
    cat >"$tmp/double-click.sh" <<EOS
export XDG_DATA_DIRS="$root/share:/usr/share" XDG_DATA_HOME="$tmp/xdg" XDG_CONFIG_HOME="$tmp/xdg" PATH="$root/bin:\$PATH"
unset QT_QPA_PLATFORM
for f in "$tmp/lesson.scn" "$tmp/lesson.sockrun"; do
    gio info -a standard::content-type "\$f" | sed -n 's/.*content-type: //p'
    gio mime "\$(gio info -a standard::content-type "\$f" | sed -n 's/.*content-type: //p')" | head -n 1
done
gio open "$tmp/lesson.scn"
for i in \$(seq 1 60); do
    w=\$(xdotool search --name "^lesson — sockscope\$" 2>/dev/null | head -n 1)
    [ -n "\$w" ] && break
    sleep 0.5
done
[ -n "\$w" ] && echo "window: \$(xdotool getwindowname \$w)" && kill \$(xdotool getwindowpid \$w)
EOS
    timeout 120 xvfb-run -a bash "$tmp/double-click.sh" >"$tmp/dc" 2>&1
    expect_grep "^text/x-sockscope-scenario$" "$tmp/dc" "a .scn is text/x-sockscope-scenario"
    expect_grep "^application/x-sockscope-run$" "$tmp/dc" "a .sockrun is application/x-sockscope-run"
    [ "$(grep -c 'Default application for .*org.sockscope.sockscope.desktop' "$tmp/dc")" -eq 2 ] && ok ||
        { fail "sockscope is not the default application of both types"; cat "$tmp/dc"; }
    expect_grep "^window: lesson — sockscope$" "$tmp/dc" "gio open lesson.scn opens the window on it"
else
    fail "xvfb-run, gio, xdotool or shared-mime-info/desktop-file-utils is missing (scripts/setup.sh installs them)"
fi

echo "install: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
