# The hgq command: version, help, running scripts with `arg`, running tools.
. tests/e2e/lib.sh
out=$HGQ_TMP/command
mkdir -p "$out"

check "hgq --version names the version" sh -c '"$HGQ" --version | grep -q "^hgq [0-9]*\.[0-9]*\.[0-9]*"'
"$HGQ" --help > "$out/help.txt" 2>&1
check "hgq --help exits 0" "$HGQ" --help
check_grep "hgq --help shows how to run a script" "hgq run SCRIPT.lua" "$out/help.txt"
for tool in scripts/*.lua; do
    [ -f "$tool" ] || continue
    name=$(basename "$tool" .lua)
    check_grep "hgq --help lists the tool '$name'" "^  $name " "$out/help.txt"
done
check_fail "hgq with no arguments fails" "$HGQ"
check_fail "an unknown tool fails" "$HGQ" no-such-tool
check_fail "an unknown option fails" "$HGQ" --no-such-option

cat > "$out/args.lua" <<'LUA'
local hgq = require "hgq"
assert(type(hgq.version) == "string")
io.write(arg[0], "|", #arg, "|", arg[1] or "", "|", arg[2] or "", "|", select("#", ...), "\n")
LUA
"$HGQ" run "$out/args.lua" one "two words" > "$out/args.txt" 2>&1
check_grep "hgq run sets arg and ... as lua5.4 does" "^$out/args.lua|2|one|two words|2$" "$out/args.txt"

printf 'error("boom")\n' > "$out/fail.lua"
check_fail "a failing script makes hgq exit non-zero" "$HGQ" run "$out/fail.lua"
"$HGQ" run "$out/fail.lua" 2> "$out/fail.txt"
check_grep "the script's error reaches stderr" "boom" "$out/fail.txt"
check_fail "a missing script fails" "$HGQ" run "$out/none.lua"
done_testing
