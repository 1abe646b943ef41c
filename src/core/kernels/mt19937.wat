;; numpy's legacy RandomState MT19937 and its permutation(n) in WebAssembly, the fast path of
;; src/brainpy/math/numpy_random.ts (bp.conn.FixedProb draws one permutation per row): the same 32-bit words, the same
;; masked rejection, the same swaps. Memory: the 624-word state at 0, the position in it at 2496, the array at 2560.
;; Compiled to mt19937_wasm.ts by `npm run build:wasm` (wabt).
(module
  (import "env" "memory" (memory 1))

  ;; the generator's twist of all 624 words (genrand's recurrence)
  (func $twist
    (local $k i32) (local $y i32)
    (block $a (loop $A
      (br_if $a (i32.ge_u (local.get $k) (i32.const 227)))
      (local.set $y (i32.or (i32.and (i32.load (i32.shl (local.get $k) (i32.const 2))) (i32.const 0x80000000))
                            (i32.and (i32.load (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 2))) (i32.const 0x7fffffff))))
      (i32.store (i32.shl (local.get $k) (i32.const 2))
        (i32.xor (i32.xor (i32.load (i32.shl (i32.add (local.get $k) (i32.const 397)) (i32.const 2))) (i32.shr_u (local.get $y) (i32.const 1)))
                 (select (i32.const 0x9908b0df) (i32.const 0) (i32.and (local.get $y) (i32.const 1)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $A)))
    (block $b (loop $B
      (br_if $b (i32.ge_u (local.get $k) (i32.const 623)))
      (local.set $y (i32.or (i32.and (i32.load (i32.shl (local.get $k) (i32.const 2))) (i32.const 0x80000000))
                            (i32.and (i32.load (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 2))) (i32.const 0x7fffffff))))
      (i32.store (i32.shl (local.get $k) (i32.const 2))
        (i32.xor (i32.xor (i32.load (i32.shl (i32.sub (local.get $k) (i32.const 227)) (i32.const 2))) (i32.shr_u (local.get $y) (i32.const 1)))
                 (select (i32.const 0x9908b0df) (i32.const 0) (i32.and (local.get $y) (i32.const 1)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $B)))
    (local.set $y (i32.or (i32.and (i32.load (i32.const 2492)) (i32.const 0x80000000)) (i32.and (i32.load (i32.const 0)) (i32.const 0x7fffffff))))
    (i32.store (i32.const 2492)
      (i32.xor (i32.xor (i32.load (i32.const 1584)) (i32.shr_u (local.get $y) (i32.const 1)))
               (select (i32.const 0x9908b0df) (i32.const 0) (i32.and (local.get $y) (i32.const 1)))))
    (i32.store (i32.const 2496) (i32.const 0)))

  ;; permutation(n) into the array at 2560: arange(n), then for i = n − 1 .. 1 a position j in [0, i] by masked
  ;; rejection (next() & mask until j <= i, mask the smallest all-ones mask >= i) and the swap of i and j
  (func (export "permutation") (param $n i32)
    (local $i i32) (local $j i32) (local $m i32) (local $pi i32) (local $pj i32) (local $t i32) (local $p i32) (local $y i32)
    (local.set $p (i32.load (i32.const 2496)))
    (block $f (loop $F
      (br_if $f (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store (i32.add (i32.const 2560) (i32.shl (local.get $i) (i32.const 2))) (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $F)))
    (local.set $i (i32.sub (local.get $n) (i32.const 1)))
    (block $done (loop $L
      (br_if $done (i32.lt_s (local.get $i) (i32.const 1)))
      (local.set $m (local.get $i))
      (local.set $m (i32.or (local.get $m) (i32.shr_u (local.get $m) (i32.const 1))))
      (local.set $m (i32.or (local.get $m) (i32.shr_u (local.get $m) (i32.const 2))))
      (local.set $m (i32.or (local.get $m) (i32.shr_u (local.get $m) (i32.const 4))))
      (local.set $m (i32.or (local.get $m) (i32.shr_u (local.get $m) (i32.const 8))))
      (local.set $m (i32.or (local.get $m) (i32.shr_u (local.get $m) (i32.const 16))))
      ;; $next inlined, the position kept in a local (stored back at the end)
      (loop $R
        (if (i32.ge_u (local.get $p) (i32.const 624)) (then (call $twist) (local.set $p (i32.const 0))))
        (local.set $y (i32.load (i32.shl (local.get $p) (i32.const 2))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $y (i32.xor (local.get $y) (i32.shr_u (local.get $y) (i32.const 11))))
        (local.set $y (i32.xor (local.get $y) (i32.and (i32.shl (local.get $y) (i32.const 7)) (i32.const 0x9d2c5680))))
        (local.set $y (i32.xor (local.get $y) (i32.and (i32.shl (local.get $y) (i32.const 15)) (i32.const 0xefc60000))))
        (local.set $y (i32.xor (local.get $y) (i32.shr_u (local.get $y) (i32.const 18))))
        (local.set $j (i32.and (local.get $y) (local.get $m)))
        (br_if $R (i32.gt_u (local.get $j) (local.get $i))))
      (local.set $pi (i32.add (i32.const 2560) (i32.shl (local.get $i) (i32.const 2))))
      (local.set $pj (i32.add (i32.const 2560) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $t (i32.load (local.get $pi)))
      (i32.store (local.get $pi) (i32.load (local.get $pj)))
      (i32.store (local.get $pj) (local.get $t))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br $L)))
    (i32.store (i32.const 2496) (local.get $p)))
)
