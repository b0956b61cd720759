# Nothing lost: writing a workbook is atomic. A write that fails part way -
# the file size limit (ulimit -f) reached, as on a full disk - must leave the
# workbook already at the target byte for byte as it was, and a failure that
# the program sees must also leave no temporary file behind. Checked through
# the writer's Lua API and, when scripts/report.lua exists, through
# hgq report.
. tests/e2e/lib.sh
d=$HGQ_TMP/hostile
mkdir -p "$d/out"

cat > "$d/write.lua" <<'LUA'
-- write.lua OUT ROWS: a workbook with a table of ROWS rows.
local hgq = require "hgq"
local out, n = arg[1], tonumber(arg[2])
local w = assert(hgq.writer(out))
local sh = assert(w:sheet("名册"))
local rows = {}
for i = 1, n do
    rows[i] = { string.format("2025%05d", i), "学生" .. i, i % 7 * 13.5 }
end
assert(sh:table{
    title = "学生名册",
    header = { { "学号", "姓名", "成绩" } },
    formats = { "text", "text", "number" },
    rows = rows,
    totals_row = "合计",
})
local ok, msg = w:close()
if not ok then io.stderr:write(msg, "\n") os.exit(1) end
LUA

# no_temp DIR: no temporary file is left in DIR.
no_temp() { [ -z "$(find "$1" -name '.*tmp*' -o -name '*.tmp*' | head -n 1)" ]; }

target=$d/out/名册.xlsx
check "a first workbook is written" "$HGQ" run "$d/write.lua" "$target" 3
cp "$target" "$d/before.xlsx"
check "the output directory holds no temporary file" no_temp "$d/out"

# The file size limit stops the write: 16 blocks (8 or 16 KB) against ~60 KB.
check_fail "a write over the file size limit fails" \
    sh -c 'trap "" XFSZ; ulimit -f 16; exec "$1" run "$2" "$3" 3000' sh "$HGQ" "$d/write.lua" "$target"
check "the failed write left the earlier workbook untouched" cmp "$target" "$d/before.xlsx"
check "the failed write left no temporary file" no_temp "$d/out"

# Killed outright (SIGXFSZ): no chance to clean up, but the target stays.
cp "$d/before.xlsx" "$target"
check_fail "a write killed part way fails" \
    sh -c 'ulimit -f 16; exec "$1" run "$2" "$3" 3000' sh "$HGQ" "$d/write.lua" "$target"
check "the killed write left the earlier workbook untouched" cmp "$target" "$d/before.xlsx"
check "the earlier workbook still reads" "$HGQ" dump "$target"
# A killed process leaves its temporary file; nothing else may remain.
find "$d/out" -name '.*.tmp-*' -exec rm -f {} +

# A directory in the way of the target is refused, and left alone.
mkdir -p "$d/out/dir.xlsx/keep"
check_fail "a directory at the target is refused" "$HGQ" run "$d/write.lua" "$d/out/dir.xlsx" 3
check "the directory is left as it was" test -d "$d/out/dir.xlsx/keep"

# And a write that succeeds replaces the workbook.
check "a complete write replaces the workbook" "$HGQ" run "$d/write.lua" "$target" 3000
check_fail "the new workbook differs from the earlier one" cmp -s "$target" "$d/before.xlsx"
"$HGQ" dump "$target" > "$d/dump.csv" 2>&1
check_grep "the new workbook holds its last row" "^202503000," "$d/dump.csv"
check "no temporary file is left after success" no_temp "$d/out"

if [ -f scripts/report.lua ] && [ -d examples/hengyang-2025 ]; then
    report=$d/out/report.xlsx
    check "hgq report writes the example report" \
        "$HGQ" report examples/hengyang-2025 -o "$report"
    cp "$report" "$d/report-before.xlsx"
    check_fail "hgq report over the file size limit fails" \
        sh -c 'trap "" XFSZ; ulimit -f 16; exec "$1" report examples/hengyang-2025 -o "$2"' \
        sh "$HGQ" "$report"
    check "the failed report left the earlier report untouched" cmp "$report" "$d/report-before.xlsx"
    check "the failed report left no temporary file" no_temp "$d/out"
fi
done_testing
