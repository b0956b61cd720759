-- Reading a school's folder of office spreadsheets for `hgq report`: the
-- manifest, which entity each sheet holds (from its header, its title or the
-- manifest), and the import of records and published tables into a dataset.
local hgq = require "hgq"
local fs = require "hgq_fs"

local M = {}

-- Extensions read as spreadsheets, and ones recognised but not readable.
local READABLE = { xlsx = true, xlsm = true, csv = true }
local UNSUPPORTED = { xls = "旧版 Excel 97-2003 格式（.xls），请在 Excel 或 WPS 中另存为 .xlsx",
                      et = "WPS 表格格式（.et），请另存为 .xlsx",
                      ods = "OpenDocument 格式（.ods），请另存为 .xlsx" }

-- {====================================================================
-- The manifest
-- =====================================================================

local MANIFEST_KEYS = { school = "string", year = "number", as_of = "string", type = "string",
                        province = "string", files = "table" }
local FILE_KEYS = { entity = "string", sheet = "string", encoding = "string", skip = "boolean",
                    mapping = "table", sheets = "table", aggregate = "string",
                    published = "string", spec = "table", header_row = "number" }

-- Loads DIR/manifest.lua if present: a Lua chunk returning a table, run with
-- no access to anything (text only, empty environment). Returns the table
-- ({} when absent) and its path, or nil and a message.
function M.load_manifest(dir)
  local path = fs.join(dir, "manifest.lua")
  if not fs.is_file(path) then return {}, nil end
  local src, err = fs.read(path)
  if not src then return nil, string.format("cannot read %s: %s", path, err) end
  local chunk, lerr = load(src, "@" .. path, "t", {})
  if not chunk then return nil, string.format("manifest %s: %s", path, lerr) end
  local ok, m = pcall(chunk)
  if not ok then return nil, string.format("manifest %s: %s", path, tostring(m)) end
  if type(m) ~= "table" then return nil, string.format("manifest %s must return a table", path) end
  for k, v in pairs(m) do
    if not MANIFEST_KEYS[k] then
      return nil, string.format("manifest %s: unknown key '%s'", path, tostring(k))
    end
    if type(v) ~= MANIFEST_KEYS[k] then
      return nil, string.format("manifest %s: '%s' must be a %s", path, k, MANIFEST_KEYS[k])
    end
  end
  local function check_entry(where, e)
    if type(e) ~= "table" then
      return string.format("manifest %s: %s must be a table", path, where)
    end
    for k, v in pairs(e) do
      if not FILE_KEYS[k] then
        return string.format("manifest %s: %s: unknown key '%s'", path, where, tostring(k))
      end
      if type(v) ~= FILE_KEYS[k] then
        return string.format("manifest %s: %s: '%s' must be a %s", path, where, k, FILE_KEYS[k])
      end
    end
  end
  for name, e in pairs(m.files or {}) do
    local msg = check_entry(string.format("files[%q]", name), e)
    if msg then return nil, msg end
    for sheet, se in pairs(e.sheets or {}) do
      msg = check_entry(string.format("files[%q].sheets[%q]", name, sheet), se)
      if msg then return nil, msg end
    end
  end
  return m, path
end

-- }====================================================================

-- {====================================================================
-- Recognising a sheet
-- =====================================================================

-- A header cell as schemas match it: white space removed, full width
-- folded, ASCII lower case, a trailing "*" and a parenthesised note dropped.
local function norm_header(s)
  s = hgq.normalize.collapse(tostring(s)):lower()
  s = s:gsub("%*+$", "")
  s = s:gsub("%b()$", "")
  return s
end
M.norm_header = norm_header

-- header text -> { entity -> field } for every entity of the registry.
local function header_index(reg)
  local idx = {}
  for _, e in ipairs(reg:entities()) do
    for _, f in ipairs(reg:entity(e):fields()) do
      local names = { f.id, f.label }
      for _, h in ipairs(f.headers) do names[#names + 1] = h end
      for _, h in ipairs(names) do
        local k = norm_header(h)
        if k ~= "" then
          idx[k] = idx[k] or {}
          idx[k][e] = f.id
        end
      end
    end
  end
  return idx
end

-- The first rows of a sheet as arrays of values (nil holes), and their count.
local function head_rows(sh, n)
  local rows = {}
  local ok, err = pcall(function()
    for i, values in sh:rows({}) do
      if i > n then break end
      rows[i] = values
    end
  end)
  if not ok then return nil, err end
  return rows
end

-- Non-empty texts of a row, in column order.
local function row_texts(row)
  local out = {}
  if not row then return out end
  local maxc = 0
  for c in pairs(row) do if c > maxc then maxc = c end end
  for c = 1, maxc do
    local v = row[c]
    if v ~= nil and tostring(v):match("%S") then out[#out + 1] = tostring(v) end
  end
  return out
end

-- Which published table a title announces: "表3 ..." with the words of its
-- subject. Returns the kind ("aggregate" or "published"), the table or
-- entity, and the title; or nil.
local TITLE_WORDS = {
  { "新生", "aggregate", "pub_new_students" },
  { "专任教师", "aggregate", "pub_teachers" },
  { "技能等级认定", "aggregate", "pub_certifications" },
  { "职业技能鉴定", "aggregate", "pub_certifications" },
  { "资助", "aggregate", "pub_aid" },
  { "校企合作", "published", "partner" },
  { "合作企业", "published", "partner" },
  { "专业设置", "published", "major" },
}

local function published_title(rows)
  for r = 1, 3 do
    local t = row_texts(rows[r])[1]
    if t and hgq.normalize.collapse(t):match("^表%d+") then
      local title = hgq.normalize.collapse(t)
      for _, w in ipairs(TITLE_WORDS) do
        if title:find(w[1], 1, true) then return w[2], w[3], t end
      end
    end
  end
end

-- Scores every entity against the first rows: the most distinct fields
-- named by one row, or by two adjacent rows (a two-row header). Returns the
-- best entity, its score and the runner-up's score.
local function score_entities(idx, rows, nrows)
  local best = {}
  for r = 1, nrows do
    local count = {}
    for _, rr in ipairs({ r, r + 1 }) do
      for _, text in ipairs(row_texts(rows[rr])) do
        local hit = idx[norm_header(text)]
        if hit then
          for e, f in pairs(hit) do
            count[e] = count[e] or {}
            count[e][f] = true
          end
        end
      end
    end
    for e, fields in pairs(count) do
      local n = 0
      for _ in pairs(fields) do n = n + 1 end
      if n > (best[e] or 0) then best[e] = n end
    end
  end
  local top, topn, second = nil, 0, 0
  local names = {}
  for e in pairs(best) do names[#names + 1] = e end
  table.sort(names)
  for _, e in ipairs(names) do
    local n = best[e]
    if n > topn then
      top, second, topn = e, topn, n
    elseif n > second then
      second = n
    end
  end
  return top, topn, second
end

-- }====================================================================

-- {====================================================================
-- Published tables: how each is laid out
-- =====================================================================

-- 表2: one header row of categories ("机械、电工电子类新生人数"), one row of
-- figures; 新生总数 is the margin. The header is read to map each printed
-- label to its category.
local function new_students_spec(rows)
  local values = {}
  for r = 1, #rows do
    local texts = row_texts(rows[r])
    if #texts >= 2 then
      for _, t in ipairs(texts) do
        local k = hgq.normalize.collapse(t)
        if k:find("总数") or k:find("合计") or k:find("总计") then
          values[t] = "合计"
        else
          local cat = k:gsub("新生人数$", ""):gsub("人数$", ""):gsub("新生$", "")
          values[t] = cat
        end
      end
      break
    end
  end
  return { measure = "人", col_dims = { { name = "category", values = values } } }
end

M.AGGREGATE_SPECS = {
  pub_new_students = new_students_spec,
  pub_teachers = function()
    return { measure = "人", row_dims = { "group", "item" }, col_dims = { "age_band" },
             margins = { "合计" }, breakdown = "group", breakdown_total = "总计" }
  end,
  pub_certifications = function()
    return { measure = "人", row_dims = { "trade", "level" }, col_dims = { "year" } }
  end,
  pub_aid = function()
    return { measure = "人", row_dims = { "year" }, col_dims = { "item" } }
  end,
}

-- }====================================================================

-- {====================================================================
-- Reading the folder
-- =====================================================================

-- The manifest entry for a file: its own, or one whose name matches
-- without regard to case.
local function manifest_entry(manifest, name)
  local files = manifest.files or {}
  if files[name] then return files[name] end
  for k, v in pairs(files) do
    if k:lower() == name:lower() then return v end
  end
end

--[[
Reads every spreadsheet of `dir` into dataset `ds`. Returns a report of what
was done:
  decisions = { {file=, path=, sheet=, kind=, entity=, how=, score=, note=,
                 summary=} ... }   one per sheet considered (kind: "records",
                 "aggregate", "published", "skipped", "unknown", "error")
  published = { [entity] = { {record=, origins=, file=, sheet=} ... } }
  problems  = { finding-like tables for files that could not be read }
  files     = number of spreadsheet files read
`progress(msg)` is called before each file. Workbooks written by `hgq
report` itself are left out.
]]
function M.read_folder(dir, ds, manifest, progress)
  local names, err = fs.list(dir)
  if not names then return nil, err end
  local reg = ds:schemas()
  local idx = header_index(reg)
  local out = { decisions = {}, published = {}, problems = {}, files = 0, ignored = {} }
  local pubds                                     -- scratch dataset for published lists
  local aggregates = {}                           -- imported after the records

  local function decide(d)
    out.decisions[#out.decisions + 1] = d
    return d
  end
  local function problem(path, sheet, msg)
    out.problems[#out.problems + 1] = {
      severity = "错误", code = "report.input", message = msg,
      file = path, sheet = sheet,
    }
  end

  for _, name in ipairs(names) do
    local stem, ext = fs.splitext(name)
    local path = fs.join(dir, name)
    local entry = manifest_entry(manifest, name)
    if name:sub(1, 1) == "." or name:sub(1, 2) == "~$" then
      -- hidden files and Excel's lock files
    elseif entry and entry.skip then
      decide { file = name, path = path, kind = "skipped", how = "清单", note = "清单要求跳过" }
    elseif UNSUPPORTED[ext] then
      decide { file = name, path = path, kind = "error", note = UNSUPPORTED[ext] }
      problem(path, nil, string.format("文件「%s」未读取：%s", name, UNSUPPORTED[ext]))
    elseif not READABLE[ext] then
      out.ignored[#out.ignored + 1] = name
    else
      if progress then progress(string.format("读取 %s", name)) end
      local wb, werr = hgq.open(path, { encoding = entry and entry.encoding or nil })
      local own = {}
      for _, info in ipairs(wb and wb:sheets() or {}) do own[info.name] = true end
      if own["指标"] and own["问题清单"] and own["说明"] then
        -- a report workbook written by hgq report: output, not input
        decide { file = name, path = path, kind = "skipped", note = "hgq report 生成的报告工作簿", report = true }
        wb:close()
        wb = nil
      elseif not wb then
        out.files = out.files + 1
        decide { file = name, path = path, kind = "error", note = werr }
        problem(path, nil, string.format("文件「%s」无法读取：%s", name, werr))
      else
        out.files = out.files + 1
        for _, info in ipairs(wb:sheets()) do
          local sentry = entry and entry.sheets and entry.sheets[info.name]
          local d = { file = name, path = path, sheet = info.name }
          -- a file-level entry with `sheet` names the one sheet to read
          if entry and entry.sheet and entry.sheet ~= info.name and not sentry then
            d.kind, d.how, d.note = "skipped", "清单", "清单指定读取其他工作表"
            decide(d)
            goto next_sheet
          end
          if entry and entry.sheets and not sentry and not entry.entity then
            d.kind, d.how, d.note = "skipped", "清单", "清单未列出此工作表"
            decide(d)
            goto next_sheet
          end
          if info.visibility ~= "visible" and not sentry and not (entry and entry.sheet) then
            d.kind, d.note = "skipped", "隐藏的工作表"
            decide(d)
            goto next_sheet
          end
          do
            local e = sentry or entry or {}
            local sh = wb:sheet(info.index)
            local rows, rerr = head_rows(sh, 30)
            if not rows then
              d.kind, d.note = "error", rerr
              decide(d)
              problem(path, info.name, string.format("工作表「%s」无法读取：%s", info.name, rerr))
              goto next_sheet
            end
            local nrows = 0
            for r in pairs(rows) do if r > nrows then nrows = r end end
            if nrows == 0 then
              d.kind, d.note = "skipped", "空工作表"
              decide(d)
              goto next_sheet
            end
            -- what the sheet holds
            if e.aggregate then
              d.kind, d.entity, d.how = "aggregate", e.aggregate, "清单"
            elseif e.published then
              d.kind, d.entity, d.how = "published", e.published, "清单"
            elseif e.entity then
              d.kind, d.entity, d.how = "records", e.entity, "清单"
            else
              local kind, what, title = published_title(rows)
              if kind then
                d.kind, d.entity, d.how, d.note = kind, what, "标题", title
              else
                local top, n, second = score_entities(idx, rows, nrows)
                if top and n >= 2 and n > second then
                  d.kind, d.entity, d.how, d.score = "records", top, "表头", n
                else
                  d.kind = "unknown"
                  d.note = top and n >= 2 and "表头同样符合多种数据，请在 manifest.lua 中指定"
                           or "表头不对应任何已知数据"
                end
              end
            end
            decide(d)
            if d.kind == "records" then
              if not reg:entity(d.entity) then
                d.kind, d.note = "error", "没有名为 " .. d.entity .. " 的数据类型"
                problem(path, info.name, string.format("清单为「%s」指定的数据类型 %s 不存在", name, d.entity))
              else
                local sum, ierr = ds:import(wb, d.entity, { sheet = info.name, mapping = e.mapping,
                                                           header_row = e.header_row })
                if sum then
                  d.summary = sum
                else
                  d.kind, d.note = "error", ierr
                  problem(path, info.name, string.format("工作表「%s」未能导入：%s", info.name, ierr))
                end
              end
            elseif d.kind == "aggregate" then
              local make = M.AGGREGATE_SPECS[d.entity]
              local spec = e.spec or (make and make(rows))
              if not spec then
                d.kind, d.note = "error", "不认识的已公布表格 " .. d.entity
                problem(path, info.name, string.format("工作表「%s」：不认识的已公布表格 %s", info.name, d.entity))
              else
                aggregates[#aggregates + 1] = { d = d, wb = wb, spec = spec }
              end
            elseif d.kind == "published" then
              pubds = pubds or hgq.dataset { year = ds:year(), as_of = ds:as_of() }
              local before = pubds:count(d.entity)
              local sum, ierr = pubds:import(wb, d.entity, { sheet = info.name, mapping = e.mapping,
                                                            header_row = e.header_row })
              if sum then
                d.summary = sum
                local list = out.published[d.entity] or {}
                out.published[d.entity] = list
                for i = before + 1, pubds:count(d.entity) do
                  local rec = pubds:record(d.entity, i)
                  local origins = {}
                  for k in pairs(rec) do origins[k] = pubds:origin(d.entity, i, k) end
                  list[#list + 1] = { record = rec, origins = origins, file = path, sheet = info.name,
                                      row = pubds:origin(d.entity, i) }
                end
              else
                d.kind, d.note = "error", ierr
                problem(path, info.name, string.format("工作表「%s」未能导入：%s", info.name, ierr))
              end
            end
          end
          ::next_sheet::
        end
      end
      -- aggregates of this workbook (the workbook must still be open)
      for _, a in ipairs(aggregates) do
        local d = a.d
        if ds:table(d.entity) then
          d.kind, d.note = "error", "同一张已公布表格出现了两次"
          problem(d.path, d.sheet, string.format("已公布表格 %s 出现了两次，第二次（工作表「%s」）未导入",
                                                 d.entity, d.sheet))
        else
          local spec = {}
          for k, v in pairs(a.spec) do spec[k] = v end
          spec.sheet = d.sheet
          local sum, aerr = ds:import_aggregate(a.wb, d.entity, spec)
          if sum then
            d.summary = sum
          else
            d.kind, d.note = "error", aerr
            problem(d.path, d.sheet, string.format("工作表「%s」未能作为已公布表格导入：%s", d.sheet, aerr))
          end
        end
      end
      aggregates = {}
      if wb then wb:close() end
    end
  end
  if pubds then pubds:close() end
  local present = {}
  for _, name in ipairs(names) do present[name:lower()] = true end
  for name in pairs(manifest.files or {}) do
    if not present[name:lower()] then
      out.problems[#out.problems + 1] = {
        severity = "提示", code = "report.manifest",
        message = string.format("清单 manifest.lua 列出的文件「%s」不在目录中", name),
      }
    end
  end
  return out
end

-- }====================================================================

return M
