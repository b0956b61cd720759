# The benchmark programs on a small roster: they build against this build
# (with the sanitizers when it is a SAN=1 build), the generator writes R in
# both modes, and the import and floor programs read back sane counts. No
# timing is asserted: `make bench` measures; this only keeps its programs
# working.
. tests/e2e/lib.sh
out=$HGQ_TMP/bench
mkdir -p "$out"
B=$HGQ_BUILD/bench
N=2000

if nm "$HGQ_BUILD/libhgq.a" 2>/dev/null | grep -q '__asan_'; then
    echo "# sanitizer build: the benchmark programs are built with -fsanitize=address,undefined"
fi
check "the benchmark programs build against this build's libhgq.a" \
    sh tests/bench/build.sh "$HGQ_BUILD"

# key FILE NAME: the value of NAME= in FILE
key() { sed -n "s/^$2=//p" "$1" | head -n 1; }

check "gen writes R ($N rows, shared strings)" "$B/measure" "$out/gen.txt" "$B/gen" roster "$out/R.xlsx" $N
check "gen writes R in constant-memory mode" "$B/measure" "$out/gen-cm.txt" "$B/gen" roster "$out/R-cm.xlsx" $N cm
check "raw libxlsxwriter writes the same roster" "$B/measure" "$out/raw.txt" "$B/raw_write" "$out/raw.xlsx" $N
check_grep "measure reports the command's peak RSS" '^peak_rss_kb=[1-9]' "$out/gen.txt"
check_grep "measure reports the exit status" '^exit=0$' "$out/gen.txt"

for f in R R-cm raw; do
    "$B/import" "$out/$f.xlsx" > "$out/import-$f.txt" 2>&1
    check_grep "import reads $f.xlsx to the end" '^total_s=' "$out/import-$f.txt"
    rows=$(key "$out/import-$f.txt" rows)
    cells=$(key "$out/import-$f.txt" cells)
    dates=$(key "$out/import-$f.txt" dates)
    numbers=$(key "$out/import-$f.txt" numbers)
    strings=$(key "$out/import-$f.txt" strings)
    empty=$(key "$out/import-$f.txt" empty)
    check "$f.xlsx: $((N + 1)) rows of 12 cells (header + $N) [got $rows rows, $cells cells]" \
        test "$rows" = $((N + 1)) -a "$cells" = $((12 * (N + 1)))
    check "$f.xlsx: one birth date per student, decoded as a date [got $dates]" test "$dates" = $N
    check "$f.xlsx: two numbers per student (entry year, years) [got $numbers]" \
        test "$numbers" = $((2 * N))
    check "$f.xlsx: strings + numbers + dates + empty add up to every cell" \
        test $((strings + numbers + dates + empty)) = "$cells"
done
check "R and R-cm hold the same values (same checksum)" \
    test "$(key "$out/import-R.txt" checksum)" = "$(key "$out/import-R-cm.txt" checksum)"
check "R and raw hold the same values (same checksum and text bytes)" \
    test "$(key "$out/import-R.txt" checksum):$(key "$out/import-R.txt" text_bytes)" = \
         "$(key "$out/import-raw.txt" checksum):$(key "$out/import-raw.txt" text_bytes)"

for m in inflate expat ns pipe split; do
    "$B/floor" $m "$out/R.xlsx" > "$out/floor-$m.txt" 2>&1
    check_grep "floor $m runs to the end" '^seconds=' "$out/floor-$m.txt"
done
bytes=$(key "$out/floor-inflate.txt" part_bytes)
check "floor inflates a non-empty sheet part [$bytes bytes]" test "${bytes:-0}" -gt $((100 * N))
for m in expat pipe split; do
    check "floor $m sees the bytes and elements floor ns sees" \
        test "$(key "$out/floor-$m.txt" part_bytes):$(key "$out/floor-$m.txt" elements)" = \
             "$(key "$out/floor-ns.txt" part_bytes):$(key "$out/floor-ns.txt" elements)"
done
# elements: worksheet, sheetPr ... plus one per row, cell and value
els=$(key "$out/floor-ns.txt" elements)
check "floor counts at least a row, cells and values per row [$els]" test "${els:-0}" -gt $((20 * N))
BENCH_SPLIT_SEGMENT=16384 "$B/floor" split "$out/R.xlsx" > "$out/split-small.txt" 2>&1
check "floor split cut into 16 KiB segments sees the elements ns sees" \
    test "$(key "$out/split-small.txt" elements)" = "$els"
BENCH_SPLIT_SEGMENT=16384 "$B/floor" split "$out/R-cm.xlsx" > "$out/split-cm.txt" 2>&1
"$B/floor" ns "$out/R-cm.xlsx" > "$out/ns-cm.txt" 2>&1
check "floor split agrees with ns on inline strings" \
    test "$(key "$out/split-cm.txt" elements)" = "$(key "$out/ns-cm.txt" elements)"
"$B/floor" sst "$out/R.xlsx" > "$out/sst.txt" 2>&1
sst=$(key "$out/sst.txt" sst_count)
check "floor sst counts the shared strings [$sst]" test "${sst:-0}" -gt "$N"
check_fail "floor refuses an unknown mode" "$B/floor" nosuchmode "$out/R.xlsx"

# P: a small province, its statistics, and one school through `hgq report`
check "gen writes a province of 2 schools" "$B/gen" province "$out/P" 2 1000
check "the province CSV holds every student (1000 + header)" \
    test "$(wc -l < "$out/P/all/student.csv")" = 1001
nschools=$(ls -d "$out"/P/[0-9]* | wc -l)
check "one folder per school [$nschools]" test "$nschools" = 2
school=$(ls -d "$out"/P/[0-9]* | head -n 1)
for f in manifest.lua 学生花名册.xlsx 教职工名册.xlsx 2025年度质量报告附表.xlsx 社会培训.csv; do
    check "a school folder has $f" test -s "$school/$f"
done
"$B/stats" "$out/P/all" > "$out/stats.txt" 2>&1
check_grep "stats imports every student" '^rows.student=1000$' "$out/stats.txt"
check_grep "stats rejects none" '^rejected.student=0$' "$out/stats.txt"
for k in new_students teachers in_school indicators_defined; do
    v=$(key "$out/stats.txt" $k)
    check "stats computes $k [$v]" test "${v:-0}" -gt 0
done
check "表2's categories add up to its total" \
    test "$(sed -n 's/^new\.[^=]*=//p' "$out/stats.txt" | awk '{ s += $1 } END { print s }')" = \
         "$(key "$out/stats.txt" new_students)"
check "hgq report reads a generated school" "$HGQ" report "$school" -o "$out/school.xlsx" --quiet
check "hgq report wrote the school's workbook" test -s "$out/school.xlsx"
head -c 4000 "$out/R.xlsx" > "$out/truncated.xlsx"
check_fail "import fails on a truncated workbook" "$B/import" "$out/truncated.xlsx"
done_testing
