--[[
  Turns a lease into a hold once the work is queued. A slot released meanwhile (the work already ended) is
  not taken again.
    KEYS[1] held    sorted set: submission id -> lapse time (ms)
    KEYS[2] leases  sorted set: submission id -> lease end (ms)
    ARGV[1] submission id
    ARGV[2] hold end ms
    ARGV[3] held key ttl ms
  Answers 1 if the slot is held.
]]
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return 1
end
return 0
