--[[
  Settles an external-service task once: by the API taking a posted answer (a lease, `answering:<lapse ms>`,
  until it has stored it) or by the dispatcher recording the time-out. An answering lease that lapsed (the API
  died between settling and storing) is taken over, so the service's retry is not refused for ever.
    KEYS[1] outcomes   hash: task id -> answering:<lapse ms> | answered | timeout
    ARGV[1] task id    ARGV[2] settlement to write   ARGV[3] now (ms)   ARGV[4] the hash's expiry (epoch ms)
  Answers false when this call settled the task, else the settlement found (`answering` for a live lease).
]]
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local lapse = string.match(current, '^answering:(%d+)$')
  if not lapse then return current end
  if tonumber(lapse) > tonumber(ARGV[3]) then return 'answering' end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[4])
return false
