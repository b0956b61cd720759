# Helpers for end-to-end tests written in sh; each prints TAP.
#   check "what" cmd...          passes when cmd exits 0
#   check_fail "what" cmd...     passes when cmd exits non-zero
#   check_grep "what" PATTERN FILE
n=0
_ok() { n=$((n + 1)); echo "ok $n - $1"; }
_notok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() {
    what=$1; shift
    if "$@" > "$HGQ_TMP/e2e.out" 2>&1; then _ok "$what"; else _notok "$what"; sed 's/^/# /' "$HGQ_TMP/e2e.out" | head -n 20; fi
}
check_fail() {
    what=$1; shift
    if "$@" > "$HGQ_TMP/e2e.out" 2>&1; then _notok "$what"; sed 's/^/# /' "$HGQ_TMP/e2e.out" | head -n 20; else _ok "$what"; fi
}
check_grep() {
    if grep -q -- "$2" "$3"; then _ok "$1"; else _notok "$1"; echo "# pattern '$2' not in $3:"; head -n 20 "$3" | sed 's/^/# /'; fi
}
done_testing() { echo "1..$n"; }
