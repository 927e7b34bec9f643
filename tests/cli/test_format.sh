#!/usr/bin/env bash
# The C++ sources follow the checked-in .clang-format. Usage: test_format.sh SOCKSCOPE SOURCE_DIR
set -u
src="$2"
cd "$src" || exit 1
if ! command -v clang-format >/dev/null; then
    echo "clang-format is not installed (scripts/setup.sh installs it)"; echo "0 passed, 1 failed"; exit 1
fi
passes=0; fails=0
while IFS= read -r f; do
    if clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then passes=$((passes+1)); else fails=$((fails+1)); echo "not formatted: $f (clang-format -i $f)"; fi
done < <(git ls-files 'core/*.cpp' 'core/*.h' 'app/*.cpp' 'app/*.h' 'ui/*.cpp' 'ui/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp' 'bench/*.h' 2>/dev/null || find core app ui tests bench -name '*.cpp' -o -name '*.h')
echo "format: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
