-- Command-line helpers for the hgq tools: option parsing, messages, exit.
local M = {}

-- Parses `args` (a list of strings) against `spec`:
--   spec = { ["-o"] = {key = "out", value = true}, ["--quiet"] = {key = "quiet"}, ... }
-- Options take their value as the next argument or after '=' (--year=2025).
-- "--" ends the options. Returns options, positionals; or nil, message.
function M.parse(args, spec)
  local opts, pos = {}, {}
  local i = 1
  local only_pos = false
  while i <= #args do
    local a = args[i]
    if only_pos or a == "-" or a:sub(1, 1) ~= "-" then
      pos[#pos + 1] = a
    elseif a == "--" then
      only_pos = true
    else
      local name, inline = a:match("^(%-%-[^=]+)=(.*)$")
      name = name or a
      local s = spec[name]
      if not s then return nil, string.format("unknown option '%s'", name) end
      if s.value then
        local v = inline
        if v == nil then
          i = i + 1
          v = args[i]
          if v == nil then return nil, string.format("option '%s' needs a value", name) end
        end
        if s.many then
          opts[s.key] = opts[s.key] or {}
          table.insert(opts[s.key], v)
        else
          opts[s.key] = v
        end
      else
        if inline then return nil, string.format("option '%s' takes no value", name) end
        opts[s.key] = true
      end
    end
    i = i + 1
  end
  return opts, pos
end

-- The program name for messages: "hgq report".
function M.progname(tool)
  local prog = (HGQ_ENV and HGQ_ENV.program) or "hgq"
  prog = prog:match("([^/]*)$")
  return prog .. " " .. tool
end

-- Prints "PROG: message" on stderr and exits with `code` (default 1).
function M.die(tool, msg, code)
  io.stderr:write(M.progname(tool), ": ", msg, "\n")
  os.exit(code or 1, true)
end

return M
