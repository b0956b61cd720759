-- Iterates every row of a workbook's first sheet from Lua, the way a
-- script reads a roster: values as Lua strings, numbers and hgq.date
-- tables.
--
--   hgq run tests/bench/iterate.lua FILE.xlsx
--
-- Prints rows=, n= (the sum of #row) and total_s= (opening included).
local hgq = require "hgq"

local t0 = os.clock()
local wb = assert(hgq.open(arg[1]))
local sh = assert(wb:sheet(1))
local rows, n = 0, 0
for i, row in sh:rows() do
  n = n + #row
  rows = rows + 1
end
wb:close()
io.write(string.format("rows=%d\nn=%d\ntotal_s=%.4f\n", rows, n, os.clock() - t0))
