--[[
  The scan ended: cache its result, and hand over the ingests waiting on it.
    KEYS[1] cache, KEYS[2] inflight, KEYS[3] tasks (as scan-claim)
    KEYS[4] done      hash: the tasks of that sid, kept until each is notified
    ARGV[1] sid   ARGV[2] score   ARGV[3] errors ('1'/'0')   ARGV[4] time ms
    ARGV[5] cache ttl s (0 = not cached)   ARGV[6] done ttl s
  Answers the done hash (flat), so a retried completion finds the ingests not yet notified.
]]
if redis.call('HGET', KEYS[2], 'sid') == ARGV[1] then
  if redis.call('EXISTS', KEYS[3]) == 1 then
    local pending = redis.call('HGETALL', KEYS[3])
    for i = 1, #pending, 2 do redis.call('HSET', KEYS[4], pending[i], pending[i + 1]) end
    redis.call('DEL', KEYS[3])
  end
  redis.call('DEL', KEYS[2])
  redis.call('EXPIRE', KEYS[4], ARGV[6])
end
if tonumber(ARGV[5]) > 0 then
  redis.call('HSET', KEYS[1], 'sid', ARGV[1], 'score', ARGV[2], 'errors', ARGV[3], 'time', ARGV[4])
  redis.call('EXPIRE', KEYS[1], ARGV[5])
end
return redis.call('HGETALL', KEYS[4])
