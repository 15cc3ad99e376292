;; Byte counts for the entropy, on the hashing thread: count(n) adds, for each byte value, how many times it
;; occurs in the n bytes at DATA (8192) to the lanes at 0. Eight lanes of 256 u32 counters (lane k at k * 1024
;; bytes): each 8-byte load counts its byte k into lane k, so equal bytes in a row raise different counters and
;; the increments do not wait on one another. The caller zeroes the lanes, copies at most 1 MiB to DATA, calls
;; count, and sums the lanes into its totals: no counter can overflow within one call.
;; Compiled into byte-count-wasm.ts by scripts/build-byte-count-wasm.js (run it after editing this file).
(module
  (memory (export "memory") 17)
  (func (export "count") (param $n i32)
    (local $p i32) (local $end i32) (local $stop i32) (local $x i64) (local $at i32)
    (local.set $p (i32.const 8192))
    (local.set $stop (i32.add (local.get $p) (local.get $n)))
    (local.set $end (i32.add (local.get $p) (i32.and (local.get $n) (i32.const -8))))
    (block $words_done
      (loop $words
        (br_if $words_done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (i64.load (local.get $p)))
        (local.set $at (i32.shl (i32.wrap_i64 (i64.and (local.get $x) (i64.const 255))) (i32.const 2)))
        (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
        (local.set $at (i32.add (i32.const 1024) (i32.shl (i32.wrap_i64 (i64.and (i64.shr_u (local.get $x) (i64.const 8)) (i64.const 255))) (i32.const 2))))
        (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
        (local.set $at (i32.add (i32.const 2048) (i32.shl (i32.wrap_i64 (i64.and (i64.shr_u (local.get $x) (i64.const 16)) (i64.const 255))) (i32.const 2))))
        (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
        (local.set $at (i32.add (i32.const 3072) (i32.shl (i32.wrap_i64 (i64.and (i64.shr_u (local.get $x) (i64.const 24)) (i64.const 255))) (i32.const 2))))
        (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
        (local.set $at (i32.add (i32.const 4096) (i32.shl (i32.wrap_i64 (i64.and (i64.shr_u (local.get $x) (i64.const 32)) (i64.const 255))) (i32.const 2))))
        (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
        (local.set $at (i32.add (i32.const 5120) (i32.shl (i32.wrap_i64 (i64.and (i64.shr_u (local.get $x) (i64.const 40)) (i64.const 255))) (i32.const 2))))
        (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
        (local.set $at (i32.add (i32.const 6144) (i32.shl (i32.wrap_i64 (i64.and (i64.shr_u (local.get $x) (i64.const 48)) (i64.const 255))) (i32.const 2))))
        (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
        (local.set $at (i32.add (i32.const 7168) (i32.shl (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 56))) (i32.const 2))))
        (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $words)))
    ;; The last n mod 8 bytes, into lane 0.
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $p) (local.get $stop)))
        (local.set $at (i32.shl (i32.load8_u (local.get $p)) (i32.const 2)))
        (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $tail)))))
