--[[
  Renews a lease (the expiry sweeper's) while the caller still holds it.
    KEYS[1] lease   the holder's token
    ARGV[1] token   ARGV[2] lease ms
  Answers 1 when renewed, 0 when it lapsed or another holds it.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
