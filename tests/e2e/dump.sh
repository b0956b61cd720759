# hgq dump: every corpus file in every format, exact cells of known files,
# and one-line failures for files it cannot read.
. tests/e2e/lib.sh
out=$HGQ_TMP/dump
mkdir -p "$out"
corpus=${HGQ_SHARED:-../shared}/corpus/calamine
data=${HGQ_TEST_DATA:-tests/data}/xlsx

# exit_is WHAT CODE CMD...: passes when CMD exits with CODE and, on failure,
# prints exactly one line on stderr.
exit_is() {
    what=$1 want=$2
    shift 2
    "$@" > "$out/x.out" 2> "$out/x.err"
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        _notok "$what (exit $rc, want $want)"
        head -n 5 "$out/x.err" | sed 's/^/# /'
    elif [ "$want" -ne 0 ] && [ "$(wc -l < "$out/x.err")" -ne 1 ]; then
        _notok "$what (stderr is not one line)"
        head -n 5 "$out/x.err" | sed 's/^/# /'
    else
        _ok "$what"
    fi
}

# Every corpus file, every format: success, or a one-line message; never a
# crash or a sanitizer report.
for f in "$corpus"/*.xlsx; do
    name=$(basename "$f")
    for fmt in csv tsv jsonl; do
        "$HGQ" dump "$f" --format "$fmt" --formulas > "$out/c.out" 2> "$out/c.err"
        rc=$?
        if grep -qE 'Sanitizer|runtime error|Segmentation|stack traceback' "$out/c.err"; then
            _notok "$name ($fmt): no crash or sanitizer report"
            head -n 10 "$out/c.err" | sed 's/^/# /'
        elif [ "$rc" -eq 0 ] && [ -s "$out/c.err" ]; then
            _notok "$name ($fmt): silent on success"
        elif [ "$rc" -ne 0 ] && ! { [ "$(wc -l < "$out/c.err")" -eq 1 ] && grep -q '^hgq dump: .*'"$name" "$out/c.err"; }; then
            _notok "$name ($fmt): fails with one line naming the file"
            head -n 5 "$out/c.err" | sed 's/^/# /'
        else
            _ok "$name ($fmt): read or failed cleanly"
        fi
    done
done

# Exact cells
"$HGQ" dump "$corpus/errors.xlsx" --sheet Feuil1 --format jsonl > "$out/errors.jsonl"
check_grep "errors: #N/A is an error cell" '^{"sheet":"Feuil1","cell":"A7","type":"e","value":"#N/A"}$' "$out/errors.jsonl"
check_grep "errors: #DIV/0! is an error cell" '^{"sheet":"Feuil1","cell":"A1","type":"e","value":"#DIV/0!"}$' "$out/errors.jsonl"
"$HGQ" dump "$corpus/errors.xlsx" --sheet Feuil1 --format jsonl --formulas > "$out/errors-f.jsonl"
check_grep "errors: --formulas adds the formula" '"cell":"A6","type":"e","value":"#NUM!","formula":"SQRT(-4)"}$' "$out/errors-f.jsonl"
"$HGQ" dump "$corpus/date_1904.xlsx" --format jsonl > "$out/d1904.jsonl"
check_grep "1904 dates come out as ISO 8601" '^{"sheet":"Sheet1","cell":"A1","type":"d","value":"2021-01-01T00:00:00"}$' "$out/d1904.jsonl"
check_grep "numbers are JSON numbers" '^{"sheet":"Sheet1","cell":"B1","type":"n","value":15}$' "$out/d1904.jsonl"
"$HGQ" dump "$corpus/issues.xlsx" --sheet datatypes --format jsonl > "$out/issues.jsonl"
check_grep "booleans are JSON booleans" '^{"sheet":"datatypes","cell":"A4","type":"b","value":false}$' "$out/issues.jsonl"
check_grep "floats keep their digits" '^{"sheet":"datatypes","cell":"A2","type":"n","value":1.5}$' "$out/issues.jsonl"
"$HGQ" dump "$corpus/has_x000D_.xlsx" --format jsonl > "$out/x000d.jsonl"
check_grep "_x000D_ and line breaks are JSON-escaped" '"value":"ABC\\r\\nDEF"}$' "$out/x000d.jsonl"
"$HGQ" dump "$corpus/issue_530.xlsx" --format jsonl > "$out/cn.jsonl"
check_grep "UTF-8 passes through" '^{"sheet":"出勤分类组织汇总表","cell":"B1","type":"s","value":"于国栋"}$' "$out/cn.jsonl"

"$HGQ" dump "$data/basic.xlsx" > "$out/basic.csv"
check_grep "csv: a row, numbers, dates and booleans" '^张三,18,2025-09-01T00:00:00,TRUE,1.5$' "$out/basic.csv"
check_grep "csv: quoting by RFC 4180" '^"李四, ""小李""",19,2024-02-29T08:30:00,FALSE,#N/A$' "$out/basic.csv"
check_grep "csv: a line per sheet when there are several" '^# sheet: 隐藏$' "$out/basic.csv"
check_grep "csv: empty cells keep the columns in place" '^,hidden$' "$out/basic.csv"
"$HGQ" dump "$data/basic.xlsx" --sheet 学生名册 --format tsv > "$out/basic.tsv"
check_grep "tsv: tabs and line breaks escaped" '^	tab\\there\\r\\nnew				-0.25$' "$out/basic.tsv"
check "tsv: one sheet has no sheet line" sh -c '! grep -q "^# sheet" "$1"' - "$out/basic.tsv"
check "tsv: an empty row stays as an empty line" sh -c 'sed -n 4p "$1" | grep -q "^$"' - "$out/basic.tsv"
"$HGQ" dump "$data/basic.xlsx" --sheet 2 --format csv > "$out/sheet2.csv"
check "--sheet takes a 1-based number" sh -c 'test "$(cat "$1")" = "$(printf "\n,hidden")"' - "$out/sheet2.csv"

printf '姓名,年龄\n张三,18\n' > "$out/名单.csv"
"$HGQ" dump "$out/名单.csv" --format jsonl > "$out/csvin.jsonl"
check_grep "a CSV file is read as one sheet named after it" '^{"sheet":"名单","cell":"A2","type":"s","value":"张三"}$' "$out/csvin.jsonl"

# Failures
exit_is "a missing file exits 1 with one line" 1 "$HGQ" dump "$out/nope.xlsx"
check_grep "the message names the file" "nope.xlsx" "$out/x.err"
exit_is "an encrypted workbook exits 1 with one line" 1 "$HGQ" dump "$corpus/pass_protected.xlsx"
check_grep "the message says it is encrypted" "encrypted" "$out/x.err"
exit_is "a bad cell reference exits 1 with one line" 1 "$HGQ" dump "$data/bad_ref.xlsx"
check_grep "the message names sheet and cell" "sheet 'Sheet1' cell A2" "$out/x.err"
exit_is "a zip bomb exits 1 with one line" 1 "$HGQ" dump "$data/bomb.xlsx" --format jsonl
check_grep "the message says why" "HGQ_ELIMIT" "$out/x.err"
exit_is "an unknown sheet exits 1 with one line" 1 "$HGQ" dump "$data/basic.xlsx" --sheet nope
check_grep "the message lists the sheets" "学生名册" "$out/x.err"
exit_is "an unknown format is a usage error" 2 "$HGQ" dump "$data/basic.xlsx" --format xml
exit_is "no file is a usage error" 2 "$HGQ" dump

done_testing
