--[[
  Delivers an ingest's outcome exactly once: releases its quota slot (idempotent, so first, even on a
  repeat), marks it notified, records its final status, takes it off the scan's done list, and pushes the
  message unless told not to or the queue is full.
    KEYS[1] notified marker   KEYS[2] notification queue (list)   KEYS[3] status
    KEYS[4] done hash         KEYS[5] quota held set
    ARGV[1] message   ARGV[2] queue max length   ARGV[3] queue ttl s   ARGV[4] status json
    ARGV[5] status ttl s   ARGV[6] ingest id   ARGV[7] marker ttl s   ARGV[8] push ('1'/'0')
    ARGV[9] quota member ('' = none)
  Answers sent | skipped | full | duplicate.
]]
-- @include "includes/release-quota-slot.lua"
if ARGV[9] ~= '' then releaseQuotaSlot(KEYS[5], nil, ARGV[9]) end
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[7]) then return 'duplicate' end
redis.call('SET', KEYS[3], ARGV[4], 'EX', ARGV[5])
redis.call('HDEL', KEYS[4], ARGV[6])
if ARGV[8] == '0' then return 'skipped' end
local limit = tonumber(ARGV[2])
if limit > 0 and redis.call('LLEN', KEYS[2]) >= limit then return 'full' end
redis.call('RPUSH', KEYS[2], ARGV[1])
if tonumber(ARGV[3]) > 0 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
return 'sent'
