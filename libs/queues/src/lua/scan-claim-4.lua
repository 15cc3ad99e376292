--[[
  Fresh cache hit, or attach to the running scan, or start it; records the ingest's status. An ingest whose
  status is final, or whose scan is no longer in flight, answers `ended` and changes nothing. A retried claim
  by the ingest that started the scan answers `new` with the same sid again.
    KEYS[1] cache     hash: sid, score, errors, time of the scan key's last result
    KEYS[2] inflight  hash: sid, owner (ingest id) of the running scan
    KEYS[3] tasks     hash: ingest id -> '<outcome>:<task json>' of ingests waiting on it
    KEYS[4] status    the ingest's status (json)
    ARGV[1] ingest id        ARGV[2] task json       ARGV[3] new sid
    ARGV[4] ignore cache ('1'/'0')                   ARGV[5] now ms
    ARGV[6] stale after ms   ARGV[7] stale after ms when the result had errors
    ARGV[8] inflight ttl s   ARGV[9] status ttl s
  Answers {outcome, sid, score}: outcome new | attached | cached | ended.
]]
local previous = redis.call('GET', KEYS[4])
if previous then
  local status = cjson.decode(previous)
  if status.state ~= 'in_progress' or redis.call('HGET', KEYS[2], 'sid') ~= status.sid then
    return {'ended', status.sid or '', ''}
  end
end
if ARGV[4] == '0' then
  local cached = redis.call('HMGET', KEYS[1], 'sid', 'score', 'errors', 'time')
  if cached[1] then
    local stale = tonumber(ARGV[6])
    if cached[3] == '1' then stale = tonumber(ARGV[7]) end
    if tonumber(ARGV[5]) - tonumber(cached[4]) < stale then
      return {'cached', cached[1], cached[2]}
    end
  end
end
local current = redis.call('HMGET', KEYS[2], 'sid', 'owner')
local outcome = 'new'
local sid = ARGV[3]
if current[1] then
  sid = current[1]
  if current[2] ~= ARGV[1] then outcome = 'attached' end
else
  redis.call('HSET', KEYS[2], 'sid', sid, 'owner', ARGV[1])
  redis.call('EXPIRE', KEYS[2], ARGV[8])
end
redis.call('HSET', KEYS[3], ARGV[1], outcome .. ':' .. ARGV[2])
redis.call('EXPIRE', KEYS[3], ARGV[8])
redis.call('SET', KEYS[4], cjson.encode({ingest_id=ARGV[1], state='in_progress', outcome=outcome, sid=sid}), 'EX', ARGV[9])
return {outcome, sid, ''}
