--[[
  Drops the claim if the sample still holds it.
    KEYS[1] the claim   ARGV[1] sample id
  Answers 1 if dropped.
]]
local held = redis.call('GET', KEYS[1])
if held then
  local cut = string.find(held, '|[^|]*$')
  if cut and string.sub(held, 1, cut - 1) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
  end
end
return 0
