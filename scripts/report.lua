-- report: build a school's annual report workbook from a folder of office spreadsheets
--
--   hgq report DIR [-o OUT.xlsx] [--year Y] [--as-of DATE] [--type TYPE] [--quiet]
--
-- Reads every .xlsx and .csv file of DIR, recognises which entity each sheet
-- holds from its header (or the published table from its title; a
-- manifest.lua in DIR can say instead), imports, validates, computes the
-- indicator catalogue and writes the report workbook OUT.xlsx (表1-表6,
-- 指标, 问题清单, 图表, 说明) and a Markdown summary OUT.md beside it.
-- Exits 0 when the workbook was written, whatever the findings.
local hgq = require "hgq"
local cli = require "hgq_cli"
local fs = require "hgq_fs"
local inputs_m = require "report_inputs"
local tables_m = require "report_tables"
local book = require "report_book"
local text = require "report_text"

local TOOL = "report"

local USAGE = [[
usage: hgq report DIR [-o OUT.xlsx] [--year Y] [--as-of DATE] [--type TYPE] [--quiet]

Builds the annual quality report workbook of the school whose office
spreadsheets (.xlsx, .csv) are in DIR, and a Markdown summary beside it.

  -o, --output OUT.xlsx  the workbook to write (default: DIR's name + .xlsx);
                         the summary goes to OUT.md
  --year Y               report year (default: manifest, else a year in DIR's
                         name, else this year)
  --as-of DATE           reference date for ages and status, e.g. 2025-09-01
                         (default: manifest, else 31 December of the year)
  --type TYPE            school type: 技工学校, 高级技工学校 or 技师学院
                         (default: manifest, else the school facts)
  -q, --quiet            print nothing but errors
  -h, --help             show this help

DIR/manifest.lua, when present, names the entity of files whose headers are
not recognised (see examples/hengyang-2025/manifest.lua).
]]

local SPEC = {
  ["-o"] = { key = "out", value = true }, ["--output"] = { key = "out", value = true },
  ["--year"] = { key = "year", value = true }, ["--as-of"] = { key = "as_of", value = true },
  ["--type"] = { key = "type", value = true },
  ["-q"] = { key = "quiet" }, ["--quiet"] = { key = "quiet" },
  ["-h"] = { key = "help" }, ["--help"] = { key = "help" },
}

local function die(msg, code) cli.die(TOOL, msg, code) end

-- {====================================================================
-- Arguments
-- =====================================================================

local opts, pos = cli.parse(arg, SPEC)
if not opts then die(pos .. " (try hgq report --help)", 2) end
if opts.help then
  io.write(USAGE)
  os.exit(0, true)
end
if #pos == 0 then die("missing DIR, the folder of the school's spreadsheets (try hgq report --help)", 2) end
if #pos > 1 then die(string.format("unexpected argument '%s' (one DIR at a time)", pos[2]), 2) end

local dir = pos[1]:gsub("(.)/+$", "%1")
if not fs.exists(dir) then die(string.format("'%s' does not exist", dir)) end
if not fs.is_dir(dir) then die(string.format("'%s' is not a directory", dir)) end

local manifest, manifest_path = inputs_m.load_manifest(dir)
if not manifest then die(manifest_path) end

local year
if opts.year then
  year = math.tointeger(tonumber(opts.year))
  if not year or year < 1990 or year > 2200 then
    die(string.format("--year '%s' is not a year", opts.year), 2)
  end
else
  year = manifest.year and math.tointeger(manifest.year)
  if not year then
    local y = fs.basename(dir):match("(20%d%d)") or fs.basename(dir):match("(19%d%d)")
    year = y and math.tointeger(tonumber(y)) or math.tointeger(tonumber(os.date("%Y")))
  end
end

local as_of
local as_of_text = opts.as_of or manifest.as_of
if as_of_text then
  as_of = hgq.normalize.date(as_of_text)
  if not as_of then
    die(string.format("%s '%s' is not a date (write it as 2025-09-01)",
                      opts.as_of and "--as-of" or "the manifest's as_of", as_of_text), 2)
  end
else
  as_of = hgq.date(year, 12, 31)
end
as_of_text = string.format("%04d-%02d-%02d", as_of.year, as_of.month, as_of.day)

local school_type = opts.type or manifest.type
do
  local reg = hgq.schemas()
  local f = reg:entity("school"):field("type")
  if school_type and f then
    local c = reg:entity("school"):canonical("type", school_type)
    if not c or c == "" then
      local known = table.concat(f.values, ", ")
      die(string.format("unknown school type '%s' (one of %s)", school_type, known), 2)
    end
    school_type = c
  end
  reg:close()
end

local out = opts.out or (fs.basename(dir) .. ".xlsx")
if fs.is_dir(out) then die(string.format("'%s' is a directory; give the workbook's file name", out), 2) end
local md_path = (out:gsub("%.[xX][lL][sS][xXmM]$", "")) .. ".md"

-- }====================================================================

local progress
if not opts.quiet and fs.isatty(2) then
  progress = function(msg) io.stderr:write("  ", msg, "\n") end
end

-- {====================================================================
-- Read, check, compute
-- =====================================================================

local ds = hgq.dataset {
  year = year, as_of = as_of, school = manifest.school, type = school_type,
  province = manifest.province,
}

-- (a workbook written by an earlier run into DIR is recognised and left out;
-- an input named as the output is read, and the writer refuses to replace it)
local inputs, ierr = inputs_m.read_folder(dir, ds, manifest, progress)
if not inputs then die(ierr) end

local imported = 0
for _, d in ipairs(inputs.decisions) do
  if d.summary then imported = imported + 1 end
end
if imported == 0 then
  local why = inputs.files == 0 and "no .xlsx or .csv file" or "no sheet recognised as school data"
  for _, d in ipairs(inputs.decisions) do
    if d.kind == "error" and d.note then why = why .. "; " .. d.file .. ": " .. d.note end
  end
  die(string.format("nothing to report from '%s': %s", dir, why))
end

if not opts.quiet then
  for _, d in ipairs(inputs.decisions) do
    local where = d.sheet and string.format("%s [%s]", d.file, d.sheet) or d.file
    local what
    if d.kind == "records" or d.kind == "published" then
      local s = ds:schema(d.entity)
      what = string.format("%s %s（%s）", d.kind == "published" and "已公布名单" or "名册",
                           d.entity, s and s:label() or "")
    elseif d.kind == "aggregate" then
      what = "已公布表格 " .. d.entity
    elseif d.kind == "skipped" then
      what = "跳过"
    elseif d.kind == "unknown" then
      what = "未识别"
    else
      what = "读取失败"
    end
    local how = d.how and ("依据" .. d.how .. (d.score and string.format("，%d 个字段", d.score) or "")) or nil
    local note = d.note and d.kind ~= "records" and d.kind ~= "aggregate" and d.kind ~= "published" and d.note or nil
    io.write(string.format("%s -> %s%s%s\n", where, what, how and ("（" .. how .. "）") or "",
                           note and ("：" .. book.mask_ids(tostring(note))) or ""))
  end
end

if progress then progress("检查数据") end
local ok_v, verr = ds:validate()
if not ok_v then die("validation failed: " .. tostring(verr)) end

local school = manifest.school
local school_rec = ds:table("school") and ds:record("school", 1) or nil
if not school then school = school_rec and school_rec.name or fs.basename(dir) end
if not school_type and school_rec then school_type = school_rec.type end

if progress then progress("计算各表") end
local tables, terr = tables_m.compute(ds, inputs.published)
if not tables then die("cannot compute the report's tables: " .. tostring(terr)) end

if progress then progress("计算指标") end
local catalogue, cerr = hgq.catalogue()
if not catalogue then die("cannot load the indicator catalogue: " .. tostring(cerr)) end
local results, eerr = catalogue:evaluate(ds, { school_type = school_type })
if not results then die("cannot evaluate the indicators: " .. tostring(eerr)) end

-- every finding, with its location, sorted by severity then place
local findings = {}
for _, f in ipairs(ds:findings()) do findings[#findings + 1] = f end
for _, p in ipairs(inputs.problems) do findings[#findings + 1] = p end
for _, n in ipairs(tables.notes) do
  findings[#findings + 1] = { severity = "警告", code = "report.compare", message = n }
end
for _, f in ipairs(findings) do f.message_masked = book.mask_ids(f.message or "") end
book.sort_findings(findings)

-- }====================================================================

-- {====================================================================
-- Write
-- =====================================================================

local input_paths = {}
for _, d in ipairs(inputs.decisions) do
  if not d.report then input_paths[#input_paths + 1] = d.path end
end
if manifest_path then input_paths[#input_paths + 1] = manifest_path end

local ctx = {
  school = school, year = year, type = school_type, as_of_text = as_of_text,
  dir_name = fs.basename(dir), generated = os.date("%Y-%m-%d %H:%M:%S"),
  manifest = manifest_path, schemas = ds:schemas(), input_paths = input_paths,
  version = hgq.version,
  -- for tests: the writer fails just before renaming its file into place
  fail_before_rename = os.getenv("HGQ_REPORT_FAIL_BEFORE_RENAME") == "1",
}

if progress then progress("写入 " .. out) end
local ok_w, werr = book.write(out, ctx, inputs, tables, results, findings, catalogue)
if not ok_w then die(string.format("cannot write %s: %s", out, tostring(werr))) end

local md = text.markdown(ctx, tables, results, findings)
local ok_m, merr = fs.write_atomic(md_path, md)
if not ok_m then die(string.format("wrote %s but not %s: %s", out, md_path, tostring(merr))) end

if not opts.quiet then
  io.write(text.summary(ctx, inputs, results, findings, out, md_path))
end
catalogue:close()
ds:close()
os.exit(0, true)

-- }====================================================================
