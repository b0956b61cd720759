# hgq report on the example school: the workbook's figures against the
# school's published 2025 report, the findings it must list, exit codes,
# and that a failed run leaves an earlier workbook untouched.
. tests/e2e/lib.sh
out=$HGQ_TMP/report
mkdir -p "$out"
ex=examples/hengyang-2025

# The committed inputs are what the generator makes.
mkdir -p "$out/gen"
check "generate.lua runs" "$HGQ" run "$ex/generate.lua" "$out/gen"
for f in "$ex"/*.xlsx "$ex"/*.csv; do
    check "committed $(basename "$f") is what generate.lua makes" cmp "$f" "$out/gen/$(basename "$f")"
done
check "社会培训.csv is GB18030, not UTF-8" sh -c "! iconv -f UTF-8 -t UTF-8 '$ex/社会培训.csv' >/dev/null 2>&1"

"$HGQ" report "$ex" -o "$out/r.xlsx" > "$out/stdout.txt" 2> "$out/stderr.txt"
rc=$?
check "hgq report exits 0 on the example" test "$rc" -eq 0
check "the workbook was written" test -s "$out/r.xlsx"
check "the Markdown summary was written beside it" test -s "$out/r.md"
check_grep "the summary names the output" "已写入 $out/r.xlsx" "$out/stdout.txt"
check_grep "the summary counts findings by severity" "问题 [0-9]* 个：错误 12，" "$out/stdout.txt"
check_grep "the summary names the indicator not met" "未达标指标 1 个：职业培训人次" "$out/stdout.txt"
check_grep "it says how it recognised the roster" "学生花名册.xlsx \[学生花名册\] -> 名册 student" "$out/stdout.txt"
check_grep "the Markdown gives 表2 in a sentence" "2025 年招生人数为 549 人，其中机械、电工电子类 363 人，信息类 90 人，财经商贸类 96 人。" "$out/r.md"
check_grep "the Markdown gives the graduates" "2024 年毕业人数为 188 人，其中就业人数为 132 人，升学人数为 56 人" "$out/r.md"
check_grep "the Markdown gives the 职教高考班 rate" "升学率达 96%" "$out/r.md"
check "no progress on stderr when it is not a terminal" test ! -s "$out/stderr.txt"

# The figures, read back with libhgq's reader.
"$HGQ" run tests/data/report/check_report.lua "$out/r.xlsx" > "$out/checks.txt" 2>&1
while IFS='|' read -r status what detail; do
    case $status in
    PASS) _ok "$what" ;;
    FAIL) _notok "$what"; echo "#   $detail" ;;
    *) _notok "check_report.lua: $status $what $detail" ;;
    esac
done < "$out/checks.txt"
check "check_report.lua ran its checks" grep -q '^PASS|' "$out/checks.txt"

# Recognition without the manifest: headers and titles are enough.
mkdir -p "$out/nomanifest-2025"
cp "$ex"/*.xlsx "$ex"/*.csv "$out/nomanifest-2025/"
"$HGQ" report "$out/nomanifest-2025" -o "$out/n.xlsx" --as-of 2025-09-01 > "$out/n.txt" 2>&1
check "without a manifest hgq report still succeeds" test -s "$out/n.xlsx"
check_grep "the roster is recognised by its header" "学生花名册.xlsx \[学生花名册\] -> 名册 student（学生）（依据表头" "$out/n.txt"
check_grep "the staff roster's two-row header is recognised" "教职工名册.xlsx \[在职教职工\] -> 名册 staff" "$out/n.txt"
check_grep "the GBK CSV is recognised" "社会培训.csv \[社会培训\] -> 名册 training" "$out/n.txt"
check_grep "the published 表3 is recognised by its title" "\[表3\] -> 已公布表格 pub_teachers（依据标题）" "$out/n.txt"
check_grep "the year is taken from the folder's name" "未达标指标 1 个：职业培训人次" "$out/n.txt"

# 表4 against a partner roster that differs from it: the findings, kept by the
# dataset, name the published cell and the roster's.
mkdir -p "$out/partners-2025"
cp "$ex"/*.xlsx "$ex"/*.csv "$out/partners-2025/"
rm "$out/partners-2025/合作企业.xlsx"
check "a partner roster without 光宝通信 and with other majors for 华拓金服" \
    "$HGQ" run tests/data/report/partners.lua roster "$ex/合作企业.xlsx" "$out/partners-2025/合作企业.csv"
"$HGQ" report "$out/partners-2025" -o "$out/p.xlsx" --as-of 2025-09-01 > "$out/p.txt" 2>&1
check "the report with that roster is written" test -s "$out/p.xlsx"
"$HGQ" run tests/data/report/partners.lua findings "$out/p.xlsx" > "$out/p-findings.txt" 2>&1
check_grep "a partner only in 表4 is a finding naming its cell" \
    "^cmp.only_published|2025年度质量报告附表.xlsx|表4|B3|||.*光宝通信" "$out/p-findings.txt"
check_grep "differing majors name 表4's cell and the roster's" \
    "^cmp.value|2025年度质量报告附表.xlsx|表4|C4|合作企业.csv|合作企业|C3|.*华拓金服" "$out/p-findings.txt"
check "a partner in both is not a finding" sh -c "! grep -q 衡阳富泰宏 '$out/p-findings.txt'"
check "the example itself has no 表4 finding" sh -c \
    "\"\$HGQ\" run tests/data/report/partners.lua findings '$out/r.xlsx' | grep -q '|表4|' && exit 1 || exit 0"

# Exit codes and messages.
check_fail "a missing DIR fails" "$HGQ" report "$out/no-such-dir" -o "$out/x.xlsx"
"$HGQ" report "$out/no-such-dir" -o "$out/x.xlsx" 2> "$out/missing.txt"
check_grep "a missing DIR is named in the message" "no-such-dir' does not exist" "$out/missing.txt"
check_fail "a file given as DIR fails" "$HGQ" report "$ex/manifest.lua" -o "$out/x.xlsx"
check_fail "no DIR fails" "$HGQ" report
check_fail "a bad --year fails" "$HGQ" report "$ex" --year 20x5 -o "$out/x.xlsx"
check_fail "a bad --as-of fails" "$HGQ" report "$ex" --as-of 2025-13-45 -o "$out/x.xlsx"
check_fail "an unknown school type fails" "$HGQ" report "$ex" --type 大学 -o "$out/x.xlsx"
check_fail "an unknown option fails" "$HGQ" report "$ex" --frobnicate
mkdir -p "$out/empty"
check_fail "a folder without spreadsheets fails" "$HGQ" report "$out/empty" -o "$out/x.xlsx"
check "no workbook is left behind by failed runs" test ! -e "$out/x.xlsx"
check "hgq report --help exits 0" "$HGQ" report --help

# A failed run leaves an earlier workbook untouched.
cp "$out/r.xlsx" "$out/earlier.xlsx"
cp "$out/r.xlsx" "$out/keep.xlsx"
check_fail "a run failing at the last moment fails" env HGQ_REPORT_FAIL_BEFORE_RENAME=1 \
    "$HGQ" report "$ex" -o "$out/keep.xlsx"
check "... and leaves the earlier workbook as it was" cmp "$out/keep.xlsx" "$out/earlier.xlsx"
check "... and leaves no temporary file" sh -c "! ls -a '$out' | grep -q 'keep.xlsx.tmp'"
check_fail "a run failing on bad arguments fails" "$HGQ" report "$ex" --as-of never -o "$out/keep.xlsx"
check "... and leaves the earlier workbook as it was" cmp "$out/keep.xlsx" "$out/earlier.xlsx"
cp -r "$ex" "$out/ex-copy"
cp "$out/ex-copy/学生花名册.xlsx" "$out/roster-before.xlsx"
check_fail "writing over one of the inputs is refused" "$HGQ" report "$out/ex-copy" -o "$out/ex-copy/学生花名册.xlsx"
check "... and the input is untouched" cmp "$out/ex-copy/学生花名册.xlsx" "$out/roster-before.xlsx"
# A report written into DIR is not read back as input on the next run.
check "a report written into DIR" "$HGQ" report "$out/ex-copy" -q -o "$out/ex-copy/report.xlsx"
cp "$out/ex-copy/report.xlsx" "$out/ex-copy/last-year-copy.xlsx"
"$HGQ" report "$out/ex-copy" -o "$out/ex-copy/report.xlsx" > "$out/again.txt" 2>&1
check_grep "... is left out on the next run" "last-year-copy.xlsx -> 跳过：hgq report 生成的报告工作簿" "$out/again.txt"
check_grep "... which finds the same 12 errors" "问题 [0-9]* 个：错误 12，" "$out/again.txt"
done_testing
