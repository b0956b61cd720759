-- The report's tables 表1-表6, computed from the rosters of a dataset, and
-- their comparison with the tables the school published (findings).
local hgq = require "hgq"

local M = {}

local TOTAL = "合计"

local function collapse(s)
  return hgq.normalize.collapse(tostring(s or ""))
end

local function sorted_keys(t)
  local k = {}
  for key in pairs(t) do k[#k + 1] = key end
  table.sort(k, function(a, b) return tostring(a) < tostring(b) end)
  return k
end

local function records(ds, name)
  local out = {}
  if ds:table(name) then
    for rec, i in ds:records(name) do
      rec._i = i
      out[#out + 1] = rec
    end
  end
  return out
end

local function int(v)
  if v == nil then return nil end
  local n = math.tointeger(v)
  return n or v
end

-- {====================================================================
-- 表1 专业设置
-- =====================================================================

local YEARS_TEXT = { "一年", "二年", "三年", "四年", "五年", "六年" }

local function table1(ds)
  local rows = {}
  for i, m in ipairs(records(ds, "major")) do
    local years = m.years and (YEARS_TEXT[m.years] or (tostring(m.years) .. "年")) or ""
    local ap = m.apprenticeship == nil and "" or (m.apprenticeship and "是" or "否")
    rows[#rows + 1] = { i, m.name or "", years, ap }
  end
  return { rows = rows }
end

-- }====================================================================

-- {====================================================================
-- 表2 新生人数 by category
-- =====================================================================

-- The categories a printed label covers: "机械、电工电子类" -> 机械类, 电工电子类.
local function label_parts(label)
  local parts = {}
  local text = tostring(label)
  for _, sep in ipairs({ "、", "，", "和", "及", "/" }) do text = text:gsub(sep, ",") end
  for p in text:gmatch("[^,]+") do
    p = collapse(p)
    if p ~= "" then
      if not p:find("类$") then p = p .. "类" end
      parts[#parts + 1] = p
    end
  end
  return parts
end
M.label_parts = label_parts

local function table2(ds, year)
  local category = {}
  local order = {}
  for _, m in ipairs(records(ds, "major")) do
    if m.name then
      category[m.name] = m.category
      if m.category and not order[m.category] then
        order[#order + 1] = m.category
        order[m.category] = true
      end
    end
  end
  local counts, total = {}, 0
  for _, s in ipairs(records(ds, "student")) do
    if s.entry_year == year then
      local c = category[s.major] or "其他"
      counts[c] = (counts[c] or 0) + 1
      total = total + 1
    end
  end
  -- columns: the published grouping where there is one, then any other category
  local columns, covered = {}, {}
  for rec in ds:records("pub_new_students") do
    if rec.category and rec.category ~= TOTAL then
      local parts = label_parts(rec.category)
      columns[#columns + 1] = { label = rec.category, parts = parts }
      for _, p in ipairs(parts) do covered[p] = true end
    end
  end
  local rest = {}
  for _, c in ipairs(order) do rest[#rest + 1] = c end
  for _, c in ipairs(sorted_keys(counts)) do
    if not order[c] then rest[#rest + 1] = c end
  end
  for _, c in ipairs(rest) do
    if not covered[c] then
      columns[#columns + 1] = { label = c, parts = { c } }
      covered[c] = true
    end
  end
  for _, col in ipairs(columns) do
    local n = 0
    for _, p in ipairs(col.parts) do n = n + (counts[p] or 0) end
    col.count = n
  end
  return { year = year, total = total, columns = columns }
end

-- }====================================================================

-- {====================================================================
-- 表3 专任教师 by age band x (title, education)
-- =====================================================================

local function table3(ds)
  local out = { bands = {}, groups = {}, total = 0, band_totals = {} }
  if not ds:table("staff") then return out end
  local filter = { post = "专任教师" }
  local function xt(field)
    return hgq.stats.crosstab(ds, "staff", { rows = field, cols = "age_band", filter = filter })
  end
  local xt_title, err = xt("title")
  if not xt_title then return nil, err end
  local xt_edu, err2 = xt("education")
  if not xt_edu then return nil, err2 end
  -- published items and bands are kept even when the roster has none
  local pub_items, pub_bands = {}, {}
  for rec in ds:records("pub_teachers") do
    if rec.item then pub_items[rec.item] = true end
    if rec.age_band then pub_bands[rec.age_band] = true end
  end
  local keep_col = {}
  for c, band in ipairs(xt_title.cols) do
    if (xt_title.col_totals[c] or 0) > 0 or pub_bands[band] then
      keep_col[#keep_col + 1] = c
      out.bands[#out.bands + 1] = band
      out.band_totals[#out.band_totals + 1] = int(xt_title.col_totals[c] or 0)
    end
  end
  out.total = int(xt_title.total or 0)
  for _, g in ipairs({ { "职称", xt_title }, { "学历", xt_edu } }) do
    local group = { name = g[1], items = {} }
    local x = g[2]
    for r, item in ipairs(x.rows) do
      if (x.row_totals[r] or 0) > 0 or pub_items[item] then
        local cells = {}
        for _, c in ipairs(keep_col) do cells[#cells + 1] = int(x.cells[r][c] or 0) end
        group.items[#group.items + 1] = { name = item, cells = cells, total = int(x.row_totals[r] or 0) }
      end
    end
    out.groups[#out.groups + 1] = group
  end
  return out
end

-- }====================================================================

-- {====================================================================
-- 表4 校企合作
-- =====================================================================

local function table4(ds)
  local rows = {}
  for i, p in ipairs(records(ds, "partner")) do
    rows[#rows + 1] = { i, p.name or "", p.majors or "", p.kind or "" }
  end
  return { rows = rows }
end

-- }====================================================================

-- {====================================================================
-- 表5 技能等级认定 by trade, level and year
-- =====================================================================

local function table5(ds)
  local cells, years, trades, levels_of = {}, {}, {}, {}
  local trade_order, year_list = {}, {}
  -- trades in the order the published table prints them, then the others
  for rec in ds:records("pub_certifications") do
    if rec.trade and rec.trade ~= TOTAL and not trades[rec.trade] then
      trades[rec.trade] = true
      trade_order[#trade_order + 1] = rec.trade
    end
  end
  local total = 0
  for _, c in ipairs(records(ds, "certification")) do
    if c.trade and c.level and c.year and c.persons then
      if not trades[c.trade] then
        trades[c.trade] = true
        trade_order[#trade_order + 1] = c.trade
      end
      levels_of[c.trade] = levels_of[c.trade] or {}
      levels_of[c.trade][c.level] = true
      local y = tostring(math.tointeger(c.year) or c.year)
      if not years[y] then
        years[y] = true
        year_list[#year_list + 1] = y
      end
      local key = c.trade .. "\0" .. c.level .. "\0" .. y
      cells[key] = (cells[key] or 0) + c.persons
      total = total + c.persons
    end
  end
  table.sort(year_list, function(a, b) return (tonumber(a) or 0) < (tonumber(b) or 0) end)
  -- levels from the highest (一级) down, as the report prints them
  local cert_levels = hgq.stats.categories("cert_level") or {}
  local rows = {}
  local year_totals = {}
  for _, t in ipairs(trade_order) do
    for k = #cert_levels, 1, -1 do
      local lv = cert_levels[k]
      if levels_of[t] and levels_of[t][lv] then
        local row = { trade = t, level = lv, values = {}, total = 0 }
        for j, y in ipairs(year_list) do
          local v = cells[t .. "\0" .. lv .. "\0" .. y]
          row.values[j] = v and int(v) or nil
          row.total = row.total + (v or 0)
          year_totals[j] = (year_totals[j] or 0) + (v or 0)
        end
        row.total = int(row.total)
        rows[#rows + 1] = row
      end
    end
    -- levels not in the standard list
    for _, lv in ipairs(sorted_keys(levels_of[t] or {})) do
      local known = false
      for _, l in ipairs(cert_levels) do if l == lv then known = true end end
      if not known then
        local row = { trade = t, level = lv, values = {}, total = 0 }
        for j, y in ipairs(year_list) do
          local v = cells[t .. "\0" .. lv .. "\0" .. y]
          row.values[j] = v and int(v) or nil
          row.total = row.total + (v or 0)
          year_totals[j] = (year_totals[j] or 0) + (v or 0)
        end
        rows[#rows + 1] = row
      end
    end
  end
  for j = 1, #year_list do year_totals[j] = int(year_totals[j] or 0) end
  return { years = year_list, rows = rows, year_totals = year_totals, total = int(total) }
end

-- }====================================================================

-- {====================================================================
-- 表6 学生资助 by year: the report year from the rosters, earlier years
-- from the published table
-- =====================================================================

M.AID_ITEMS = { "在校生数", "建档立卡贫困家庭学生人数", "非涉农困难家庭学生人数", "享受助学金学生总人数" }

local function table6(ds, year)
  local hardship_of = {}
  for _, s in ipairs(records(ds, "student")) do
    if s.student_no then hardship_of[s.student_no] = s.hardship end
  end
  local by_year = {}
  local function row_for(y)
    by_year[y] = by_year[y] or { year = y, seen = {}, poor = 0, other = 0, recipients = 0, source = "名册" }
    return by_year[y]
  end
  for _, a in ipairs(records(ds, "aid")) do
    local y = a.year or year
    local r = row_for(y)
    local who = a.student_no or a.name or ("#" .. a._i)
    if not r.seen[who] then
      r.seen[who] = true
      r.recipients = r.recipients + 1
      local h = a.hardship or (a.student_no and hardship_of[a.student_no])
      if h == "建档立卡" then r.poor = r.poor + 1
      elseif h == "非涉农困难家庭" then r.other = r.other + 1 end
    end
  end
  local in_school = ds:table("student") and hgq.stats.count(ds, "student", { status = "在校" }) or nil
  local rows = {}
  local report_row = by_year[year]
  if in_school or report_row then
    rows[#rows + 1] = { year = year, students = in_school,
                        poor = report_row and report_row.poor, other = report_row and report_row.other,
                        recipients = report_row and report_row.recipients, source = "名册" }
  end
  -- earlier years: an aid roster of that year, else the published table
  local pub_years = {}
  for rec in ds:records("pub_aid") do
    local y = tonumber(rec.year)
    if y and y ~= year then pub_years[math.tointeger(y) or y] = true end
  end
  for y in pairs(by_year) do
    if y ~= year then pub_years[y] = true end
  end
  local ys = sorted_keys(pub_years)
  table.sort(ys, function(a, b) return a > b end)
  for _, y in ipairs(ys) do
    local function pub(item)
      local v = hgq.stats.aggregate(ds, "pub_aid", { year = tostring(y), item = item })
      return int(v)
    end
    local r = by_year[y]
    if r then
      rows[#rows + 1] = { year = y, students = ds:table("pub_aid") and pub("在校生数") or nil,
                          poor = r.poor, other = r.other, recipients = r.recipients, source = "名册" }
    elseif ds:table("pub_aid") then
      rows[#rows + 1] = { year = y, students = pub("在校生数"), poor = pub("建档立卡贫困家庭学生人数"),
                          other = pub("非涉农困难家庭学生人数"), recipients = pub("享受助学金学生总人数"),
                          source = "已公布" }
    end
  end
  return { rows = rows }
end

-- }====================================================================

-- {====================================================================
-- Comparisons with the published tables
-- =====================================================================

local function compare(ds, name, rows, notes)
  if not ds:table(name) then return 0 end
  local n, err = ds:compare(name, rows)
  if not n then
    notes[#notes + 1] = string.format("%s 未能比对：%s", name, tostring(err))
    return 0
  end
  return n
end

local function compare_new_students(ds, t2, notes)
  local rows = { { category = TOTAL, value = t2.total } }
  for _, col in ipairs(t2.columns) do rows[#rows + 1] = { category = col.label, value = col.count } end
  return compare(ds, "pub_new_students", rows, notes)
end

local function compare_teachers(ds, t3, notes)
  local rows = {}
  local function add(group, item, band, v) rows[#rows + 1] = { group = group, item = item, age_band = band, value = v } end
  add("总计", "总计", TOTAL, t3.total)
  for j, band in ipairs(t3.bands) do add("总计", "总计", band, t3.band_totals[j]) end
  for _, g in ipairs(t3.groups) do
    for _, it in ipairs(g.items) do
      add(g.name, it.name, TOTAL, it.total)
      for j, band in ipairs(t3.bands) do add(g.name, it.name, band, it.cells[j]) end
    end
  end
  return compare(ds, "pub_teachers", rows, notes)
end

local function compare_certifications(ds, t5, notes)
  local rows = {}
  for _, r in ipairs(t5.rows) do
    for j, y in ipairs(t5.years) do
      if r.values[j] then rows[#rows + 1] = { trade = r.trade, level = r.level, year = y, value = r.values[j] } end
    end
    rows[#rows + 1] = { trade = r.trade, level = r.level, year = TOTAL, value = r.total }
  end
  for j, y in ipairs(t5.years) do
    rows[#rows + 1] = { trade = TOTAL, level = TOTAL, year = y, value = t5.year_totals[j] }
  end
  rows[#rows + 1] = { trade = TOTAL, level = TOTAL, year = TOTAL, value = t5.total }
  return compare(ds, "pub_certifications", rows, notes)
end

local function compare_aid(ds, t6, notes)
  local rows = {}
  for _, r in ipairs(t6.rows) do
    local y = tostring(r.year)
    local vals = { r.students, r.poor, r.other, r.recipients }
    for k, item in ipairs(M.AID_ITEMS) do
      if vals[k] then rows[#rows + 1] = { year = y, item = item, value = vals[k] } end
    end
  end
  return compare(ds, "pub_aid", rows, notes)
end

-- A published list of records (表4) against the roster of its entity, by
-- name: entries missing on either side and differing majors, added to the
-- dataset's findings with the cells they concern.
local function compare_list(ds, entity, published)
  local schema = ds:schema("major")
  local function majors_set(text)
    local set, list = {}, {}
    local t = tostring(text or "")
    for _, sep in ipairs({ "、", "，", "；", ";", "/" }) do t = t:gsub(sep, ",") end
    for m in t:gmatch("[^,]+") do
      m = collapse(m)
      if m ~= "" then
        local c = schema and schema:canonical("name", m) or nil
        if c == nil or c == "" then c = m end
        if not set[c] then
          set[c] = true
          list[#list + 1] = c
        end
      end
    end
    return set, list
  end
  local roster = {}
  for rec, i in ds:records(entity) do
    if rec.name then roster[collapse(rec.name)] = { rec = rec, i = i } end
  end
  local seen = {}
  local n = 0
  local label = ds:schema(entity) and ds:schema(entity):label() or entity
  for _, p in ipairs(published) do
    local key = collapse(p.record.name)
    local r = roster[key]
    local where = p.origins.name or p.row
    if not r then
      n = n + 1
      ds:add_finding {
        severity = "警告", code = "cmp.only_published", entity = entity, field = "name",
        message = string.format("已公布的表格中有「%s」，%s名册中没有", p.record.name or "", label),
        where = where,
      }
    else
      seen[key] = true
      if entity == "partner" then
        local a, al = majors_set(p.record.majors)
        local b, bl = majors_set(r.rec.majors)
        local same = #al == #bl
        for m in pairs(a) do if not b[m] then same = false end end
        if not same then
          n = n + 1
          ds:add_finding {
            severity = "警告", code = "cmp.value", entity = entity, field = "majors",
            message = string.format("「%s」的合作专业：已公布的表格为「%s」，名册为「%s」",
                                    p.record.name, table.concat(al, "、"), table.concat(bl, "、")),
            where = p.origins.majors or where,
            other = ds:origin(entity, r.i, "majors"),
          }
        end
      end
    end
  end
  for key, r in pairs(roster) do
    if not seen[key] then
      n = n + 1
      ds:add_finding {
        severity = "提示", code = "cmp.only_computed", entity = entity, field = "name",
        message = string.format("%s名册中的「%s」未出现在已公布的表格中", label, r.rec.name),
        where = ds:origin(entity, r.i, "name"),
      }
    end
  end
  return n
end

-- }====================================================================

--[[
Computes the six tables from the dataset's rosters and compares them with the
published tables. `published` holds the published record lists read by
report_inputs (表4). Every difference becomes a finding of the dataset
(ds:findings()). Returns
  { t1 =, t2 =, t3 =, t4 =, t5 =, t6 =, differences = n, notes = {...} }
where notes say which published tables could not be compared.
]]
function M.compute(ds, published)
  local year = ds:year()
  local out = { notes = {} }
  out.t1 = table1(ds)
  out.t2 = table2(ds, year)
  local t3, err = table3(ds)
  if not t3 then return nil, err end
  out.t3 = t3
  out.t4 = table4(ds)
  out.t5 = table5(ds)
  out.t6 = table6(ds, year)
  local d = 0
  d = d + compare_new_students(ds, out.t2, out.notes)
  d = d + compare_teachers(ds, out.t3, out.notes)
  d = d + compare_certifications(ds, out.t5, out.notes)
  d = d + compare_aid(ds, out.t6, out.notes)
  for entity, list in pairs(published or {}) do
    d = d + compare_list(ds, entity, list)
  end
  out.differences = d
  return out
end

return M
