# hgq summary over the example school and two variations of it made here:
# 乙 without an aid roster and with more training, 丙 without graduates or
# training files.
. tests/e2e/lib.sh
out=$HGQ_TMP/summary
mkdir -p "$out/reports"
ex=examples/hengyang-2025

check "the example school's report" "$HGQ" report "$ex" -q -o "$out/a.xlsx"

cp -r "$ex" "$out/b-2025"
sed -i 's/school = "衡阳工业技工学校"/school = "测试技工学校乙"/' "$out/b-2025/manifest.lua"
rm "$out/b-2025/学生资助.xlsx"
iconv -f GB18030 -t UTF-8 "$ex/社会培训.csv" | sed 's/员工技能提升培训,260/员工技能提升培训,560/' |
    iconv -f UTF-8 -t GB18030 > "$out/b-2025/社会培训.csv"
check "variation 乙's report" "$HGQ" report "$out/b-2025" -q -o "$out/reports/b.xlsx"

cp -r "$ex" "$out/c-2025"
sed -i 's/school = "衡阳工业技工学校"/school = "测试技工学校丙"/' "$out/c-2025/manifest.lua"
rm "$out/c-2025/社会培训.csv" "$out/c-2025/毕业生去向.xlsx"
check "variation 丙's report" "$HGQ" report "$out/c-2025" -q -o "$out/reports/c.xlsx"

"$HGQ" summary "$out/a.xlsx" "$out/reports" -o "$out/s.xlsx" > "$out/stdout.txt" 2>&1
check "hgq summary over a workbook and a directory exits 0" test -s "$out/s.xlsx"
check_grep "it says how many schools it compared" "汇总 3 所学校" "$out/stdout.txt"

"$HGQ" run tests/data/report/check_summary.lua "$out/s.xlsx" > "$out/checks.txt" 2>&1
while IFS='|' read -r status what detail; do
    case $status in
    PASS) _ok "$what" ;;
    FAIL) _notok "$what"; echo "#   $detail" ;;
    *) _notok "check_summary.lua: $status $what $detail" ;;
    esac
done < "$out/checks.txt"
check "check_summary.lua ran its checks" grep -q '^PASS|' "$out/checks.txt"

check "a workbook given twice counts once" sh -c "'$HGQ' summary '$out/a.xlsx' '$out/a.xlsx' -o '$out/twice.xlsx' | grep -q '汇总 1 所学校'"
check_fail "a missing path fails" "$HGQ" summary "$out/none.xlsx" -o "$out/x.xlsx"
check_fail "a workbook that is not a report fails" "$HGQ" summary "$ex/学生花名册.xlsx" -o "$out/x.xlsx"
"$HGQ" summary "$ex/学生花名册.xlsx" -o "$out/x.xlsx" 2> "$out/err.txt"
check_grep "... saying why" "no sheet 指标" "$out/err.txt"
check_fail "a directory without reports fails" "$HGQ" summary "$out/c-2025" -o "$out/x.xlsx"
check_fail "no argument fails" "$HGQ" summary
check "no workbook is left behind by failed runs" test ! -e "$out/x.xlsx"
done_testing
