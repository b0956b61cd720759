-- Small file-system helpers for the hgq tools (plain Lua has no directory
-- listing): paths, listing a directory, atomic replacement of small files.
local M = {}

-- Quotes a string for /bin/sh.
function M.shquote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

function M.basename(path)
  path = path:gsub("/+$", "")
  return path:match("([^/]*)$")
end

function M.dirname(path)
  path = path:gsub("/+$", "")
  local d = path:match("^(.*)/[^/]*$")
  if d == nil then return "." end
  if d == "" then return "/" end
  return d
end

-- The file name without its extension, and the extension in lower case.
function M.splitext(name)
  local stem, ext = name:match("^(.*)%.([^./]+)$")
  if not stem or stem == "" then return name, "" end
  return stem, ext:lower()
end

function M.join(dir, name)
  if dir == "" or dir == "." then return name end
  if dir:sub(-1) == "/" then return dir .. name end
  return dir .. "/" .. name
end

local function test(flag, path)
  local ok = os.execute("test " .. flag .. " " .. M.shquote(path))
  return ok == true
end

function M.is_dir(path) return test("-d", path) end
function M.is_file(path) return test("-f", path) end
function M.exists(path) return test("-e", path) end

-- 1 when file descriptor `fd` (default 2, stderr) is a terminal.
function M.isatty(fd)
  return os.execute("test -t " .. tostring(fd or 2)) == true
end

-- The regular files directly in `dir`, sorted by name (byte order), or nil
-- and a message.
function M.list(dir)
  if not M.is_dir(dir) then
    return nil, string.format("'%s' is not a directory", dir)
  end
  local p = io.popen("find " .. M.shquote(dir) .. " -mindepth 1 -maxdepth 1 -type f -print0 2>/dev/null")
  if not p then return nil, "cannot list " .. dir end
  local data = p:read("a")
  p:close()
  local files = {}
  for path in data:gmatch("([^%z]+)%z") do
    files[#files + 1] = M.basename(path)
  end
  table.sort(files)
  return files
end

-- Reads a whole file, or nil and a message.
function M.read(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local data = f:read("a")
  f:close()
  return data
end

-- Writes `data` to `path` through a temporary file renamed into place, so
-- an earlier file at `path` survives any failure. Returns true or nil, msg.
function M.write_atomic(path, data)
  local tmp = string.format("%s/.%s.tmp-%d", M.dirname(path), M.basename(path), os.time())
  local f, err = io.open(tmp, "wb")
  if not f then return nil, err end
  local ok, werr = f:write(data)
  local cok, cerr = f:close()
  if not ok or not cok then
    os.remove(tmp)
    return nil, tostring(werr or cerr)
  end
  local rok, rerr = os.rename(tmp, path)
  if not rok then
    os.remove(tmp)
    return nil, rerr
  end
  return true
end

return M
