-- dump: print a spreadsheet's cells (csv, tsv or jsonl)
--
-- usage: hgq dump FILE [--sheet NAME|N] [--format csv|tsv|jsonl] [--formulas]
--
-- Reads an .xlsx or .csv file and prints the cells of one sheet (--sheet, by
-- name or 1-based number; a name wins over a number) or of every sheet.
--
--   jsonl  one line per non-empty cell:
--            {"sheet":"名册","cell":"B7","type":"s","value":"张三"}
--          type: s string, n number (a JSON number), b boolean (true/false),
--          d date/time (ISO 8601 text, 2025-09-01T00:00:00), e error (its
--          text, "#N/A"). With --formulas a "formula" field is added to
--          cells that have one.
--   csv    the sheet as a grid: one line per row from row 1 to the last row
--          with a value, columns from A to the row's last value, so every
--          value keeps its position; fields with a comma, quote or line
--          break are quoted (RFC 4180). Numbers as in jsonl, booleans TRUE
--          and FALSE, dates ISO 8601, errors their text.
--   tsv    the same grid separated by tabs; a tab, line break or backslash
--          inside a value is written \t, \n, \r or \\.
--
-- When every sheet is printed as csv or tsv and the workbook has more than
-- one sheet, a line "# sheet: NAME" comes before each sheet's rows.
--
-- Exit status 0 on success; 1 with a one-line message on stderr when the
-- file cannot be read; 2 for a usage error.

local hgq = require "hgq"

local USAGE = "usage: hgq dump FILE [--sheet NAME|N] [--format csv|tsv|jsonl] [--formulas]"

local function usage(msg)
    if not msg then
        io.write(USAGE, "\n")
        os.exit(0, true)
    end
    io.stderr:write("hgq dump: ", msg, " (", USAGE, ")\n")
    os.exit(2, true)
end

local function fail(msg)
    -- one line: the message may hold line breaks from cell text
    io.stderr:write("hgq dump: ", (tostring(msg):gsub("[\r\n]+", " ")), "\n")
    os.exit(1, true)
end

local function parse_args(args)
    local o = { format = "csv" }
    local i = 1
    while i <= #args do
        local a = args[i]
        if a == "--sheet" or a == "--format" then
            local v = args[i + 1]
            if not v then usage(a .. " needs a value") end
            o[a:sub(3)] = v
            i = i + 2
        elseif a:match("^%-%-sheet=") then
            o.sheet = a:sub(9)
            i = i + 1
        elseif a:match("^%-%-format=") then
            o.format = a:sub(10)
            i = i + 1
        elseif a == "--formulas" then
            o.formulas = true
            i = i + 1
        elseif a == "-h" or a == "--help" then
            usage()
        elseif a:sub(1, 2) == "--" then
            usage("unknown option " .. a)
        elseif o.file then
            usage("more than one file given")
        else
            o.file = a
            i = i + 1
        end
    end
    if not o.file then usage("no file given") end
    if o.format ~= "csv" and o.format ~= "tsv" and o.format ~= "jsonl" then
        usage("unknown format '" .. o.format .. "' (csv, tsv or jsonl)")
    end
    return o
end

-- {====================================================================
-- Values as text
-- =====================================================================

local function number_text(x)
    if math.type(x) == "integer" then return string.format("%d", x) end
    if x ~= x or x == math.huge or x == -math.huge then return nil end
    if x == math.floor(x) and math.abs(x) < 2^63 then
        return string.format("%d", math.tointeger(x) or 0)
    end
    local s = string.format("%.15g", x)
    if tonumber(s) ~= x then s = string.format("%.17g", x) end
    return s
end

local json_escapes = {
    ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
    ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t",
}

local function json_string(s)
    return '"' .. s:gsub('[%c"\\]', function(c)
        return json_escapes[c] or string.format("\\u%04x", c:byte())
    end) .. '"'
end

local function json_value(v, t)
    if t == "n" then return number_text(v) or "null" end
    if t == "b" then return v and "true" or "false" end
    return json_string(tostring(v))
end

local function plain_text(v, t)
    if t == "n" then return number_text(v) or tostring(v) end
    if t == "b" then return v and "TRUE" or "FALSE" end
    return tostring(v)
end

local function csv_field(s)
    if s:find('[,"\r\n]') then return '"' .. s:gsub('"', '""') .. '"' end
    return s
end

local tsv_escapes = { ["\t"] = "\\t", ["\n"] = "\\n", ["\r"] = "\\r", ["\\"] = "\\\\" }

local function tsv_field(s)
    return (s:gsub("[\t\n\r\\]", tsv_escapes))
end

-- }====================================================================

local function dump_jsonl(sh, out, want_formulas)
    local prefix = '{"sheet":' .. json_string(sh.name) .. ',"cell":'
    for _, values, cells in sh:rows { cells = true } do
        local cols = {}
        for col in pairs(values) do cols[#cols + 1] = col end
        table.sort(cols)
        for _, col in ipairs(cols) do
            local c = cells[col]
            local line = prefix .. json_string(c.ref) .. ',"type":"' .. c.type ..
                '","value":' .. json_value(values[col], c.type)
            if want_formulas and c.formula then
                line = line .. ',"formula":' .. json_string(c.formula)
            end
            out[#out + 1] = line .. "}\n"
        end
        if #out > 512 then io.write(table.concat(out)); for k in pairs(out) do out[k] = nil end end
    end
end

local function dump_grid(sh, out, sep, field)
    local last = 0
    for i, values, cells in sh:rows { cells = true } do
        if i > last + 1 then out[#out + 1] = string.rep("\n", i - last - 1) end
        local maxcol = 0
        for col in pairs(values) do if col > maxcol then maxcol = col end end
        local fields = {}
        for col = 1, maxcol do
            local v = values[col]
            fields[col] = v == nil and "" or field(plain_text(v, cells[col].type))
        end
        out[#out + 1] = table.concat(fields, sep) .. "\n"
        if i > last then last = i end
        if #out > 512 then io.write(table.concat(out)); for k in pairs(out) do out[k] = nil end end
    end
end

local function main(args)
    local o = parse_args(args)
    local wb, err, code = hgq.open(o.file, { formulas = o.formulas })
    if not wb then fail(err .. " (" .. code .. ")") end
    local sheets = {}
    if o.sheet then
        local sh = wb:sheet(o.sheet)
        local n = tonumber(o.sheet)
        if not sh and n and math.type(n) == "integer" then sh, err = wb:sheet(n) end
        if not sh then
            local _, e, c = wb:sheet(o.sheet)
            fail(e .. " (" .. c .. ")")
        end
        sheets[1] = sh
    else
        for _, s in ipairs(wb:sheets()) do sheets[#sheets + 1] = assert(wb:sheet(s.index)) end
    end
    local headers = not o.sheet and #sheets > 1 and o.format ~= "jsonl"
    local ok, e = pcall(function()
        for _, sh in ipairs(sheets) do
            local out = {}
            if headers then out[1] = "# sheet: " .. sh.name .. "\n" end
            if o.format == "jsonl" then
                dump_jsonl(sh, out, o.formulas)
            elseif o.format == "tsv" then
                dump_grid(sh, out, "\t", tsv_field)
            else
                dump_grid(sh, out, ",", csv_field)
            end
            io.write(table.concat(out))
        end
    end)
    wb:close()
    if not ok then fail(e) end
end

main(arg)
