--[[
  Drops lapsed holds and leases, then counts.
    KEYS[1] held, KEYS[2] daily, KEYS[3] leases (as quota-acquire)
    ARGV[1] now ms
  Answers {slots held, submissions today}.
]]
-- @include "includes/reap-lapsed-quota.lua"
reap(KEYS[1], KEYS[2], KEYS[3], ARGV[1])
return {redis.call('ZCARD', KEYS[1]), tonumber(redis.call('GET', KEYS[2]) or '0')}
