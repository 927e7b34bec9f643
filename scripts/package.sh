#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian package build/sockscope_<version>_amd64.deb (stripped binaries, dependencies from
# dpkg-shlibdeps) with CPack, and checks it with lintian: any lintian error fails the script.
# Usage: scripts/package.sh [build-dir]     (prints the .deb's path last)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"

need=()
command -v lintian >/dev/null || need+=(lintian)
command -v dpkg-shlibdeps >/dev/null || need+=(dpkg-dev)
command -v fakeroot >/dev/null || need+=(fakeroot)
if [ "${#need[@]}" -gt 0 ]; then
    echo "sockscope: installing ${need[*]}" >&2
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

[ -f "$build/CMakeCache.txt" ] || cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake "$build" >/dev/null # picks up new files (install rules glob the docs)
cmake --build "$build" -j2 --target sockscope sockscope-lab
rm -f "$build"/sockscope_*.deb
(cd "$build" && cpack -G DEB --config CPackConfig.cmake >&2)
deb=$(ls "$build"/sockscope_*_amd64.deb)

echo "sockscope: lintian $deb" >&2
lintian --fail-on error --tag-display-limit 0 "$deb" >&2 || {
    echo "sockscope: lintian found errors in $deb" >&2
    exit 1
}
echo "$deb"
