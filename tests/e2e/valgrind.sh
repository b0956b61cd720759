# The hgq command under valgrind memcheck: no invalid access, no use of
# uninitialised memory, no definite or indirect leak - on files that read
# cleanly, on files that fail (error paths leak most often), and on the
# whole report when scripts/report.lua exists.
# Runs in the normal build only (valgrind cannot run ASan binaries): the
# sanitized pass emits no test.
. tests/e2e/lib.sh
case $(basename "${HGQ_BUILD:-build}") in
*san*) done_testing; exit 0 ;;
esac

vg=$HGQ_TMP/valgrind
mkdir -p "$vg"
if ! command -v valgrind > /dev/null 2>&1; then
    _notok "valgrind is installed (tests/deps.sh installs it)"
    done_testing
    exit 1
fi

# memcheck WHAT EXPECT CMD...: runs CMD under valgrind; EXPECT is "ok" when
# the command itself must succeed, "fail" when it must fail cleanly. Either
# way valgrind must report no error (its summary is read from the log, so a
# failing command is told apart from a memory error).
k=0
memcheck() {
    what=$1 expect=$2
    shift 2
    k=$((k + 1))
    log=$vg/$k.log
    valgrind -q --error-exitcode=99 --leak-check=full \
        --errors-for-leak-kinds=definite,indirect --log-file="$log" \
        "$@" > "$vg/$k.out" 2>&1
    rc=$?
    if [ "$rc" -eq 99 ] || grep -q 'ERROR SUMMARY: [1-9]' "$log" ||
        grep -qE '(definitely|indirectly) lost: [1-9]' "$log"; then
        _notok "$what: valgrind finds no error"
        head -n 40 "$log" | sed 's/^/# /'
    elif [ "$expect" = ok ] && [ "$rc" -ne 0 ]; then
        _notok "$what: exits 0 under valgrind (got $rc)"
        tail -n 10 "$vg/$k.out" | sed 's/^/# /'
    elif [ "$expect" = fail ] && [ "$rc" -eq 0 ]; then
        _notok "$what: fails cleanly under valgrind (it succeeded)"
    else
        _ok "$what: valgrind finds no error"
    fi
}

S=$HGQ_SHARED/corpus/calamine
good="$S/merge_cells.xlsx $S/date_1904.xlsx $S/richtext-namespaced.xlsx $S/errors.xlsx"
for f in tests/data/csv/gbk.csv tests/data/csv/utf16le.csv tests/data/model/roster_messy.xlsx; do
    [ -f "$f" ] && good="$good $f"
done
bad=""
for f in tests/data/csv/bad_gbk.csv tests/data/csv/unterminated.csv; do
    [ -f "$f" ] && bad="$bad $f"
done

# A truncated workbook, for the error path.
head -c 3000 "$S/merge_cells.xlsx" > "$vg/truncated.xlsx"

memcheck "hgq --version" ok "$HGQ" --version
for f in $good; do
    memcheck "hgq dump $(basename "$f")" ok "$HGQ" dump "$f"
done
memcheck "hgq dump --format jsonl --formulas (all sheets)" ok \
    "$HGQ" dump --format jsonl --formulas "$S/formula.issue.xlsx"
memcheck "hgq dump of a truncated workbook" fail "$HGQ" dump "$vg/truncated.xlsx"
for f in $bad; do
    memcheck "hgq dump $(basename "$f") (bad input)" fail "$HGQ" dump "$f"
done

if [ -f scripts/report.lua ] && [ -d examples/hengyang-2025 ]; then
    memcheck "hgq report examples/hengyang-2025" ok \
        "$HGQ" report examples/hengyang-2025 -o "$HGQ_TMP/v.xlsx"
fi
done_testing
