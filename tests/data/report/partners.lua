-- Helpers for the 表4 comparison test of tests/e2e/report.sh.
--
--   hgq run partners.lua roster SRC.xlsx OUT.csv
--       writes the partner roster of SRC.xlsx as CSV, without its first
--       partner and with the second one's majors cut to 电子商务
--   hgq run partners.lua findings REPORT.xlsx
--       prints the 问题清单 of a report workbook, one finding a line:
--       code|file|sheet|cell|other file|other sheet|other cell|message
local hgq = require "hgq"

local mode, src, dst = arg[1], arg[2], arg[3]

local function rows_of(path, sheet)
  local wb = assert(hgq.open(path))
  local sh = assert(wb:sheet(sheet or 1))
  local rows = {}
  for r, values in sh:rows {} do rows[#rows + 1] = { r = r, v = values } end
  wb:close()
  return rows
end

local function csv_field(x)
  local s = x == nil and "" or tostring(x)
  if s:find('[,"\n]') then s = '"' .. s:gsub('"', '""') .. '"' end
  return s
end

if mode == "roster" then
  local out = assert(io.open(dst, "w"))
  local partners = 0
  for _, row in ipairs(rows_of(src)) do
    local v = row.v
    if type(v[1]) == "number" then partners = partners + 1 end
    if partners ~= 1 or type(v[1]) ~= "number" then
      if partners == 2 and type(v[1]) == "number" then v[3] = "电子商务" end
      local f = {}
      for c = 1, 5 do f[c] = csv_field(v[c]) end
      out:write(table.concat(f, ","), "\n")
    end
  end
  out:close()
elseif mode == "findings" then
  for _, row in ipairs(rows_of(src, "问题清单")) do
    local v = row.v
    if type(v[1]) == "number" then
      local f = {}
      for _, c in ipairs({ 3, 5, 6, 7, 8, 9, 10, 4 }) do f[#f + 1] = v[c] == nil and "" or tostring(v[c]) end
      io.write(table.concat(f, "|"), "\n")
    end
  end
else
  error("usage: partners.lua roster SRC.xlsx OUT.csv | findings REPORT.xlsx")
end
