--[[
  Sets one field of a hash and renews the hash's life, in one step: the hash never exists without its expiry.
  (A script, not a MULTI: ioredis builds each MULTI by copying every command defined on the connection.)
    KEYS[1] hash
    ARGV[1] field   ARGV[2] value   ARGV[3] ttl seconds
  Answers 1.
]]
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
