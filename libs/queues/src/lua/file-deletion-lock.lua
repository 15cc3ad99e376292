--[[
  FileGuard: locks files for deletion (two keys per file: the caller passes the count).
    KEYS[2i-1] sightings of file i (sorted set: holder -> lease end ms)
    KEYS[2i]   deletion lock of file i
    ARGV[1] token   ARGV[2] now ms   ARGV[3] lease ms
  Locks every file no live sighting holds and no other deletion locked; answers their indexes (1-based).
]]
local locked = {}
for i = 1, #KEYS, 2 do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', ARGV[2])
  if redis.call('ZCARD', KEYS[i]) == 0 and redis.call('SET', KEYS[i + 1], ARGV[1], 'NX', 'PX', ARGV[3]) then
    locked[#locked + 1] = (i + 1) / 2
  end
end
return locked
