#!/bin/sh
# Benchmarks libhgq side by side with the tools people use instead, and
# writes the results, whole, to BENCHMARKS.md at the top of the tree.
#
#   sh tests/bench/run.sh BUILD          (what `make bench` runs)
#   make bench PEERS=1                   also installs the peers first
#
# Workloads (made by tests/bench/gen.c with libhgq's writer, kept in
# build/bench-data/ and made again only when missing or when the generator
# changes):
#   R     a 1,000,000-row student roster, 12 columns, shared strings
#   R-cm  the same written in constant-memory mode (inline strings)
#   R'    the first 100,000 rows of R, for the peers that are too slow for R
#   P     150 school folders shaped like examples/hengyang-2025, 300 to
#         15,000 students each, 1,000,000 students and 60,000 staff in all,
#         plus P/all/*.csv holding every school's records
#
# Each figure is the median of RUNS runs (default 3); wall time, CPU time
# (user + system) and peak RSS are measured from outside by measure.c, the
# same way for every tool. The peers (openpyxl, pandas, XlsxWriter, SheetJS)
# are measured when installed.
#
# Environment: RUNS, BENCH_ROWS (1000000), BENCH_SMALL_ROWS (100000),
# BENCH_SCHOOLS (150), BENCH_STUDENTS (1000000), P_RUNS (runs of the report
# over all of P, default 1), BENCH_DATA (build/bench-data), BENCH_OUT
# (BENCHMARKS.md), PEERS=1 (install the peers), BENCH_SKIP (space-separated
# sections to leave out: import lua stats write report peers).
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
BUILD=$(cd "$BUILD" && pwd) || exit 2
RUNS=${RUNS:-3}
P_RUNS=${P_RUNS:-1}
ROWS=${BENCH_ROWS:-1000000}
SMALL=${BENCH_SMALL_ROWS:-100000}
SCHOOLS=${BENCH_SCHOOLS:-150}
STUDENTS=${BENCH_STUDENTS:-1000000}
DATA=${BENCH_DATA:-$ROOT/build/bench-data}
OUT=${BENCH_OUT:-$ROOT/BENCHMARKS.md}
SKIP=${BENCH_SKIP:-}
NODE_DIR=$ROOT/build/bench-node
PY=/usr/bin/python3
B=$BUILD/bench
RES=$B/results
LOG=$B/bench.log
HGQ=$BUILD/hgq
mkdir -p "$DATA" "$RES" "$DATA/tmp"
rm -f "$RES"/*
: > "$LOG"
export LC_ALL=C.UTF-8

say() { echo "$*"; echo "$*" >> "$LOG"; }
skipped() { case " $SKIP " in *" $1 "*) return 0 ;; esac; return 1; }

# {====================================================================
# Peers: installed on request (PEERS=1), measured when present.
# =====================================================================

if [ "${PEERS:-0}" = 1 ]; then
    say "installing the peers (Debian's python3-openpyxl, python3-pandas, python3-xlsxwriter; npm's xlsx)"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    missing=""
    for p in python3 python3-openpyxl python3-pandas python3-xlsxwriter nodejs npm; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing="$missing $p"
    done
    # nodejs from another source may come with its own npm
    if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
        missing=$(echo "$missing" | sed 's/ nodejs//; s/ npm//')
    fi
    if [ -n "$missing" ]; then
        $SUDO apt-get update -qq >> "$LOG" 2>&1
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
            $missing >> "$LOG" 2>&1 || say "  apt-get install$missing failed (see $LOG)"
    fi
    if [ ! -f "$NODE_DIR/node_modules/xlsx/package.json" ] && command -v npm >/dev/null 2>&1; then
        mkdir -p "$NODE_DIR"
        npm install --prefix "$NODE_DIR" --no-audit --no-fund xlsx >> "$LOG" 2>&1 ||
            say "  npm install xlsx failed (see $LOG)"
    fi
fi
have_py() { [ -x "$PY" ] && "$PY" -c "import $1" 2>/dev/null; }
have_sheetjs() { command -v node >/dev/null 2>&1 && [ -f "$NODE_DIR/node_modules/xlsx/package.json" ]; }

# }====================================================================

# {====================================================================
# Measuring
# =====================================================================

# run_n NAME N CMD...: runs CMD N times under measure, into RES/NAME.i.
# A failing run discards NAME (it is then reported as not measured).
run_n() {
    name=$1
    n=$2
    shift 2
    i=1
    while [ "$i" -le "$n" ]; do
        if ! "$B/measure" "$RES/$name.$i" "$@" 2>> "$LOG"; then
            say "  $name: run $i failed (exit $(sed -n 's/^exit=//p' "$RES/$name.$i")); see $LOG"
            tail -n 5 "$RES/$name.$i" >> "$LOG"
            mv "$RES/$name.$i" "$RES/failed-$name" 2>/dev/null
            rm -f "$RES/$name".*
            return 1
        fi
        i=$((i + 1))
    done
    say "  $name: wall $(med "$name" wall_s) s, cpu $(med "$name" cpu_s) s, peak RSS $(med "$name" peak_rss_kb) KiB"
}
runs() { rn=$1; shift; run_n "$rn" "$RUNS" "$@"; }

# med NAME KEY: the median of KEY over the runs of NAME ("" if none)
med() {
    for f in "$RES/$1".*; do
        [ -f "$f" ] && sed -n "s/^$2=//p" "$f" | head -n 1
    done | sort -g | awk '{ a[NR] = $1 }
        END { if (NR == 0) exit; if (NR % 2) print a[(NR + 1) / 2];
              else printf "%.6g\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
# val NAME KEY: KEY of the first run of NAME (for counts, which do not vary)
val() { [ -f "$RES/$1.1" ] && sed -n "s/^$2=//p" "$RES/$1.1" | head -n 1; }
have() { [ -f "$RES/$1.1" ]; }

# Number formatting: s SECONDS, mb KIB, rate N SECONDS, x A B (A/B), pct
s() { [ -n "${1:-}" ] && awk -v v="$1" 'BEGIN { printf(v < 10 ? "%.2f s" : "%.1f s", v) }' || printf '—'; }
mb() { [ -n "${1:-}" ] && awk -v v="$1" 'BEGIN { printf "%.0f MB", v / 1024 }' || printf '—'; }
rate() {
    [ -n "${1:-}" ] && [ -n "${2:-}" ] &&
        awk -v n="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.0f", n / t; else printf "—" }' ||
        printf '—'
}
x() {
    [ -n "${1:-}" ] && [ -n "${2:-}" ] &&
        awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else printf "—" }' ||
        printf '—'
}
# le A B [FACTOR]: true when A <= B * FACTOR (numbers)
le() { awk -v a="$1" -v b="$2" -v f="${3:-1}" 'BEGIN { exit !(a != "" && b != "" && a <= b * f) }'; }
add() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { printf "%.6g", a + b }'; }
# group thousands: 1000000 -> 1,000,000
th() { echo "${1:-}" | awk '!/^[0-9.e+-]+$/ { print; next } { n = sprintf("%.0f", $1); s = "";
    while (length(n) > 3) { s = "," substr(n, length(n) - 2) s; n = substr(n, 1, length(n) - 3) }
    print n s }'; }

# }====================================================================

# {====================================================================
# Programs and workloads
# =====================================================================

say "libhgq benchmarks: build $BUILD, $RUNS runs each, data in $DATA"
CORES_N=$(nproc)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(date +%s)
sh tests/bench/build.sh "$BUILD" >> "$LOG" 2>&1 || { say "cannot build the benchmark programs (see $LOG)"; exit 1; }
if nm "$BUILD/libhgq.a" 2>/dev/null | grep -q '__asan_'; then
    say "warning: $BUILD is a sanitizer build; its timings say nothing about libhgq's speed"
fi

STAMP=$(cat tests/bench/gen.c tests/bench/roster.h | cksum | cut -d' ' -f1)
# fresh NAME: true when workload NAME was made by this generator
fresh() { [ -e "$DATA/$1" ] && [ "$(cat "$DATA/$1.stamp" 2>/dev/null)" = "$STAMP" ]; }
stamp() { echo "$STAMP" > "$DATA/$1.stamp"; }

make_roster() { # NAME ROWS [cm]
    fresh "$1" && return 0
    say "making $1 ($(th "$2") rows${3:+, constant memory})"
    rm -f "$DATA/$1" "$DATA/$1.stamp"
    (cd "$DATA" && "$B/gen" roster "$1" "$2" ${3:-}) >> "$LOG" 2>&1 && stamp "$1" ||
        { say "gen roster $1 failed (see $LOG)"; exit 1; }
}
make_roster R.xlsx "$ROWS"
make_roster R-cm.xlsx "$ROWS" cm
make_roster Rs.xlsx "$SMALL"
if ! fresh Rs.csv; then
    "$B/gen" roster-csv "$DATA/Rs.csv" "$SMALL" >> "$LOG" 2>&1 && stamp Rs.csv
fi
if ! fresh P || [ "$(cat "$DATA/P.size" 2>/dev/null)" != "$SCHOOLS $STUDENTS" ]; then
    say "making P ($SCHOOLS schools, $(th "$STUDENTS") students)"
    rm -rf "$DATA/P" "$DATA/P.stamp"
    "$B/gen" province "$DATA/P" "$SCHOOLS" "$STUDENTS" > "$DATA/P.info" 2>> "$LOG" &&
        stamp P && echo "$SCHOOLS $STUDENTS" > "$DATA/P.size" ||
        { say "gen province failed (see $LOG)"; exit 1; }
fi

# The example school: its folder when its inputs are there, else made by
# its generator into the data directory.
EXAMPLE=$ROOT/examples/hengyang-2025
if ! ls "$EXAMPLE"/*.xlsx > /dev/null 2>&1 && [ -f "$EXAMPLE/generate.lua" ]; then
    ESTAMP=$(cksum < "$EXAMPLE/generate.lua" | cut -d' ' -f1)
    if [ "$(cat "$DATA/example.stamp" 2>/dev/null)" != "$ESTAMP" ]; then
        rm -rf "$DATA/example"
        mkdir -p "$DATA/example"
        cp "$EXAMPLE"/*.lua "$DATA/example/" 2>/dev/null
        rm -f "$DATA/example/generate.lua"
        "$HGQ" run "$EXAMPLE/generate.lua" "$DATA/example" >> "$LOG" 2>&1 &&
            echo "$ESTAMP" > "$DATA/example.stamp" || say "the example school's generator failed (see $LOG)"
    fi
    EXAMPLE=$DATA/example
fi

# How many cores are free for us, at the start and (below) at the end.
"$B/cores" "$CORES_N" > "$RES/cores_start.1" 2>> "$LOG"
say "cores free at the start: $(val cores_start free) of $CORES_N"

# Reading a file once first, so that every run reads it from the page cache.
for f in R.xlsx R-cm.xlsx Rs.xlsx; do cat "$DATA/$f" > /dev/null; done

# }====================================================================

# {====================================================================
# 1. Reading R: libhgq's import, the expat floor, Lua, the peers
# =====================================================================

if ! skipped import; then
    say "import of R"
    # threads: 1 = the calling thread only; none given = the default (0,
    # one parsing thread per core)
    runs import_R "$B/import" "$DATA/R.xlsx" 1
    runs import_R_par "$B/import" "$DATA/R.xlsx"
    runs import_Rcm "$B/import" "$DATA/R-cm.xlsx" 1
    runs import_Rcm_par "$B/import" "$DATA/R-cm.xlsx"
    runs import_Rs "$B/import" "$DATA/Rs.xlsx"
    runs import_Rs1 "$B/import" "$DATA/Rs.xlsx" 1
    say "the floor: minizip + expat with empty handlers"
    for m in inflate expat ns; do
        runs "floor_$m" "$B/floor" $m "$DATA/R.xlsx"
    done
    runs floor_sst "$B/floor" sst "$DATA/R.xlsx"
    runs floor_ns_cm "$B/floor" ns "$DATA/R-cm.xlsx"
    say "the same with libhgq's tokenizer"
    runs floor_scan "$B/floor" scan "$DATA/R.xlsx"
    runs floor_scansst "$B/floor" scansst "$DATA/R.xlsx"
    runs floor_scan_cm "$B/floor" scan "$DATA/R-cm.xlsx"
fi
if ! skipped lua; then
    say "iterating R from Lua"
    runs lua_R "$HGQ" run tests/bench/iterate.lua "$DATA/R.xlsx"
fi
if ! skipped peers; then
    if have_py openpyxl; then
        say "openpyxl (read-only) on R' ($(th "$SMALL") rows)"
        runs openpyxl_Rs "$PY" tests/bench/peers/openpyxl_read.py "$DATA/Rs.xlsx"
    fi
    if have_py pandas && have_py openpyxl; then
        say "pandas.read_excel on R'"
        runs pandas_read_Rs "$PY" tests/bench/peers/pandas_read.py "$DATA/Rs.xlsx"
    fi
    if have_sheetjs; then
        say "SheetJS on R'"
        runs sheetjs_Rs env NODE_PATH="$NODE_DIR/node_modules" node tests/bench/peers/sheetjs_read.js "$DATA/Rs.xlsx"
    fi
fi

# }====================================================================

# {====================================================================
# 2. Statistics over P
# =====================================================================

if ! skipped stats; then
    say "statistics over P ($(th "$STUDENTS") students)"
    runs stats_P "$B/stats" "$DATA/P/all"
    if ! skipped peers && have_py pandas; then
        runs pandas_stats_P "$PY" tests/bench/peers/pandas_stats.py "$DATA/P/all"
    fi
fi

# }====================================================================

# {====================================================================
# 3. Writing R: libhgq's writer, raw libxlsxwriter, XlsxWriter
# =====================================================================

if ! skipped write; then
    say "writing R"
    W=$DATA/tmp/W.xlsx
    runs write_hgq "$B/gen" roster "$W" "$ROWS"
    runs write_raw "$B/raw_write" "$W" "$ROWS"
    runs write_hgq_cm "$B/gen" roster "$W" "$ROWS" cm
    runs write_raw_cm "$B/raw_write" "$W" "$ROWS" cm
    runs write_hgq_Rs "$B/gen" roster "$W" "$SMALL"
    runs write_hgq_cm_Rs "$B/gen" roster "$W" "$SMALL" cm
    if ! skipped peers && have_py xlsxwriter; then
        say "XlsxWriter on R'"
        runs xlsxwriter_Rs "$PY" tests/bench/peers/xlsxwriter_write.py "$DATA/Rs.csv" "$W"
        runs xlsxwriter_cm_Rs "$PY" tests/bench/peers/xlsxwriter_write.py "$DATA/Rs.csv" "$W" cm
    fi
    rm -f "$W"
fi

# }====================================================================

# {====================================================================
# 4. hgq report: the example school, all of P, hgq summary
# =====================================================================

REPORT_STATE="not measured"
if ! skipped report; then
    if [ ! -f scripts/report.lua ]; then
        REPORT_STATE="not measured: this tree has no \`hgq report\` (scripts/report.lua)"
        say "$REPORT_STATE"
    else
        say "hgq report on the example school"
        runs report_example "$HGQ" report "$EXAMPLE" -o "$DATA/tmp/example.xlsx"
        say "hgq report on all of P, one school after another and two at a time"
        RP=$DATA/tmp/reports
        rm -rf "$RP"
        mkdir -p "$RP"
        ls -d "$DATA"/P/[0-9]* > "$DATA/tmp/schools.txt"
        # each line: a school folder; the report goes to RP/<folder name>.xlsx
        cat > "$DATA/tmp/one.sh" <<EOF
d=\$1
exec "$HGQ" report "\$d" -o "$RP/\$(basename "\$d").xlsx" > "$RP/\$(basename "\$d").log" 2>&1
EOF
        run_n report_P1 "$P_RUNS" sh -c "xargs -d '\n' -n 1 -P 1 sh '$DATA/tmp/one.sh' < '$DATA/tmp/schools.txt'"
        run_n report_P2 "$P_RUNS" sh -c "xargs -d '\n' -n 1 -P 2 sh '$DATA/tmp/one.sh' < '$DATA/tmp/schools.txt'"
        NREPORTS=$(ls "$RP"/*.xlsx 2>/dev/null | wc -l)
        if [ -f scripts/summary.lua ]; then
            say "hgq summary over the $NREPORTS reports"
            runs summary_P "$HGQ" summary "$RP" -o "$DATA/tmp/summary.xlsx"
        fi
        REPORT_STATE="measured"
    fi
fi

# }====================================================================

# {====================================================================
# BENCHMARKS.md
# =====================================================================

"$B/cores" "$CORES_N" > "$RES/cores_end.1" 2>> "$LOG"
say "cores free at the end: $(val cores_end free) of $CORES_N"
T_END=$(date +%s)
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
MD=$DATA/tmp/BENCHMARKS.md
pkgver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "not installed"; }
pymod() { have_py "$1" && "$PY" -c "import $1; print($1.__version__)" 2>/dev/null || echo "not installed"; }
info() { sed -n "s/^$1=//p" "$DATA/P.info"; }
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
CORES=$(nproc)
MEM=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
R_ROWS=$(val import_R rows)
RS_ROWS=$(val import_Rs rows)
SCALE=$(awk -v a="$ROWS" -v b="$SMALL" 'BEGIN { printf "%.6g", a / b }')
BUSY=0
awk -v a="${LOAD_START%% *}" -v b="${LOAD_END%% *}" -v c="$CORES" -v f1="$(val cores_start free)" \
    -v f2="$(val cores_end free)" 'BEGIN { exit !(a > c * 0.6 || b > c * 0.6 || f1 < c - 0.3 || f2 < c - 0.3) }' && BUSY=1
kb() { echo $(( ${1:-0} / 1024 )); }

{
echo "# Benchmarks"
echo
echo "Written by \`make bench\` (tests/bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'); do not edit by hand."
echo
echo "**Machine**: $CORES cores ($CPU), $MEM memory, $(uname -sr). Load average (1, 5, 15 min):"
echo "$LOAD_START at the start, $LOAD_END at the end; the run took $(( (T_END - T_START) / 60 )) min."
echo "Cores free for the benchmarks (tests/bench/cores.c: the same work on 1 and on $CORES_N threads):"
echo "$(val cores_start free) of $CORES_N at the start, $(val cores_end free) at the end."
if [ "$BUSY" = 1 ]; then
    echo "**The machine was busy** with other work during this run: wall times are inflated by"
    echo "waiting for a core and vary from run to run. The comparisons between single-threaded"
    echo "programs are therefore made on CPU time (user + system), which waiting does not count;"
    echo "the figures that need wall time (the second core, the report over P) are only indicative."
else
    echo "The machine was quiet; comparisons between single-threaded programs are still made on"
    echo "CPU time (user + system) for consistency, wall times are shown beside them."
fi
echo
echo "Every figure is the median of $RUNS runs ($P_RUNS for the report over all of P), measured from"
echo "outside the process by tests/bench/measure.c (wall time, CPU time of the process and its"
echo "children, peak RSS) or, where a phase is timed apart, inside it (wall and CPU clocks)."
echo
echo "**Versions**: libhgq $("$HGQ" --version 2>/dev/null | awk '{ print $2 }') (built with $(${CC:-cc} --version | head -n 1), -O2),"
echo "expat $(pkgver libexpat1), zlib $(pkgver zlib1g), minizip $(pkgver libminizip1),"
echo "libxlsxwriter $(pkgver libxlsxwriter-dev), Lua $(pkgver liblua5.4-0);"
echo "Python $("$PY" --version 2>/dev/null | awk '{ print $2 }') (Debian's) with openpyxl $(pymod openpyxl),"
echo "pandas $(pymod pandas), XlsxWriter $(pymod xlsxwriter), lxml $(pymod lxml);"
if have_sheetjs; then
    echo "Node $(node --version) with SheetJS (npm \`xlsx\`) $(val sheetjs_Rs version)."
else
    echo "SheetJS not installed (\`make bench PEERS=1\` installs it)."
fi
echo
echo "**Workloads** (tests/bench/gen.c, with libhgq's writer; kept in build/bench-data/):"
echo
echo "- **R**: a $(th "$ROWS")-row student roster of 12 columns (student number, name, gender, ID"
echo "  number, birth date as a date cell, major, class, year of entry, length of study, origin,"
echo "  hardship, status) with shared strings: $(mb "$(kb "$(stat -c %s "$DATA/R.xlsx")")") file,"
echo "  $(mb "$(kb "$(val floor_ns part_bytes)")") of sheet XML, $(th "$(val floor_sst sst_count)") shared strings."
echo "- **R-cm**: the same written in constant-memory mode (inline strings), $(mb "$(kb "$(stat -c %s "$DATA/R-cm.xlsx")")")."
echo "- **R'**: the first $(th "$SMALL") rows of R, for the peers."
echo "- **P**: a province of $(info schools) school folders shaped like examples/hengyang-2025"
echo "  (the same files, headers and manifest.lua), $(th "$(info min_students)") to $(th "$(info max_students)")"
echo "  students each, $(th "$(info students)") students and $(th "$(info staff)") staff in all, and"
echo "  P/all/{student,staff,major}.csv holding every school's records."
echo
} > "$MD"

TARGETS=$DATA/tmp/targets.md
: > "$TARGETS"
target() { echo "| $1 | $2 |" >> "$TARGETS"; }
verdict() { if eval "$1"; then echo MET; else echo "NOT MET"; fi; }

# {============ Reading R ============
if have import_R; then
    IMPC=$(med import_R cpu_s); IMPW=$(med import_R wall_s)
    OPEN_S=$(med import_R open_s); ROWS_S=$(med import_R rows_s)
    PARC=$(med import_R_par cpu_s); PARW=$(med import_R_par wall_s)
    FNS=$(med floor_ns cpu_s); FSST=$(med floor_sst cpu_s); FALL=$(add "$FNS" "$FSST")
    FNSW=$(med floor_ns wall_s)
    SCANALL=$(add "$(med floor_scan cpu_s)" "$(med floor_scansst cpu_s)")
    SST_B=$(val floor_sst sst_mem_bytes)
    RSS=$(med import_R peak_rss_kb); PRSS=$(med import_R_par peak_rss_kb)
    row() { # LABEL NAME [ROWS]
        echo "| $1 | $(s "$(med "$2" wall_s)") | $(s "$(med "$2" cpu_s)") | $(th "$(rate "${3:-}" "$(med "$2" cpu_s)")") | $(mb "$(med "$2" peak_rss_kb)") | $(x "$(med "$2" cpu_s)" "$IMPC") |"
    }
    par() { awk -v c="$1" -v w="$2" 'BEGIN { if (w > 0) printf "%.2f", c / w; else printf "—" }'; }
    {
    echo "## Reading R"
    echo
    echo "| what | wall | CPU | rows/s (CPU) | peak RSS | CPU vs libhgq |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: |"
    row "**libhgq import of R, one thread** (C: hgq_rows_next with threads = 1, every cell typed, dates decoded)" import_R "$R_ROWS"
    echo "| &nbsp;&nbsp;of which opening: package, styles, shared strings (wall, inside) | $(s "$OPEN_S") | | | | |"
    echo "| &nbsp;&nbsp;of which the rows (wall, inside) | $(s "$ROWS_S") | | | | |"
    row "libhgq import of R-cm, one thread (inline strings, no shared-string table)" import_Rcm "$R_ROWS"
    row "floor: inflating the sheet part only" floor_inflate
    row "floor: inflate + expat without namespaces, empty handlers" floor_expat "$R_ROWS"
    row "**floor: inflate + expat with namespaces, empty handlers** (the issue's floor)" floor_ns "$R_ROWS"
    row "floor: the shared-string part, the same way" floor_sst
    echo "| **expat floor of both parts** (what an import reads) | | $(s "$FALL") | $(th "$(rate "$R_ROWS" "$FALL")") | | $(x "$FALL" "$IMPC") |"
    row "expat floor of R-cm's sheet part (inline strings)" floor_ns_cm "$R_ROWS"
    row "inflate + libhgq's tokenizer, empty handlers (what the reader parses with)" floor_scan "$R_ROWS"
    row "the shared-string part, the same way" floor_scansst
    echo "| tokenizer floor of both parts | | $(s "$SCANALL") | $(th "$(rate "$R_ROWS" "$SCANALL")") | | $(x "$SCANALL" "$IMPC") |"
    row "R-cm's sheet part, the same way" floor_scan_cm "$R_ROWS"
    echo
    if have floor_scan && have floor_inflate; then
        TOK_S=$(add "$(med floor_scan cpu_s)" "-$(med floor_inflate cpu_s)")
        TOK_E=$(add "$FNS" "-$(med floor_inflate cpu_s)")
        echo "Tokenising alone (the floor less inflating): expat $(s "$TOK_E"), libhgq's tokenizer"
        echo "$(s "$TOK_S"), $(x "$TOK_E" "$TOK_S") faster. The reader parses every part with its own"
        echo "tokenizer (libhgq/src/xmlscan.c), which gives the same events as expat (test_xmlscan and"
        echo "fuzz_xmlscan compare the two); expat still reads a part with a DOCTYPE."
        echo
    fi
    echo "\"CPU vs libhgq\" divides by the one-thread import's CPU time: a floor at 0.80x means the"
    echo "import spends a quarter more than that floor. The shared-string table holds"
    echo "$(th "$(val floor_sst sst_count)") strings, $(mb "$(kb "$SST_B")") as libhgq keeps it (text, a NUL and an 8-byte offset each)."
    echo
    echo "### Using the second core"
    echo
    echo "By default (threads = 0) the reader parses a large sheet part on every core: the calling"
    echo "thread inflates the part and cuts it after row end tags into 1 MiB segments, which worker"
    echo "threads parse, one per core, the rows coming back in order (libhgq/src/sheet.c,"
    echo "libhgq/src/pipe.c). Whole processes, measured from outside:"
    echo
    echo "| what | wall | CPU (all threads) | CPU / wall | rows/s (wall) | peak RSS | wall vs the one-core expat floor |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    echo "| the expat floor, one core | $(s "$FNSW") | $(s "$FNS") | $(par "$FNS" "$FNSW") | $(th "$(rate "$R_ROWS" "$FNSW")") | $(mb "$(med floor_ns peak_rss_kb)") | 1.00x |"
    echo "| libhgq import of R, one thread | $(s "$IMPW") | $(s "$IMPC") | $(par "$IMPC" "$IMPW") | $(th "$(rate "$R_ROWS" "$IMPW")") | $(mb "$RSS") | $(x "$IMPW" "$FNSW") |"
    echo "| **libhgq import of R, default** (threads = 0) | $(s "$PARW") | $(s "$PARC") | $(par "$PARC" "$PARW") | $(th "$(rate "$R_ROWS" "$PARW")") | $(mb "$PRSS") | $(x "$PARW" "$FNSW") |"
    echo "| libhgq import of R-cm, one thread | $(s "$(med import_Rcm wall_s)") | $(s "$(med import_Rcm cpu_s)") | $(par "$(med import_Rcm cpu_s)" "$(med import_Rcm wall_s)") | $(th "$(rate "$R_ROWS" "$(med import_Rcm wall_s)")") | $(mb "$(med import_Rcm peak_rss_kb)") | $(x "$(med import_Rcm wall_s)" "$(med floor_ns_cm wall_s)") of R-cm's |"
    echo "| libhgq import of R-cm, default | $(s "$(med import_Rcm_par wall_s)") | $(s "$(med import_Rcm_par cpu_s)") | $(par "$(med import_Rcm_par cpu_s)" "$(med import_Rcm_par wall_s)") | $(th "$(rate "$R_ROWS" "$(med import_Rcm_par wall_s)")") | $(mb "$(med import_Rcm_par peak_rss_kb)") | $(x "$(med import_Rcm_par wall_s)" "$(med floor_ns_cm wall_s)") of R-cm's |"
    if have lua_R; then
        echo "| Lua: \`for i, row in sh:rows() do n = n + #row end\` (hgq run, default threads) | $(s "$(med lua_R wall_s)") | $(s "$(med lua_R cpu_s)") | $(par "$(med lua_R cpu_s)" "$(med lua_R wall_s)") | $(th "$(rate "$R_ROWS" "$(med lua_R wall_s)")") | $(mb "$(med lua_R peak_rss_kb)") | $(x "$(med lua_R wall_s)" "$FNSW") |"
    fi
    echo
    echo "The shared strings are parsed before the rows, by the calling thread alone; CPU / wall"
    echo "near 2 would mean both cores worked all along."
    echo
    } >> "$MD"
    target "$(verdict 'le "$IMPC" "$FNS"')" "import of R no more than the expat floor: $(s "$IMPC") CPU on one thread against $(s "$FNS") for the sheet part ($(x "$IMPC" "$FNS")), $(s "$FALL") for both parts it reads ($(x "$IMPC" "$FALL"))"
    target "$(verdict 'le "$IMPC" "$FALL" 1.1')" "import single-threaded within 1.1x of the expat floor: $(x "$IMPC" "$FALL") of the floor of both parts (CPU); against libhgq's own tokenizer floor of both parts, $(x "$IMPC" "$SCANALL")"
    target "$(verdict 'le "$PARW" "$FNSW" 0.999 && le "$PARW" "$IMPW" 0.999')" "the second core takes the import below the floor: $(s "$PARW") wall with the default threads, against $(s "$IMPW") on one thread and the expat floor's $(s "$FNSW") ($(x "$PARW" "$FNSW"))"
    target "$(verdict '[ -n "$SST_B" ] && le "$RSS" "$(( SST_B / 1024 + 32768 ))" && le "$PRSS" "$(( SST_B / 1024 + 32768 ))"')" "peak RSS importing R at most the shared strings + 32 MB: $(mb "$RSS") on one thread, $(mb "$PRSS") with the default threads, against $(mb "$(kb "$SST_B")") + 32 MB"
    if have lua_R; then
        target "$(verdict 'le "$(med lua_R cpu_s)" "$PARC" 1.5')" "Lua iteration within 1.5x of the C import (both with the default threads): $(x "$(med lua_R cpu_s)" "$PARC") (CPU; wall $(x "$(med lua_R wall_s)" "$PARW"))"
    else
        target "NOT MEASURED" "Lua iteration within 1.5x of the C import (\`hgq run tests/bench/iterate.lua\` failed or was skipped; see the log)"
    fi
fi
# }============

# {============ Peers on R' ============
if have import_Rs; then
    ISC=$(med import_Rs1 cpu_s); ISW=$(med import_Rs wall_s)
    prow() { # LABEL NAME
        if have "$2"; then
            echo "| $1 | $(s "$(med "$2" wall_s)") | $(s "$(med "$2" cpu_s)") | $(th "$(rate "$RS_ROWS" "$(med "$2" cpu_s)")") | $(mb "$(med "$2" peak_rss_kb)") | $(x "$(med "$2" cpu_s)" "$ISC") | $(x "$(med "$2" wall_s)" "$ISW") | $(s "$(awk -v a="$(med "$2" cpu_s)" -v k="$SCALE" 'BEGIN { print a * k }')") |"
        else
            echo "| $1 | not measured: not installed or failed (see the log) | | | | | | |"
        fi
    }
    {
    echo "## Reading R' ($(th "$SMALL") rows) with the tools people use instead"
    echo
    echo "The peers are too slow for R's million rows several times over, so all are measured on"
    echo "R' and compared there, like with like; the last column scales their CPU time by $SCALE to"
    echo "what R would take (reading is linear in rows; **scaled, not measured**). Whole processes:"
    echo "start-up and library imports included. \"CPU vs libhgq\" compares with libhgq on one"
    echo "thread (threads = 1), \"wall vs libhgq\" with libhgq as it reads by default (threads = 0)."
    echo
    echo "| what | wall | CPU | rows/s (CPU) | peak RSS | CPU vs libhgq | wall vs libhgq | on R, scaled |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    echo "| **libhgq import** (C), one thread | $(s "$(med import_Rs1 wall_s)") | $(s "$ISC") | $(th "$(rate "$RS_ROWS" "$ISC")") | $(mb "$(med import_Rs1 peak_rss_kb)") | 1.00x | | $(s "$(awk -v a="$ISC" -v k="$SCALE" 'BEGIN { print a * k }')") (measured: $(s "${IMPC:-}")) |"
    echo "| **libhgq import** (C), default threads | $(s "$ISW") | $(s "$(med import_Rs cpu_s)") | $(th "$(rate "$RS_ROWS" "$(med import_Rs cpu_s)")") | $(mb "$(med import_Rs peak_rss_kb)") | | 1.00x | |"
    prow "openpyxl $(pymod openpyxl), read-only mode, values_only" openpyxl_Rs
    prow "pandas $(pymod pandas) read_excel (openpyxl engine)" pandas_read_Rs
    prow "SheetJS $(val sheetjs_Rs version): readFile, dense, cellDates" sheetjs_Rs
    echo
    } >> "$MD"
    for p in openpyxl_Rs:20:"openpyxl read-only" sheetjs_Rs:10:"SheetJS"; do
        n=${p%%:*}; rest=${p#*:}; k=${rest%%:*}; label=${rest#*:}
        if have "$n"; then
            target "$(verdict 'le "$(awk -v a="$ISW" -v k="$k" "BEGIN { print a * k }")" "$(med "$n" wall_s)"')" "at least ${k}x faster than $label: $(x "$(med "$n" wall_s)" "$ISW") in wall time with libhgq's default threads; in CPU time against libhgq on one thread, $(x "$(med "$n" cpu_s)" "$ISC")"
        else
            target "NOT MEASURED" "at least ${k}x faster than $label (not installed: \`make bench PEERS=1\`)"
        fi
    done
fi
# }============

# {============ Statistics over P ============
if have stats_P; then
    ST=$(med stats_P stats_cpu)
    PST=$(med pandas_stats_P stats_cpu)
    {
    echo "## Statistics over P ($(th "$(val stats_P rows.student)") students, $(th "$(val stats_P rows.staff)") staff)"
    echo
    echo "表2 (new students by major category x gender, margins), 表3 (full-time teachers by title"
    echo "and by education x age band on 2025-09-01, margins), three group-bys (students in school by"
    echo "major and year with a total, by origin with shares, by hardship) and the catalogue's"
    echo "indicators ($(val stats_P indicators_defined) of $(val stats_P indicators) defined on these tables). libhgq: tests/bench/stats.c on the"
    echo "statistics API (hgq_crosstab_compute, hgq_stats_age_bands, hgq_stats_group,"
    echo "hgq_catalogue_evaluate) over one dataset imported from P/all/*.csv with hgq_import_file;"
    echo "pandas: tests/bench/peers/pandas_stats.py over the same files. Each phase timed inside the"
    echo "program; loading apart."
    echo
    echo "| what | libhgq CPU | pandas CPU | pandas vs libhgq | libhgq wall | pandas wall |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: |"
    for k in t2:表2 t3:表3 groups:group-bys indicators:indicators stats:"**all the statistics**" load:"loading the CSV files (libhgq: import with every value normalised and checked)"; do
        key=${k%%:*}
        echo "| ${k#*:} | $(s "$(med stats_P "${key}_cpu")") | $(s "$(med pandas_stats_P "${key}_cpu")") | $(x "$(med pandas_stats_P "${key}_cpu")" "$(med stats_P "${key}_cpu")") | $(s "$(med stats_P "${key}_s")") | $(s "$(med pandas_stats_P "${key}_s")") |"
    done
    echo "| peak RSS of the process | $(mb "$(med stats_P peak_rss_kb)") | $(mb "$(med pandas_stats_P peak_rss_kb)") | | | |"
    echo
    if have pandas_stats_P; then
        grep -v '_s=\|_cpu=\|_kb=\|^exit=\|^rows\.\|^rejected\.' "$RES/stats_P.1" | sort > "$DATA/tmp/a.txt"
        grep -v '_s=\|_cpu=\|_kb=\|^exit=' "$RES/pandas_stats_P.1" | sort > "$DATA/tmp/b.txt"
        agree=$(join -t= "$DATA/tmp/a.txt" "$DATA/tmp/b.txt" |
                awk -F= '{ d = $2 - $3; if (d < 0) d = -d; m = $2 < 0 ? -$2 : $2
                           if (d <= 1e-5 * m + 1e-9) ok++; else { bad++; if (bad <= 5) list = list " " $1 } }
                         END { printf "%d of %d%s", ok, ok + bad, bad ? " (differ:" list ")" : "" }')
        echo "Both computed the same figures: $agree values compared (表2 and 表3 cells, totals,"
        echo "group counts, indicators)."
        echo
    fi
    } >> "$MD"
    if have pandas_stats_P; then
        target "$(verdict 'le "$ST" "$PST" 0.1')" "statistics over P at least 10x faster than pandas: pandas takes $(x "$PST" "$ST") libhgq's CPU time ($(s "$PST") against $(s "$ST"))"
    else
        target "NOT MEASURED" "statistics over P at least 10x faster than pandas (pandas not installed)"
    fi
fi
# }============

# {============ Writing R ============
if have write_hgq; then
    wrow() { # LABEL NAME ROWS BASE
        if have "$2"; then
            echo "| $1 | $(th "$3") | $(s "$(med "$2" write_s)") | $(s "$(med "$2" write_cpu)") | $(th "$(rate "$3" "$(med "$2" write_cpu)")") | $(mb "$(med "$2" peak_rss_kb)") | $(x "$(med "$2" write_cpu)" "$(med "$4" write_cpu)") |"
        fi
    }
    {
    echo "## Writing R"
    echo
    echo "The same cells (header and 12 columns, the same number formats, font, borders, frozen"
    echo "header row and column widths) through libhgq's writer (tests/bench/gen.c:"
    echo "hgq_writer_sheet_begin_table, hgq_writer_sheet_append_row), through libxlsxwriter directly"
    echo "(tests/bench/raw_write.c) and through Python's XlsxWriter (on R', from a CSV read before its"
    echo "clock starts). Time of the writing alone (making the values is timed apart and taken off);"
    echo "peak RSS of the whole process."
    echo
    echo "| what | rows | wall | CPU | rows/s (CPU) | peak RSS | CPU vs libhgq |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    wrow "**libhgq writer, shared strings**" write_hgq "$ROWS" write_hgq
    wrow "raw libxlsxwriter, shared strings" write_raw "$ROWS" write_hgq
    wrow "**libhgq writer, constant memory**" write_hgq_cm "$ROWS" write_hgq_cm
    wrow "raw libxlsxwriter, constant memory" write_raw_cm "$ROWS" write_hgq_cm
    wrow "libhgq writer, shared strings" write_hgq_Rs "$SMALL" write_hgq_Rs
    wrow "XlsxWriter $(pymod xlsxwriter)" xlsxwriter_Rs "$SMALL" write_hgq_Rs
    wrow "libhgq writer, constant memory" write_hgq_cm_Rs "$SMALL" write_hgq_cm_Rs
    wrow "XlsxWriter $(pymod xlsxwriter), constant memory" xlsxwriter_cm_Rs "$SMALL" write_hgq_cm_Rs
    echo
    } >> "$MD"
    for m in "":"shared strings" _cm:"constant memory"; do
        k=${m%%:*}
        a=$(med "write_hgq$k" write_cpu); b=$(med "write_raw$k" write_cpu)
        target "$(verdict 'le "$a" "$b" 1.2')" "writing R (${m#*:}) within 1.2x of raw libxlsxwriter: $(x "$a" "$b") (CPU; wall $(x "$(med "write_hgq$k" write_s)" "$(med "write_raw$k" write_s)"))"
    done
fi
# }============

# {============ hgq report ============
{
echo "## hgq report"
echo
if have report_example; then
    NS=$(wc -l < "$DATA/tmp/schools.txt")
    echo "| what | wall | CPU | CPU / wall (cores busy) | peak RSS |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    echo "| \`hgq report\` on the example school (examples/hengyang-2025, $(th "$(sed -n 's/.*共 \([0-9]*\) 行.*/\1/p' "$RES/report_example.1" 2>/dev/null)") rows) | $(s "$(med report_example wall_s)") | $(s "$(med report_example cpu_s)") | | $(mb "$(med report_example peak_rss_kb)") |"
    for r in report_P1:"one school after another (xargs -P1)" report_P2:"two at a time (xargs -P2)"; do
        n=${r%%:*}
        if have "$n"; then
            echo "| \`hgq report\` on each of the $NS schools of P, ${r#*:} | $(s "$(med "$n" wall_s)") | $(s "$(med "$n" cpu_s)") | $(awk -v c="$(med "$n" cpu_s)" -v w="$(med "$n" wall_s)" 'BEGIN { printf "%.2f", c / w }') | $(mb "$(med "$n" peak_rss_kb)") |"
        fi
    done
    if have summary_P; then
        echo "| \`hgq summary\` over P's $NS reports | $(s "$(med summary_P wall_s)") | $(s "$(med summary_P cpu_s)") | | $(mb "$(med summary_P peak_rss_kb)") |"
    fi
    echo
    echo "Reports written: $(ls "$DATA"/tmp/reports/*.xlsx 2>/dev/null | wc -l) of $NS schools; peak RSS is that of the largest single process."
    echo
else
    echo "$REPORT_STATE."
    echo
fi
} >> "$MD"
if have report_example; then
    target "$(verdict 'le "$(med report_example wall_s)" 0.5')" "hgq report on the example school under half a second: $(s "$(med report_example wall_s)") wall ($(s "$(med report_example cpu_s)") CPU)"
    if have report_P2; then
        busy=$(awk -v c="$(med report_P2 cpu_s)" -v w="$(med report_P2 wall_s)" 'BEGIN { printf "%.2f", c / w }')
        target "$(verdict 'le 1.8 "$busy"')" "on all of P, the cores kept busy: $busy of $CORES cores busy with xargs -P2, $(x "$(med report_P1 wall_s)" "$(med report_P2 wall_s)") faster than one school at a time$(le "$(val cores_end free)" "$CORES" 0.85 && echo " (only $(val cores_end free) cores were free at the end of the run: only indicative)")"
    fi
else
    target "NOT MEASURED" "hgq report on the example school under half a second ($REPORT_STATE)"
    target "NOT MEASURED" "on all of P, the cores kept busy ($REPORT_STATE)"
fi
# }============

{
echo "## Targets (2-core machine)"
echo
echo "| | target: result |"
echo "| --- | --- |"
cat "$TARGETS"
echo
echo "Reproduce: \`make bench\` (\`make bench PEERS=1\` installs the peers first). The raw"
echo "key=value results of every run are kept in BUILD/bench/results/, the log in"
echo "BUILD/bench/bench.log."
} >> "$MD"

mv "$MD" "$OUT"
say "wrote $OUT"
