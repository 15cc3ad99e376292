--[[
  reap(held, daily, leases, now): drops what lapsed before anything is counted. Unconfirmed leases first:
  each one still held gives back its count of the day (its request never reached a queue); then every
  slot past its time.
    held    sorted set: submission id -> lapse time (ms)
    daily   counter of the user's submissions today
    leases  sorted set: submission id -> lease end (ms)
    now     ms
]]
local function reap(held, daily, leases, now)
  local lapsed = redis.call('ZRANGEBYSCORE', leases, '-inf', now)
  if #lapsed > 0 then
    local refunds = 0
    for _, id in ipairs(lapsed) do
      local score = redis.call('ZSCORE', held, id)
      if score and tonumber(score) <= tonumber(now) then
        redis.call('ZREM', held, id)
        refunds = refunds + 1
      end
    end
    redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
    local count = tonumber(redis.call('GET', daily) or '0')
    local back = math.min(refunds, count)
    if back > 0 then redis.call('DECRBY', daily, back) end
  end
  redis.call('ZREMRANGEBYSCORE', held, '-inf', now)
end
