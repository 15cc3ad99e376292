--[[
  FileGuard: ends a sighting whose work succeeded and writes one hash field with it, atomically (what a MULTI
  of the three commands did, without a client-side transaction: on a connection with many scripts defined,
  ioredis builds each MULTI by copying every one of them).
    KEYS[1] sightings   sorted set: holder -> lease end ms
    KEYS[2] record      the hash to write (e.g. the file's pending sightings)
    ARGV[1] holder   ARGV[2] field   ARGV[3] value   ARGV[4] the hash's ttl, seconds
  Answers 1.
]]
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return 1
