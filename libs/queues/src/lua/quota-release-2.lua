--[[
  Releases a submission's quota slot, whoever ends it (idempotent: a second release frees nothing). The
  lease, if the slot was never confirmed, goes with it, so the lapse of that lease gives back no day's count.
    KEYS[1] held    sorted set: submission id -> lapse time (ms)
    KEYS[2] leases  sorted set: submission id -> lease end (ms)
    ARGV[1] submission id
  Answers 1 if the submission held a slot.
]]
-- @include "includes/release-quota-slot.lua"
return releaseQuotaSlot(KEYS[1], KEYS[2], ARGV[1])
