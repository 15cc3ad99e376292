--[[
  Undoes an acquire whose work never started. Only a slot this id holds is undone, so a refund never frees
  someone else's count.
    KEYS[1] held, KEYS[2] daily, KEYS[3] leases (as quota-acquire)
    ARGV[1] submission id
  Answers 1 if a slot was given back.
]]
redis.call('ZREM', KEYS[3], ARGV[1])
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
  local daily = tonumber(redis.call('GET', KEYS[2]) or '0')
  if daily > 0 then redis.call('DECR', KEYS[2]) end
  return 1
end
return 0
