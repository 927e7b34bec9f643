#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Times `sockscope export` on the forged run shapes of forge_runs.py at two sizes, to show the cost grows
# linearly (4x the events, about 4x the time; a quadratic path shows about 16x).
# Usage: tests/fuzz/forged_timing.sh SOCKSCOPE [N] [FORMATS]   (default N=20000, formats "txt mermaid png")
set -u
bin="$1"; n="${2:-20000}"; formats="${3:-txt mermaid png}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
export QT_QPA_PLATFORM=offscreen
printf '%-12s %-8s %8s %10s %10s %7s\n' shape format MB "t(N/4) s" "t(N) s" ratio
for kind in sockets pending socketcalls blocked signals; do
    python3 "$here/forge_runs.py" "$kind" "$((n / 4))" "$tmp/small.sockrun"
    python3 "$here/forge_runs.py" "$kind" "$n" "$tmp/big.sockrun"
    mb=$(du -m "$tmp/big.sockrun" | cut -f1)
    for f in $formats; do
        times=()
        for size in small big; do
            s=$(date +%s.%N)
            timeout 600 "$bin" export "$tmp/$size.sockrun" --format "$f" -o "$tmp/out.$f" >/dev/null 2>&1 || echo "  ($kind $f $size: exit $?)"
            e=$(date +%s.%N)
            times+=("$(echo "$e - $s" | bc)")
        done
        printf '%-12s %-8s %8s %10.2f %10.2f %7.1f\n' "$kind" "$f" "$mb" "${times[0]}" "${times[1]}" \
            "$(echo "${times[1]} / (${times[0]} + 0.001)" | bc -l)"
    done
done
