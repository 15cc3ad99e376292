--[[
  Gives back entries a take added.
    KEYS[i]  the window sets
    ARGV[1] member   ARGV[2] count
  Answers how many entries were removed.
]]
local members = {}
for j = 0, tonumber(ARGV[2]) - 1 do members[#members + 1] = ARGV[1] .. '#' .. j end
local removed = 0
for i = 1, #KEYS do
  for from = 1, #members, 1000 do
    removed = removed + redis.call('ZREM', KEYS[i], unpack(members, from, math.min(from + 999, #members)))
  end
end
return removed
