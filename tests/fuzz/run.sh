#!/bin/sh
# Builds every tests/fuzz/fuzz_*.c as a libFuzzer target (clang, with ASan and
# UBSan) against libhgq's sources, then runs each target in turn for N
# seconds (default 60) from its seed corpus tests/fuzz/corpus/<target>/.
#
#   sh tests/fuzz/run.sh [SECONDS]          every target
#   sh tests/fuzz/run.sh SECONDS fuzz_xlsx  only the targets named
#
# Objects and binaries go to build-fuzz/ (override with FUZZ_BUILD), apart
# from the normal build. The seed corpus in the repository is only read: new
# inputs go to build-fuzz/corpus/<target>/, which keeps growing from one run
# to the next. Crashes, leaks, timeouts and out-of-memory inputs
# are saved under build-fuzz/crashes/<target>/; the script then exits 1.
# Keep each input found there as a regression test: tests/data/regress/.
#
# Targets run one at a time (-jobs is not used) so that the machine stays
# usable by others; FUZZ_FLAGS adds libFuzzer options to every run.
set -u
secs=${1:-60}
[ $# -gt 0 ] && shift
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
OUT=${FUZZ_BUILD:-build-fuzz}

CC_FUZZ=${CC_FUZZ:-}
if [ -z "$CC_FUZZ" ]; then
    for c in clang-14 clang; do
        if command -v "$c" >/dev/null 2>&1; then CC_FUZZ=$c; break; fi
    done
fi
# can_fuzz CC: CC links a libFuzzer target.
can_fuzz() {
    printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return 0; }\n' |
        "$1" -fsanitize=fuzzer,address,undefined -x c - -o /dev/null >/dev/null 2>&1
}
if [ -z "$CC_FUZZ" ] || ! can_fuzz "$CC_FUZZ"; then
    echo "installing clang for libFuzzer"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -qq || exit 2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        clang-14 libclang-rt-14-dev >/dev/null || exit 2
    CC_FUZZ=clang-14
fi

DEP_CFLAGS=$(pkg-config --cflags expat minizip zlib xlsxwriter lua5.4)
DEP_LIBS="$(pkg-config --libs expat minizip zlib xlsxwriter) -lm -pthread"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-std=c11 -g -O1 -Wall -Wextra -Wno-unused-parameter -Wno-format-zero-length $SAN $DEP_CFLAGS
 -Ilibhgq/include -Ilibhgq/src -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
 -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -DHGQ_DATADIR=\"$ROOT/libhgq/data\""

mkdir -p "$OUT/obj" "$OUT/bin" "$OUT/corpus" "$OUT/crashes" "$OUT/logs"

# libhgq, instrumented for coverage (fuzzer-no-link: no main of libFuzzer).
objs=""
for src in libhgq/src/*.c; do
    o="$OUT/obj/$(basename "$src" .c).o"
    if [ ! -f "$o" ] || [ "$src" -nt "$o" ] || [ -n "$(find libhgq/include libhgq/src -name '*.h' -newer "$o" 2>/dev/null | head -n 1)" ]; then
        # shellcheck disable=SC2086
        $CC_FUZZ $CFLAGS -fsanitize=fuzzer-no-link -c "$src" -o "$o" || exit 2
    fi
    objs="$objs $o"
done

targets=""
if [ $# -gt 0 ]; then
    targets="$*"
else
    for f in tests/fuzz/fuzz_*.c; do
        [ -f "$f" ] && targets="$targets $(basename "$f" .c)"
    done
fi

# Per-target input size: a workbook up to 256 KB; text inputs smaller.
max_len() {
    case $1 in
    fuzz_xlsx | fuzz_import) echo 262144 ;;
    fuzz_csv) echo 65536 ;;
    fuzz_sheetpar) echo 32768 ;;
    *) echo 4096 ;;
    esac
}

failed=0
for t in $targets; do
    src=tests/fuzz/$t.c
    [ -f "$src" ] || { echo "no such target: $src"; failed=1; continue; }
    bin="$OUT/bin/$t"
    # shellcheck disable=SC2086
    if ! $CC_FUZZ $CFLAGS -fsanitize=fuzzer -o "$bin" "$src" $objs $DEP_LIBS; then
        echo "FUZZ $t: does not build"
        failed=1
        continue
    fi
    work="$OUT/corpus/$t"
    crashes="$OUT/crashes/$t"
    mkdir -p "$work" "$crashes"
    seeds=""
    [ -d "tests/fuzz/corpus/$t" ] && seeds="tests/fuzz/corpus/$t"
    dict=""
    for d in "tests/fuzz/corpus/$t.dict" "tests/fuzz/${t#fuzz_}.dict"; do
        [ -f "$d" ] && { dict="-dict=$d"; break; }
    done
    log="$OUT/logs/$t.log"
    stamp="$OUT/logs/$t.stamp"
    touch "$stamp"
    echo "FUZZ $t: $secs s, max_len $(max_len "$t")"
    # The working corpus comes first: new inputs are written there only.
    # shellcheck disable=SC2086
    "$bin" "$work" $seeds $dict \
        -max_total_time="$secs" -max_len="$(max_len "$t")" \
        -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$crashes/" ${FUZZ_FLAGS:-} > "$log" 2>&1
    rc=$?
    # Last status line (executions, coverage) and the final stats.
    grep -E '^#[0-9]+' "$log" | tail -n 1 | sed "s/^/    /"
    grep -E '^stat::(number_of_executed_units|peak_rss_mb|new_units_added)' "$log" | sed "s/^/    /"
    found=$(find "$crashes" -type f -newer "$stamp" | head -n 5)
    if [ "$rc" -ne 0 ] || [ -n "$found" ]; then
        echo "FUZZ $t: FAILED (exit $rc), see $log and $crashes/"
        grep -E 'ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error|SUMMARY|contract broken' "$log" | head -n 5 | sed "s/^/    /"
        echo "$found" | sed "s/^/    input: /"
        failed=1
    fi
done
[ "$failed" -eq 0 ] && echo "fuzz: every target ran clean"
exit "$failed"
