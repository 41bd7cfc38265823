-- wrk script: each request is a path drawn at random from the file named by WRK_URLS
-- (one path a line, already weighted by how often it appears).
local paths = {}

function init(args)
  local file = assert(io.open(os.getenv("WRK_URLS") or "urls.txt"))
  for line in file:lines() do
    if #line > 0 then paths[#paths + 1] = line end
  end
  file:close()
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
