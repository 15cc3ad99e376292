--[[
  FileGuard: a sighting of a file (its document written, then its blob) begins, unless a deletion holds it.
    KEYS[1] sightings   sorted set: holder -> lease end ms
    KEYS[2] deletion    the deletion lock (a deleter's token)
    ARGV[1] holder   ARGV[2] now ms   ARGV[3] lease ms
  Answers 1 when the sighting may go on, 0 while a deletion holds the file.
]]
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('ZADD', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
