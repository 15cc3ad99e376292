--[[
  Ends a lease (the expiry sweeper's) if the caller still holds it.
    KEYS[1] lease   the holder's token
    ARGV[1] token
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
