--[[
  Claims a sha256 for an organization in Threat Grid's dedupe window. A claim is fresh while
  now - ms < window, judged from the stored ms (the injected clock), not from the key's TTL, which only
  cleans up.
    KEYS[1] the claim (string '<sample id>|<ms>')
    ARGV[1] sample id   ARGV[2] now ms   ARGV[3] window ms
  Answers the id of another sample holding a fresh claim (nothing changes), or nil: the claim is this
  sample's (now, or already: a retried request).
]]
local held = redis.call('GET', KEYS[1])
if held then
  local cut = string.find(held, '|[^|]*$')
  if cut then
    local holder = string.sub(held, 1, cut - 1)
    local at = tonumber(string.sub(held, cut + 1))
    if at and tonumber(ARGV[2]) - at < tonumber(ARGV[3]) then
      if holder == ARGV[1] then return false end
      return holder
    end
  end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
return false
