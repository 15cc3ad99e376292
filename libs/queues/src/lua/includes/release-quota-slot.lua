-- The one way a quota slot is released (quota-release and ingest-notify): the holder leaves the held set and,
-- when a leases key is given, the leases set. Answers 1 if it held a slot.
local function releaseQuotaSlot(held, leases, member)
  if leases then redis.call('ZREM', leases, member) end
  return redis.call('ZREM', held, member)
end
