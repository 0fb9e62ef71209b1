-- wrk script: rotate through the paths given as arguments, tally status classes.
paths, counter, tallies = {}, 0, {}  -- globals: done() reads them per thread
function init(args)
  for i, p in ipairs(args) do paths[i] = p end
  if #paths == 0 then paths[1] = "/" end
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
function response(status, headers, body)
  local class = math.floor(status / 100) .. "xx"
  tallies[class] = (tallies[class] or 0) + 1
end
threads = {}
function setup(thread) table.insert(threads, thread) end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for _, class in ipairs({"2xx", "3xx", "4xx", "5xx"}) do
      total[class] = (total[class] or 0) + (t:get("tallies")[class] or 0)
    end
  end
  io.write(string.format("STATUS 2xx=%d 3xx=%d 4xx=%d 5xx=%d\n",
    total["2xx"], total["3xx"], total["4xx"], total["5xx"]))
end
