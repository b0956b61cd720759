-- docs/lua-api.md documents every function of the hgq module and every
-- method of its objects, and documents nothing that does not exist.
local hgq = require "hgq"

local function find_doc()
  for _, p in ipairs({ "docs/lua-api.md", "../docs/lua-api.md" }) do
    local f = io.open(p, "r")
    if f then
      local text = f:read("a")
      f:close()
      return text
    end
  end
  error("docs/lua-api.md not found (run from the source tree)")
end

-- Parses the page: module functions under their full names ("hgq.stats.count"),
-- methods as "<metatable>:<method>" from the "## `hgq.workbook`" section they
-- are in. Each entry keeps the text up to the next heading.
local function parse(text)
  local entries, section, current = {}, nil, nil
  for line in (text .. "\n"):gmatch("(.-)\n") do
    local sec = line:match("^##%s+`([^`]+)`")
    local sig = line:match("^###%s+`([^`]+)`")
    if sec and not line:match("^###") then
      section, current = sec, nil
    elseif sig then
      local name = sig:match("^(hgq[%w_%.]*)")
      if not name then
        local method = sig:match("^[%w_]+:([%w_]+)")
        assert(method, "cannot read the heading: " .. line)
        name = section .. ":" .. method
      end
      current = { name = name, text = "" }
      entries[#entries + 1] = current
    elseif current then
      current.text = current.text .. line .. "\n"
    end
  end
  return entries
end

-- The module's functions (and values) by full name.
local function module_names()
  local names = {}
  local function walk(t, prefix, depth)
    for k, v in pairs(t) do
      if type(k) == "string" then
        local name = prefix .. "." .. k
        if type(v) == "function" then
          names[name] = "function"
        elseif type(v) == "table" and depth < 3 then
          walk(v, name, depth + 1)
        elseif type(v) ~= "table" then
          names[name] = type(v)
        end
      end
    end
  end
  walk(hgq, "hgq", 1)
  return names
end

-- The methods of the module's object types: metatables named hgq.* in the
-- registry, their __index table and __methods table.
local function method_names()
  local names = {}
  for k, mt in pairs(debug.getregistry()) do
    if type(k) == "string" and k:match("^hgq") and type(mt) == "table" then
      for _, t in ipairs({ type(mt.__index) == "table" and mt.__index or {}, mt.__methods or {} }) do
        for m, f in pairs(t) do
          if type(m) == "string" and type(f) == "function" then names[k .. ":" .. m] = true end
        end
      end
    end
  end
  return names
end

describe("docs/lua-api.md", function()
  local entries = parse(find_doc())
  local documented = {}
  for _, e in ipairs(entries) do documented[e.name] = e end

  it("has entries for the module and its objects", function()
    assert.is_true(#entries > 50)
    assert.is_not_nil(documented["hgq.open"])
    assert.is_not_nil(documented["hgq.workbook:sheets"])
  end)

  it("documents every function of the module", function()
    local missing = {}
    for name, kind in pairs(module_names()) do
      if not documented[name] then missing[#missing + 1] = name .. " (" .. kind .. ")" end
    end
    table.sort(missing)
    assert.are.same({}, missing)
  end)

  it("documents every method of the module's objects", function()
    local missing = {}
    for name in pairs(method_names()) do
      if not documented[name] then missing[#missing + 1] = name end
    end
    table.sort(missing)
    assert.are.same({}, missing)
  end)

  it("documents nothing that does not exist", function()
    local modules, methods = module_names(), method_names()
    local extra = {}
    for _, e in ipairs(entries) do
      if not modules[e.name] and not methods[e.name] then extra[#extra + 1] = e.name end
    end
    table.sort(extra)
    assert.are.same({}, extra)
  end)

  it("gives every function its returns and errors", function()
    local thin = {}
    for _, e in ipairs(entries) do
      if not e.text:find("Returns") or not e.text:find("Errors") then thin[#thin + 1] = e.name end
    end
    table.sort(thin)
    assert.are.same({}, thin)
  end)

  it("documents each function once", function()
    local seen, twice = {}, {}
    for _, e in ipairs(entries) do
      if seen[e.name] then twice[#twice + 1] = e.name end
      seen[e.name] = true
    end
    assert.are.same({}, twice)
  end)
end)
