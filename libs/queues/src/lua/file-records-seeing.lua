--[[
  FileRecords: sightings of files, each adding its classification to the file's record (as many keys as
  sightings: the caller passes the count).
    KEYS[i]   the record of a file (hash: f, c:<classification>, complete, tomb)
    ARGV[1]   ttl seconds   ARGV[1 + i] the classification field of sighting i ('c:<classification>')
  Answers, per sighting, 1 when the record existed before it, else 0.
]]
local existed = {}
for i = 1, #KEYS do
  existed[i] = redis.call('EXISTS', KEYS[i])
  redis.call('HSET', KEYS[i], ARGV[1 + i], '1')
  redis.call('EXPIRE', KEYS[i], ARGV[1])
end
return existed
