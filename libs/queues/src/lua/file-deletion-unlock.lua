--[[
  FileGuard: releases deletion locks still held with the caller's token (as many keys as files).
    KEYS[i] deletion lock of file i
    ARGV[1] token
]]
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
end
return 1
