#!/bin/sh
# Builds the benchmark programs of tests/bench/ against a build's libhgq.a,
# into BUILD/bench/. A program is rebuilt when it is missing or older than
# its source, the shared headers or libhgq.a.
#
#   sh tests/bench/build.sh BUILD
#
# When BUILD's libhgq.a was built with AddressSanitizer (make SAN=1), the
# programs are built with -fsanitize=address,undefined as well: they must
# link against it, and they are then checked by the sanitizers too.
set -e
BUILD=${1:?usage: build.sh BUILD}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SRC=$ROOT/tests/bench
LIB=$BUILD/libhgq.a
CC=${CC:-cc}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}

[ -f "$LIB" ] || { echo "build.sh: $LIB not found (run make first)" >&2; exit 1; }
if nm "$LIB" 2>/dev/null | grep -q '__asan_'; then
    SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
    OPT="-O1 -g"
else
    SANFLAGS=""
    OPT="-O2 -g"
fi
CFLAGS="$OPT -std=c11 -Wall -Wextra -Wno-unused-parameter -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
$SANFLAGS -I$ROOT/libhgq/include -I$ROOT/libhgq/src -I$SRC $($PKG_CONFIG --cflags expat minizip zlib xlsxwriter)"
LIBS="$($PKG_CONFIG --libs expat minizip zlib xlsxwriter) -lm -lpthread"

mkdir -p "$BUILD/bench"
for p in ${PROGRAMS:-measure gen import floor raw_write stats cores}; do
    out=$BUILD/bench/$p
    src=$SRC/$p.c
    if [ -x "$out" ] && [ "$out" -nt "$src" ] && [ "$out" -nt "$LIB" ] &&
       [ "$out" -nt "$SRC/bench.h" ] && [ "$out" -nt "$SRC/roster.h" ]; then
        continue
    fi
    # shellcheck disable=SC2086
    $CC $CFLAGS -o "$out" "$src" "$LIB" $LIBS
done
