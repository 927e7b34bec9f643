#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the .deb in a clean Debian 12 root made with debootstrap, as a new user would
# (apt-get install ./sockscope_*.deb), and uses the installed program there as an ordinary user: list, show,
# a scenario run, exports (PNG and pcapng), --help pointing at the installed docs, and the desktop files.
# The pristine root is cached as build/pkgtest/bookworm.tar (and apt's downloads in build/pkgtest/apt), so
# a second run downloads nothing but the package lists (about 4 minutes here on 2 busy cores, most of it
# CPack, lintian and dpkg unpacking Qt). Needs root (debootstrap, mounts).
# Usage: scripts/test-package.sh [DEB]     (default: build it with scripts/package.sh)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$here/build/pkgtest"
mirror="${SOCKSCOPE_MIRROR:-http://deb.debian.org/debian}"
mkdir -p "$work/apt"

if [ "$(id -u)" -ne 0 ]; then
    exec sudo --preserve-env=SOCKSCOPE_MIRROR "$0" "$@"
fi
command -v debootstrap >/dev/null || {
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
}

deb="${1:-}"
[ -n "$deb" ] || deb=$("$here/scripts/package.sh" | tail -n 1)
deb="$(realpath "$deb")"

tarball="$work/bookworm.tar"
if [ ! -f "$tarball" ]; then
    echo "sockscope: debootstrap bookworm (once; cached in $tarball)" >&2
    rm -rf "$work/fresh"
    debootstrap --variant=minbase bookworm "$work/fresh" "$mirror" >"$work/debootstrap.log" 2>&1 || {
        tail -n 20 "$work/debootstrap.log" >&2
        exit 1
    }
    tar -C "$work/fresh" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$work/fresh"
fi

root="$work/root"
rm -rf "$root"
mkdir -p "$root"
tar -C "$root" -xf "$tarball"
cp "$deb" "$root/tmp/"
# As a freshly installed Debian 12: the release, its updates and security.
security="${SOCKSCOPE_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s bookworm-security main\n' \
    "$mirror" "$mirror" "$security" >"$root/etc/apt/sources.list"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

# Runs a shell command inside the root. A pivot_root in a private mount namespace, not a plain chroot: the
# kernel refuses unshare(CLONE_NEWUSER) to a chrooted process, and the lab needs exactly that.
inroot() {
    unshare --mount --pid --fork --propagation private bash -c '
        set -e
        r="$1"; shift
        mount --bind "$r" "$r"
        mount --bind "$2" "$r/var/cache/apt/archives"
        mount -t proc proc "$r/proc"
        mount -t tmpfs tmpfs "$r/dev"
        for d in null zero full random urandom tty; do
            touch "$r/dev/$d"; mount --bind "/dev/$d" "$r/dev/$d"
        done
        mkdir -p "$r/dev/pts" "$r/dev/shm"
        mount -t tmpfs tmpfs "$r/dev/shm"
        cd "$r"
        mkdir -p .oldroot
        pivot_root . .oldroot
        umount -l /.oldroot
        rmdir /.oldroot
        exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 bash -c "$1"
    ' inroot "$root" "$1" "$work/apt"
}
# As an ordinary user, with a login environment.
asuser() {
    inroot "exec setpriv --reuid=student --regid=student --init-groups env HOME=/home/student USER=student \
        bash -c 'cd /home/student && $1'"
}

echo "sockscope: apt-get install ./$(basename "$deb") in a clean Debian 12" >&2
inroot "export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq /tmp/$(basename "$deb") >/tmp/apt.log 2>&1 || { tail -n 30 /tmp/apt.log; exit 1; }
    useradd --create-home --shell /bin/bash student"

fail=0
check() { # check DESCRIPTION COMMAND...: runs as the student; the output is kept for later checks
    local what="$1"
    shift
    if asuser "$*" >"$work/out.txt" 2>&1; then
        echo "ok   $what" >&2
    else
        echo "FAIL $what:" >&2
        sed 's/^/    /' "$work/out.txt" >&2
        fail=1
    fi
}

check "the program is in /usr/bin, the runner in /usr/libexec" \
    'test "$(command -v sockscope)" = /usr/bin/sockscope && test -x /usr/libexec/sockscope/sockscope-lab'
check "sockscope --version" 'sockscope --version | grep -q "^sockscope [0-9]"'
check "--help names the installed docs" 'sockscope --help | grep -q /usr/share/doc/sockscope/export.md'
check "sockscope list" 'sockscope list | grep -q "^close-unread-data "'
check "sockscope show" 'sockscope show close-unread-data > mine.scn && grep -q "^title: close() with unread data" mine.scn'
check "a shown scenario runs from its file" 'sockscope run mine.scn --host > /dev/null'

# A private user + network namespace needs a kernel that allows unprivileged user namespaces.
if asuser 'unshare -Urn true' >/dev/null 2>&1; then
    echo "note: user namespaces work inside the root: the scenario runs in a private network namespace" >&2
    check "sockscope run (private namespace)" \
        'sockscope run close-unread-data > run.log 2> run.err; rc=$?; cat run.log run.err;
         ! grep -q "host.s loopback" run.err && grep -q RST run.log && exit $rc'
else
    echo "note: no user namespace inside the root: the scenario runs with --host" >&2
    check "sockscope run --host" 'sockscope run close-unread-data --host > run.log; rc=$?; cat run.log; exit $rc'
fi
check "export PNG (offscreen, no display)" \
    'sockscope export close-unread-data -o figure.png 2>&1 && head -c 8 figure.png | od -An -c | grep -q "P   N   G"'
check "export pcapng" 'sockscope export close-unread-data -o run.pcapng && test -s run.pcapng'
check "export SVG from a saved run" \
    'sockscope export close-unread-data -o run.sockrun && sockscope export run.sockrun -o run.svg && grep -q "<svg" run.svg'
check "desktop entry, icon, metainfo, MIME type, man page, completion, licence" \
    'for f in /usr/share/applications/org.sockscope.sockscope.desktop \
        /usr/share/icons/hicolor/scalable/apps/org.sockscope.sockscope.svg \
        /usr/share/metainfo/org.sockscope.sockscope.metainfo.xml /usr/share/mime/packages/org.sockscope.sockscope.xml \
        /usr/share/man/man1/sockscope.1.gz /usr/share/bash-completion/completions/sockscope \
        /usr/share/doc/sockscope/copyright /usr/share/doc/sockscope/COPYING /usr/share/doc/sockscope/scenario-format.md; do
        test -s $f || { echo missing $f; exit 1; }; done'
check "stripped binaries" \
    'for b in /usr/bin/sockscope /usr/libexec/sockscope/sockscope-lab; do
        ! grep -q "\.debug_info" $b || { echo $b has debug info; exit 1; }; done'

if [ "$fail" -eq 0 ]; then
    echo "sockscope: the installed package works" >&2
    rm -rf "$root" # kept only when something failed, to look into
fi
exit "$fail"
