-- One long-lived pandoc process serving many conversions (run by pipeline/pandoc.py as
-- `pandoc lua pandoc_worker.lua`). Loading highlighting definitions and starting pandoc is
-- paid once per worker instead of once per conversion.
--
-- Protocol on stdin/stdout, one request at a time:
--   request:  a line of JSON {from, to, len, sandbox, template, highlight, wrap,
--             reference_doc, resource_path}, then `len` bytes of input
--   response: a line of JSON {ok, len, error}, then `len` bytes of output

local json = pandoc.json
local templates = {}

local function template(path)
  if not templates[path] then
    local f = assert(io.open(path, "rb"))
    local text = f:read("a")
    f:close()
    templates[path] = pandoc.template.compile(text, path)
  end
  return templates[path]
end

local function convert(req, input)
  local doc
  if req.sandbox then
    doc = pandoc.read(input, req.from, {}, {})
  else
    doc = pandoc.read(input, req.from)
  end
  local opts = {}
  if req.template then opts.template = template(req.template) end
  if req.highlight ~= nil then opts.highlight_method = req.highlight end
  if req.wrap then opts.wrap_text = "wrap-" .. req.wrap end
  if req.reference_doc then opts.reference_doc = req.reference_doc end
  if req.resource_path then
    return pandoc.with_state({resource_path = req.resource_path}, function ()
      return pandoc.write(doc, req.to, opts)
    end)
  end
  return pandoc.write(doc, req.to, opts)
end

io.stdout:setvbuf("full")
while true do
  local line = io.stdin:read("l")
  if not line then break end
  local req = json.decode(line, false)
  local input = req.len > 0 and io.stdin:read(req.len) or ""
  local ok, out = pcall(convert, req, input)
  if ok then
    io.stdout:write(json.encode({ok = true, len = #out}), "\n", out)
  else
    local err = tostring(out)
    io.stdout:write(json.encode({ok = false, len = 0, error = err}), "\n")
  end
  io.stdout:flush()
end
