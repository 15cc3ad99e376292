--[[
  Drops the cache entries of deleted submissions, each only while it still names that submission (as many
  keys as entries: the caller passes the count).
    KEYS[i]  the cache entry of a scan (hash: sid, score, errors, time)
    ARGV[i]  the sid it must name
  Answers how many were dropped.
]]
local forgotten = 0
for i = 1, #KEYS do
  if redis.call('HGET', KEYS[i], 'sid') == ARGV[i] then
    redis.call('DEL', KEYS[i])
    forgotten = forgotten + 1
  end
end
return forgotten
