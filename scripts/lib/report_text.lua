-- The text of `hgq report`: the Markdown summary office staff paste into
-- the report, and the short summary printed when the tool finishes.
local fs = require "hgq_fs"

local M = {}

local function num(v)
  if v == nil then return "—" end
  if math.type(v) == "integer" then return tostring(v) end
  local i = math.tointeger(v)
  if i then return tostring(i) end
  local s = string.format("%.2f", v)
  return s
end

local function by_id(results)
  local t = {}
  for _, r in ipairs(results) do t[r.id] = r end
  return t
end

-- The value of indicator `id` written as a number with `unit` (or its own).
local function val(ind, id, unit)
  local r = ind[id]
  if not r or not r.defined then return nil end
  return num(r.value) .. (unit or "")
end

-- A percentage to two decimals, as the report prints them ("34.92%"), but a
-- whole one without them ("100%").
local function pct(ind, id)
  local r = ind[id]
  if not r or not r.defined then return nil end
  local s = string.format("%.2f", r.value)
  return (s:gsub("%.00$", "")) .. "%"
end

-- Joins the pieces that exist with `sep`.
local function join(parts, sep)
  local out = {}
  for _, p in ipairs(parts) do if p and p ~= "" then out[#out + 1] = p end end
  return table.concat(out, sep or "，")
end

--[[
The Markdown summary: the report's figures in sentences, the indicators not
met and the findings by severity.
]]
function M.markdown(ctx, tables, results, findings)
  local ind = by_id(results)
  local y = ctx.year
  local L = {}
  local function p(s) if s and s ~= "" then L[#L + 1] = s; L[#L + 1] = "" end end
  L[#L + 1] = string.format("# %s %d 年度质量报告数据摘要", ctx.school, y)
  L[#L + 1] = ""
  p(string.format("统计基准日：%s。以下数字由 hgq %s 根据学校各科室的名册计算，可直接用于报告正文。",
                  ctx.as_of_text, ctx.version))

  L[#L + 1] = "## 学生规模"
  L[#L + 1] = ""
  local t2 = tables.t2
  if t2.total > 0 then
    local parts = {}
    for _, c in ipairs(t2.columns) do
      if c.count > 0 then parts[#parts + 1] = string.format("%s %d 人", c.label, c.count) end
    end
    p(string.format("%d 年招生人数为 %d 人%s。", y, t2.total,
                    #parts > 0 and ("，其中" .. table.concat(parts, "，")) or ""))
  end
  if ind.students and ind.students.defined then
    p(string.format("现有全日制在校生 %s 人。", num(ind.students.value)))
  end
  if ind.graduates and ind.graduates.defined then
    local g = ind.graduates
    local s = string.format("%d 年毕业人数为 %s 人", g.period, num(g.value))
    local parts = {}
    if ind.employed and ind.employed.defined then parts[#parts + 1] = string.format("就业人数为 %s 人", num(ind.employed.value)) end
    if ind.progressing and ind.progressing.defined then parts[#parts + 1] = string.format("升学人数为 %s 人", num(ind.progressing.value)) end
    if #parts > 0 then s = s .. "，其中" .. table.concat(parts, "，") end
    local rates = join({
      pct(ind, "employment_rate") and ("就业率 " .. pct(ind, "employment_rate")),
      pct(ind, "progression_rate") and ("升学率 " .. pct(ind, "progression_rate")),
    })
    if rates ~= "" then s = s .. "；" .. rates end
    p(s .. "。")
  end
  if ind.track_graduates and ind.track_graduates.defined and ind.track_graduates.value > 0
     and ind.track_progressing and ind.track_progressing.defined then
    p(string.format("职教高考班毕业生 %s 人，升学 %s 人，升学率达 %.0f%%。", num(ind.track_graduates.value),
                    num(ind.track_progressing.value),
                    ind.track_progressing.value / ind.track_graduates.value * 100))
  end

  L[#L + 1] = "## 教师队伍"
  L[#L + 1] = ""
  if ind.staff and ind.staff.defined then
    p(join({ string.format("学校现有教职员 %s 人", num(ind.staff.value)),
             val(ind, "teachers") and ("其中专任教师 " .. val(ind, "teachers", " 人")) }) .. "。")
  end
  local t3 = tables.t3
  if t3.total and t3.total > 0 then
    local ages = {}
    for j, b in ipairs(t3.bands) do
      if t3.band_totals[j] > 0 then ages[#ages + 1] = string.format("%s %d 人", b, t3.band_totals[j]) end
    end
    local groups = {}
    for _, g in ipairs(t3.groups) do
      local parts = {}
      for _, it in ipairs(g.items) do
        if it.total > 0 then parts[#parts + 1] = string.format("%s %d 人", it.name, it.total) end
      end
      groups[g.name] = table.concat(parts, "，")
    end
    p(string.format("专任教师年龄结构：%s。职称结构：%s。学历结构：%s。",
                    table.concat(ages, "，"), groups["职称"] or "—", groups["学历"] or "—"))
  end
  local sr = ind.student_teacher_ratio
  if sr and sr.defined then
    p(join({ "生师比为 " .. sr.text,
             pct(ind, "dual_teacher_share") and ("双师型教师比例为 " .. pct(ind, "dual_teacher_share")) }) .. "。")
  end

  L[#L + 1] = "## 办学条件"
  L[#L + 1] = ""
  p(join({
    val(ind, "land_area") and ("学校总占地面积 " .. val(ind, "land_area", " 平方米")),
    val(ind, "building_area") and ("校舍建筑面积 " .. val(ind, "building_area", " 平方米")),
    val(ind, "training_area") and ("校内实习实训场地面积 " .. val(ind, "training_area", " 平方米")),
    val(ind, "sports_area") and ("运动场地面积 " .. val(ind, "sports_area", " 平方米")),
  }) .. "。")
  p(join({
    val(ind, "equipment_value") and ("教学仪器设备总值 " .. val(ind, "equipment_value", " 万元")),
    val(ind, "computers") and ("教学用计算机 " .. val(ind, "computers", " 台")),
    val(ind, "multimedia_rooms") and ("多媒体教室 " .. val(ind, "multimedia_rooms", " 个")),
    val(ind, "training_rooms") and ("专业实训室 " .. val(ind, "training_rooms", " 个")),
    val(ind, "practice_factories") and ("实习工厂 " .. val(ind, "practice_factories", " 个")),
    val(ind, "vr_rooms") and ("VR 模拟教学实训室 " .. val(ind, "vr_rooms", " 个")),
    val(ind, "master_studios") and ("技能大师工作室 " .. val(ind, "master_studios", " 个")),
  }) .. "。")
  if val(ind, "funding") then
    p(string.format("%d 年度办学经费总投入 %s。", y, val(ind, "funding", " 万元")))
  end

  L[#L + 1] = "## 产教融合与服务贡献"
  L[#L + 1] = ""
  if #tables.t4.rows > 0 then
    p(string.format("学校与 %d 家企业开展校企合作%s。", #tables.t4.rows,
                    pct(ind, "partner_major_coverage") and ("，合作专业覆盖率 " .. pct(ind, "partner_major_coverage")) or ""))
  end
  local t5 = tables.t5
  if #t5.years > 0 then
    local this = 0
    for j, yy in ipairs(t5.years) do if tonumber(yy) == y then this = t5.year_totals[j] end end
    p(string.format("%d 年组织技能等级认定 %d 人，%s 年以来累计认定 %d 人。", y, this, t5.years[1], t5.total))
  end
  if val(ind, "training_participants") then
    p(string.format("%d 年开展社会培训 %s。", y, val(ind, "training_participants", " 人次")))
  end
  if val(ind, "awards") then
    p(string.format("%d 年师生在各类竞赛中获奖 %s。", y, val(ind, "awards", " 人次")))
  end

  L[#L + 1] = "## 学生资助"
  L[#L + 1] = ""
  for _, r in ipairs(tables.t6.rows) do
    if r.year == y and r.recipients then
      p(string.format("%d 年享受助学金学生 %d 人，其中建档立卡贫困家庭学生 %s 人，非涉农困难家庭学生 %s 人%s。",
                      y, r.recipients, num(r.poor), num(r.other),
                      pct(ind, "aid_coverage") and ("，资助覆盖率 " .. pct(ind, "aid_coverage")) or ""))
    end
  end

  L[#L + 1] = "## 未达标的指标"
  L[#L + 1] = ""
  local unmet = 0
  for _, r in ipairs(results) do
    if r.judgement == "未达标" then
      unmet = unmet + 1
      L[#L + 1] = string.format("- %s：%s，标准为 %s（%s）", r.name, r.text or "—", r.threshold_text or "",
                                r.threshold_source or "")
    end
  end
  if unmet == 0 then L[#L + 1] = "所有有标准的指标均已达标。" end
  L[#L + 1] = ""

  L[#L + 1] = "## 数据问题"
  L[#L + 1] = ""
  local counts = M.severity_counts(findings)
  L[#L + 1] = string.format("共发现 %d 个问题：错误 %d 个，警告 %d 个，提示 %d 个，详见工作簿的“问题清单”。",
                            #findings, counts["错误"], counts["警告"], counts["提示"])
  L[#L + 1] = ""
  local shown = 0
  for _, f in ipairs(findings) do
    if f.severity == "错误" and shown < 20 then
      shown = shown + 1
      local at = join({ f.file and fs.basename(f.file), f.sheet, f.cell }, " ")
      L[#L + 1] = string.format("- %s%s", f.message_masked or f.message, at ~= "" and ("（" .. at .. "）") or "")
    end
  end
  if shown > 0 then L[#L + 1] = "" end
  return table.concat(L, "\n")
end

function M.severity_counts(findings)
  local c = { ["错误"] = 0, ["警告"] = 0, ["提示"] = 0 }
  for _, f in ipairs(findings) do c[f.severity] = (c[f.severity] or 0) + 1 end
  return c
end

-- The short summary printed at the end of a run.
function M.summary(ctx, inputs, results, findings, out_path, md_path)
  local L = {}
  local read, acc, rej, skip, sheets = 0, 0, 0, 0, 0
  for _, d in ipairs(inputs.decisions) do
    if d.summary then
      sheets = sheets + 1
      read = read + d.summary.read
      acc = acc + d.summary.accepted
      rej = rej + d.summary.rejected
      skip = skip + d.summary.skipped
    end
  end
  L[#L + 1] = string.format("读取 %d 个文件、%d 个工作表，共 %d 行：接受 %d 行，拒绝 %d 行，跳过 %d 行（表头下的合计、注释和空行）。",
                            inputs.files, sheets, read, acc, rej, skip)
  local c = M.severity_counts(findings)
  L[#L + 1] = string.format("问题 %d 个：错误 %d，警告 %d，提示 %d。", #findings, c["错误"], c["警告"], c["提示"])
  local unmet = {}
  for _, r in ipairs(results) do
    if r.judgement == "未达标" then unmet[#unmet + 1] = string.format("%s %s（%s）", r.name, r.text, r.threshold_text or "") end
  end
  if #unmet > 0 then
    L[#L + 1] = string.format("未达标指标 %d 个：%s。", #unmet, table.concat(unmet, "；"))
  else
    L[#L + 1] = "未达标指标 0 个。"
  end
  L[#L + 1] = "已写入 " .. out_path
  if md_path then L[#L + 1] = "摘要 " .. md_path end
  return table.concat(L, "\n") .. "\n"
end

return M
