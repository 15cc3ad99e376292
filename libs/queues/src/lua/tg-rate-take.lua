--[[
  Threat Grid rate limits: check-and-take over every window at once (as many keys as windows: no fixed
  count, the caller passes it).
    KEYS[i]  one sorted set per window (member -> the injected clock's ms)
    ARGV[1] now ms   ARGV[2] count   ARGV[3] commit (1 = take, 0 = peek)   ARGV[4] member
    then per window i: ARGV[2+3i] samples, ARGV[3+3i] window ms, ARGV[4+3i] cutoff ms
  Drops what has left each window; if `count` more fit in every window and commit is set, adds
  member#0..count-1 at now to each and sets the key to expire when its newest entry leaves.
  Answers {fits, then per window: used, oldest score, score whose leaving frees one slot, score whose
  leaving fits the whole request (on a refusal)}, false (nil) standing for "none". Scores go out as the
  strings Redis stores, so no Lua number formatting touches them.
]]
local now = tonumber(ARGV[1])
local count = tonumber(ARGV[2])
local commit = ARGV[3] == '1'
local member = ARGV[4]
local used = {}
local fits = true
for i = 1, #KEYS do
  local base = 2 + 3 * i
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', ARGV[base + 2])
  used[i] = redis.call('ZCARD', KEYS[i])
  if used[i] + count > tonumber(ARGV[base]) then fits = false end
end
if fits and commit then
  for i = 1, #KEYS do
    local span = tonumber(ARGV[3 + 3 * i])
    local args = {}
    for j = 0, count - 1 do
      args[#args + 1] = ARGV[1]
      args[#args + 1] = member .. '#' .. j
      if #args >= 1000 then
        redis.call('ZADD', KEYS[i], unpack(args))
        args = {}
      end
    end
    if #args > 0 then redis.call('ZADD', KEYS[i], unpack(args)) end
    local newest = redis.call('ZRANGE', KEYS[i], -1, -1, 'WITHSCORES')
    local ttl = tonumber(newest[2]) + span - now
    if ttl < 1 then ttl = 1 end
    redis.call('PEXPIRE', KEYS[i], ttl)
    used[i] = redis.call('ZCARD', KEYS[i])
  end
end
local function score_at(key, index)
  local found = redis.call('ZRANGE', key, index, index, 'WITHSCORES')
  if found[2] then return found[2] end
  return false
end
local out = {fits and 1 or 0}
for i = 1, #KEYS do
  local samples = tonumber(ARGV[2 + 3 * i])
  out[#out + 1] = used[i]
  out[#out + 1] = score_at(KEYS[i], 0)
  if used[i] >= samples then out[#out + 1] = score_at(KEYS[i], used[i] - samples) else out[#out + 1] = false end
  local excess = used[i] + count - samples
  if not fits and excess > 0 and count <= samples then
    out[#out + 1] = score_at(KEYS[i], excess - 1)
  else
    out[#out + 1] = false
  end
end
return out
