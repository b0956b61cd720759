# examples/embed.c, which uses only the public header, compiles against the
# build tree with pkg-config, imports the example roster, computes indicators
# and writes a workbook that libhgq reads back.
. tests/e2e/lib.sh
out=$HGQ_TMP/embed
mkdir -p "$out"
sanflags=""
case "$(basename "$HGQ_BUILD")" in
*san*) sanflags="-fsanitize=address,undefined -fno-omit-frame-pointer" ;;
esac
deps="expat minizip zlib xlsxwriter"
check "examples/embed.c compiles warning-free against the build tree" sh -c \
    "cc -std=c11 -Wall -Wextra -Werror $sanflags \$(pkg-config --cflags $deps) -Ilibhgq/include \
     examples/embed.c '$HGQ_BUILD/libhgq.a' \$(pkg-config --libs $deps) -lm -pthread -o '$out/embed'"
"$out/embed" examples/hengyang-2025/学生花名册.xlsx "$out/students.xlsx" > "$out/stdout.txt" 2> "$out/stderr.txt"
check "it runs on the example roster and exits 0" test $? -eq 0
check_grep "it reports the import's row balance" "1459 rows read, 1458 accepted, 0 rejected, 1 skipped" "$out/stdout.txt"
check_grep "it computes 在校生数 from the roster" "^在校生数 1260人$" "$out/stdout.txt"
check_grep "it computes 招生人数 from the roster" "^招生人数 549人$" "$out/stdout.txt"
check "it wrote the workbook" test -s "$out/students.xlsx"
cat > "$out/read.lua" <<'LUA'
local hgq = require "hgq"
local wb = assert(hgq.open(arg[1]))
local found = {}
for _, name in ipairs({ "指标", "在校生" }) do
  for _, values in assert(wb:sheet(name)):rows({}) do
    found[#found + 1] = table.concat({ tostring(values[1]), tostring(values[2]) }, "=")
  end
end
print(table.concat(found, "\n"))
LUA
"$HGQ" run "$out/read.lua" "$out/students.xlsx" > "$out/read.txt" 2>&1
check_grep "the workbook reads back: 在校生数 1260人" "^在校生数=1260人$" "$out/read.txt"
check_grep "the workbook reads back: 2025 entrants in school 549" "^2025=549$" "$out/read.txt"
check_grep "the workbook reads back: 合计 1260" "^合计=1260$" "$out/read.txt"
check_fail "a missing roster fails" "$out/embed" "$out/none.xlsx" "$out/x.xlsx"
"$out/embed" "$out/none.xlsx" "$out/x.xlsx" 2> "$out/err.txt"
check_grep "... naming the file and the error code" "none.xlsx.*HGQ_EIO" "$out/err.txt"
check "... and writes nothing" test ! -e "$out/x.xlsx"
done_testing
