#!/bin/sh
# Runs the whole suite against the build in $1 (default: build): the C unit
# tests, the Lua tests (busted, run by the hgq command), and the end-to-end
# tests of the hgq command. Every part prints TAP; this script counts it and
# ends with "N passed, N failed".
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
BUILD=$(cd "$BUILD" && pwd)
export HGQ_SHARED="${HGQ_SHARED:-$(cd "$ROOT/.." && pwd)/shared}"
export HGQ_TEST_DATA="$ROOT/tests/data"
export HGQ="$BUILD/hgq"
export HGQ_BUILD="$BUILD"
export HGQ_TMP="$(mktemp -d "${TMPDIR:-/tmp}/hgq-test.XXXXXX")"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
LOG="$BUILD/test.log"
: > "$LOG"
passed=0
failed=0

# run_tap NAME CMD...: runs one test program, shows its failures, counts its TAP.
run_tap() {
    name=$1
    shift
    out="$HGQ_TMP/out.tap"
    "$@" > "$out" 2>&1
    rc=$?
    cat "$out" >> "$LOG"
    p=$(grep -c '^ok ' "$out")
    f=$(grep -c '^not ok ' "$out")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        # crashed or failed outside a test: count it as one failure
        f=1
        echo "not ok - $name exited with status $rc" >> "$LOG"
        echo "FAIL $name: exited with status $rc"
        tail -n 30 "$out" | sed 's/^/    /'
    elif [ "$f" -gt 0 ]; then
        echo "FAIL $name: $f failed"
        grep -B2 -A12 '^not ok ' "$out" | sed 's/^/    /' | head -n 80
    else
        echo "ok   $name: $p passed"
    fi
    passed=$((passed + p))
    failed=$((failed + f))
}

for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    run_tap "c/$(basename "$t")" "$t"
done

if ls tests/lua/*_spec.lua >/dev/null 2>&1; then
    for spec in tests/lua/*_spec.lua; do
        run_tap "lua/$(basename "$spec")" "$HGQ" run /usr/bin/busted -o TAP "$spec"
    done
fi

for t in tests/e2e/*.sh; do
    [ -f "$t" ] || continue
    [ "$(basename "$t")" = lib.sh ] && continue
    run_tap "e2e/$(basename "$t")" sh "$t"
done

rm -rf "$HGQ_TMP"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
