-- One long-lived pandoc process serving many conversions (started by pipeline/pandoc/server.py
-- as `pandoc --syntax-definition=... -t pandoc_worker.lua <empty input>`). Starting pandoc and
-- loading its highlighting definitions is paid once per worker instead of once per call.
--
-- It runs as a custom writer only to get the writer options of a pandoc command line: they
-- carry the syntax definitions given to it, which pandoc's Lua cannot add otherwise. The
-- writer then serves requests on stdin/stdout, one at a time, until stdin closes:
--   request:  a line of JSON {from, to, len, sandbox, template, highlight, wrap,
--             reference_doc, resource_path, math}, then `len` bytes of input
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

local function convert(base, req, input)
  local doc
  if req.sandbox then
    doc = pandoc.read(input, req.from, {}, {})
  else
    doc = pandoc.read(input, req.from)
  end
  local opts = pandoc.WriterOptions(base)  -- a copy: syntax definitions included
  opts.template = req.template and template(req.template) or nil
  opts.highlight_method = req.highlight or "default"
  opts.wrap_text = "wrap-" .. (req.wrap or "auto")
  opts.reference_doc = req.reference_doc
  if req.math then
    opts.html_math_method = req.math
  end
  if req.resource_path then
    return pandoc.with_state({resource_path = req.resource_path}, function ()
      return pandoc.write(doc, req.to, opts)
    end)
  end
  return pandoc.write(doc, req.to, opts)
end

function Writer(_, base)
  io.stdout:setvbuf("full")
  while true do
    local line = io.stdin:read("l")
    if not line then break end
    local req = json.decode(line, false)
    local input = req.len > 0 and io.stdin:read(req.len) or ""
    local ok, out = pcall(convert, base, req, input)
    if ok then
      io.stdout:write(json.encode({ok = true, len = #out}), "\n", out)
    else
      io.stdout:write(json.encode({ok = false, len = 0, error = tostring(out)}), "\n")
    end
    io.stdout:flush()
    pandoc.mediabag.empty()  -- images of this document: the next one starts clean
    collectgarbage()  -- drop this document's strings now, not after many more
  end
  return ""
end
