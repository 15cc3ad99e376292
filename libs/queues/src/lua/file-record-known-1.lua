--[[
  FileRecords: the file's record holds its document (identity and classification), and is trusted from now on.
    KEYS[1] record    hash: f -> identity (JSON), c:<classification> -> 1 per classification, complete -> 1, tomb -> 1
    ARGV[1] identity (JSON)   ARGV[2] the document's classification   ARGV[3] ttl seconds
    ARGV[4] '1' when the document was just created (the deletion before it is over), '0' after a read or an update
  Answers 1 when written, 0 when a deletion's tombstone refused it (a copy of a document read before its deletion).
  The classifications already there stay: one that a sighting added before its write may not be in the
  document this writer or reader saw, and the record must never show the file below its document.
]]
if ARGV[4] ~= '1' and redis.call('HEXISTS', KEYS[1], 'tomb') == 1 then return 0 end
redis.call('HDEL', KEYS[1], 'tomb')
redis.call('HSET', KEYS[1], 'f', ARGV[1], 'c:' .. ARGV[2], '1', 'complete', '1')
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
