--[[
  Takes a quota slot, or says why not; daily is checked first, as Assemblyline does, and a refusal takes
  nothing.
    KEYS[1] held    sorted set: submission id -> lapse time (ms)
    KEYS[2] daily   the user's submissions today (counter)
    KEYS[3] leases  sorted set: submission id -> lease end (ms)
    ARGV[1] now ms
    ARGV[2] lapse ms (the lease's end, or the hold's when leases are off)
    ARGV[3] concurrent limit (0 = none)
    ARGV[4] daily limit (0 = none)
    ARGV[5] submission id
    ARGV[6] end of the UTC day, ms (the daily counter's expiry)
    ARGV[7] held key ttl ms
    ARGV[8] '1' when the lapse is a lease that confirm must extend
  Answers {status, daily count}: 1 taken (or already held by this id), -1 daily full, -2 concurrent full.
]]
-- @include "includes/reap-lapsed-quota.lua"
reap(KEYS[1], KEYS[2], KEYS[3], ARGV[1])
local daily = tonumber(redis.call('GET', KEYS[2]) or '0')
if redis.call('ZSCORE', KEYS[1], ARGV[5]) then
  return {1, daily}
end
local concurrent_limit = tonumber(ARGV[3])
local daily_limit = tonumber(ARGV[4])
if daily_limit > 0 and daily >= daily_limit then
  return {-1, daily}
end
if concurrent_limit > 0 and redis.call('ZCARD', KEYS[1]) >= concurrent_limit then
  return {-2, daily}
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
if ARGV[8] == '1' then
  redis.call('ZADD', KEYS[3], ARGV[2], ARGV[5])
  redis.call('PEXPIRE', KEYS[3], ARGV[7])
end
daily = redis.call('INCR', KEYS[2])
redis.call('PEXPIREAT', KEYS[2], ARGV[6])
return {1, daily}
