;; Float CSR matrix × vector in WebAssembly, the fast path of src/core/kernels/csr.ts (bm.sparse.csrmv, float32).
;; Every operation is the one the JS kernel of src/brainpy/math/sparse.ts does, in the same order (bit-identical):
;; the scatter form adds float32 products into a float32 output, the gather form sums them in float64 and rounds once.
;; Arrays are byte offsets into the instance's memory: indptr (m + 1 i32), indices (nnz i32, already checked to be
;; in range), data (nnz f32), x, out, and act (0/1 bytes) for the event count. Compiled to csr_wasm.ts by `npm run build:wasm` (wabt).
(module
  (import "env" "memory" (memory 1))

  ;; out (n f32) = 0 (16 bytes at a time: out is padded to a multiple of 4 elements)
  (func $zero (param $pOut i32) (param $n i32)
    (local $p i32) (local $end i32)
    (local.set $p (local.get $pOut))
    (local.set $end (i32.add (local.get $pOut) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $L
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (v128.store (local.get $p) (v128.const i32x4 0 0 0 0))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $L))))

  ;; x @ M with one weight: out = 0; for each row i: wx = w·x[i] (f32); out[indices[k]] += wx for k in row i
  (func (export "scatter_homo") (param $m i32) (param $n i32) (param $pPtr i32) (param $pIdx i32) (param $pX i32) (param $pOut i32) (param $w f32)
    (local $i i32) (local $k i32) (local $e i32) (local $wx f32) (local $q i32)
    (call $zero (local.get $pOut) (local.get $n))
    (local.set $k (i32.load (local.get $pPtr)))
    (block $rows (loop $R
      (br_if $rows (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $wx (f32.mul (local.get $w) (f32.load (i32.add (local.get $pX) (i32.shl (local.get $i) (i32.const 2))))))
      (local.set $e (i32.load (i32.add (local.get $pPtr) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2)))))
      (block $row (loop $K
        (br_if $row (i32.ge_u (local.get $k) (local.get $e)))
        (local.set $q (i32.add (local.get $pOut) (i32.shl (i32.load (i32.add (local.get $pIdx) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 2))))
        (f32.store (local.get $q) (f32.add (f32.load (local.get $q)) (local.get $wx)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $K)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $R))))

  ;; x @ M with a weight per entry: out = 0; out[indices[k]] += data[k]·x[i] (f32 product, f32 sum)
  (func (export "scatter") (param $m i32) (param $n i32) (param $pPtr i32) (param $pIdx i32) (param $pData i32) (param $pX i32) (param $pOut i32)
    (local $i i32) (local $k i32) (local $e i32) (local $x f32) (local $q i32) (local $o i32)
    (call $zero (local.get $pOut) (local.get $n))
    (local.set $k (i32.load (local.get $pPtr)))
    (block $rows (loop $R
      (br_if $rows (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $x (f32.load (i32.add (local.get $pX) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $e (i32.load (i32.add (local.get $pPtr) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2)))))
      (block $row (loop $K
        (br_if $row (i32.ge_u (local.get $k) (local.get $e)))
        (local.set $o (i32.shl (local.get $k) (i32.const 2)))
        (local.set $q (i32.add (local.get $pOut) (i32.shl (i32.load (i32.add (local.get $pIdx) (local.get $o))) (i32.const 2))))
        (f32.store (local.get $q) (f32.add (f32.load (local.get $q)) (f32.mul (f32.load (i32.add (local.get $pData) (local.get $o))) (local.get $x))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $K)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $R))))

  ;; M @ x with one weight: out[i] = f32(w · Σ_k x[indices[k]]), the sum in f64 (w is the f32 weight, widened)
  (func (export "gather_homo") (param $m i32) (param $pPtr i32) (param $pIdx i32) (param $pX i32) (param $pOut i32) (param $w f64)
    (local $i i32) (local $k i32) (local $e i32) (local $r f64)
    (local.set $k (i32.load (local.get $pPtr)))
    (block $rows (loop $R
      (br_if $rows (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $r (f64.const 0))
      (local.set $e (i32.load (i32.add (local.get $pPtr) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2)))))
      (block $row (loop $K
        (br_if $row (i32.ge_u (local.get $k) (local.get $e)))
        (local.set $r (f64.add (local.get $r)
          (f64.promote_f32 (f32.load (i32.add (local.get $pX) (i32.shl (i32.load (i32.add (local.get $pIdx) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 2)))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $K)))
      (f32.store (i32.add (local.get $pOut) (i32.shl (local.get $i) (i32.const 2))) (f32.demote_f64 (f64.mul (local.get $w) (local.get $r))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $R))))

  ;; M @ x with a weight per entry: out[i] = f32(Σ_k f32(data[k]·x[indices[k]])), the sum in f64
  (func (export "gather") (param $m i32) (param $pPtr i32) (param $pIdx i32) (param $pData i32) (param $pX i32) (param $pOut i32)
    (local $i i32) (local $k i32) (local $e i32) (local $r f64) (local $o i32)
    (local.set $k (i32.load (local.get $pPtr)))
    (block $rows (loop $R
      (br_if $rows (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $r (f64.const 0))
      (local.set $e (i32.load (i32.add (local.get $pPtr) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2)))))
      (block $row (loop $K
        (br_if $row (i32.ge_u (local.get $k) (local.get $e)))
        (local.set $o (i32.shl (local.get $k) (i32.const 2)))
        (local.set $r (f64.add (local.get $r) (f64.promote_f32 (f32.mul (f32.load (i32.add (local.get $pData) (local.get $o)))
          (f32.load (i32.add (local.get $pX) (i32.shl (i32.load (i32.add (local.get $pIdx) (local.get $o))) (i32.const 2))))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $K)))
      (f32.store (i32.add (local.get $pOut) (i32.shl (local.get $i) (i32.const 2))) (f32.demote_f64 (local.get $r)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $R))))

  ;; M @ act for 0/1 bytes act and one weight: out[i] = f32(w · count of active columns in row i) (the count exact)
  (func (export "gather_count") (param $m i32) (param $pPtr i32) (param $pIdx i32) (param $pAct i32) (param $pOut i32) (param $w f64)
    (local $i i32) (local $k i32) (local $e i32) (local $c i32)
    (local.set $k (i32.load (local.get $pPtr)))
    (block $rows (loop $R
      (br_if $rows (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $c (i32.const 0))
      (local.set $e (i32.load (i32.add (local.get $pPtr) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2)))))
      (block $row (loop $K
        (br_if $row (i32.ge_u (local.get $k) (local.get $e)))
        (local.set $c (i32.add (local.get $c)
          (i32.load8_u (i32.add (local.get $pAct) (i32.load (i32.add (local.get $pIdx) (i32.shl (local.get $k) (i32.const 2))))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $K)))
      (f32.store (i32.add (local.get $pOut) (i32.shl (local.get $i) (i32.const 2))) (f32.demote_f64 (f64.mul (local.get $w) (f64.convert_i32_s (local.get $c)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $R))))
)
