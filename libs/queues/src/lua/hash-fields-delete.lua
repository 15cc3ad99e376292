--[[
  Deletes one field from each of many hashes (as many keys as fields: the caller passes the count).
    KEYS[i] a hash
    ARGV[i] the field to delete from it
  Answers how many fields were deleted.
]]
local deleted = 0
for i = 1, #KEYS do
  deleted = deleted + redis.call('HDEL', KEYS[i], ARGV[i])
end
return deleted
