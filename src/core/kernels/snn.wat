;; Spiking-network step kernels in WebAssembly SIMD (f32x4), the fast path of src/core/kernels/snn.ts.
;; Every operation is one float32 IEEE operation, in the order of the JS fallback in snn.ts (bit-identical results).
;; Arrays are byte offsets into the instance's memory, padded to a multiple of 4 elements (16 bytes); `n` is the
;; padded length. Compiled to snn_wasm.ts by `npm run build:wasm` (wabt); a test checks the two agree.
(module
  (import "env" "memory" (memory 1))

  ;; LIF step with an absolute refractory period (BrainPy 2.x bp.dyn.Lif / LifRef, currents frozen at the old V):
  ;;   vn = v + c·(((V_rest − v) + R·I) / tau)   [+ S when has_delta]
  ;;   held = (t − t_last) <= tau_ref  →  vn = v
  ;;   spike = vn >= V_th  →  vn = V_reset, t_last = t;  sp = spike (bytes 0/1), and the spiking indices in ascending
  ;;   order at pIdx (i32). Returns the spike count.
  (func (export "lif") (param $n i32) (param $pV i32) (param $pI i32) (param $pS i32) (param $pT i32) (param $pSp i32)
        (param $pIdx i32) (param $has_delta i32) (param $t f32) (param $c f32) (param $tau f32) (param $Vrest f32)
        (param $R f32) (param $Vth f32) (param $Vreset f32) (param $tauRef f32) (param $prev i32) (result i32)
    (local $k i32) (local $o i32) (local $cnt i32) (local $b i32) (local $j i32)
    (local $v v128) (local $vn v128) (local $tl v128) (local $s v128)
    (local $vt v128) (local $vc v128) (local $vtau v128) (local $vrest v128) (local $vR v128) (local $vth v128)
    (local $vreset v128) (local $vtref v128)
    (local.set $vt (f32x4.splat (local.get $t)))
    (local.set $vc (f32x4.splat (local.get $c)))
    (local.set $vtau (f32x4.splat (local.get $tau)))
    (local.set $vrest (f32x4.splat (local.get $Vrest)))
    (local.set $vR (f32x4.splat (local.get $R)))
    (local.set $vth (f32x4.splat (local.get $Vth)))
    (local.set $vreset (f32x4.splat (local.get $Vreset)))
    (local.set $vtref (f32x4.splat (local.get $tauRef)))
    ;; SP is written only where a lane spikes: first the previous step's spikes (listed at pIdx, prev of them) are
    ;; cleared, or with prev < 0 the whole array (16 bytes at a time: byte arrays are padded to 16)
    (if (i32.lt_s (local.get $prev) (i32.const 0))
      (then (block $cd (loop $CL
        (br_if $cd (i32.ge_u (local.get $j) (local.get $n)))
        (v128.store (i32.add (local.get $pSp) (local.get $j)) (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $CL))))
      (else (block $cd (loop $CL
        (br_if $cd (i32.ge_u (local.get $j) (local.get $prev)))
        (i32.store8 (i32.add (local.get $pSp) (i32.load (i32.add (local.get $pIdx) (i32.shl (local.get $j) (i32.const 2))))) (i32.const 0))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $CL)))))
    (block $done (loop $L
      (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $o (i32.shl (local.get $k) (i32.const 2)))
      (local.set $v (v128.load (i32.add (local.get $pV) (local.get $o))))
      (local.set $vn
        (f32x4.add (local.get $v)
          (f32x4.mul (local.get $vc)
            (f32x4.div
              (f32x4.add (f32x4.sub (local.get $vrest) (local.get $v))
                         (f32x4.mul (local.get $vR) (v128.load (i32.add (local.get $pI) (local.get $o)))))
              (local.get $vtau)))))
      (if (local.get $has_delta)
        (then (local.set $vn (f32x4.add (local.get $vn) (v128.load (i32.add (local.get $pS) (local.get $o)))))))
      (local.set $tl (v128.load (i32.add (local.get $pT) (local.get $o))))
      (local.set $vn (v128.bitselect (local.get $v) (local.get $vn)
        (f32x4.le (f32x4.sub (local.get $vt) (local.get $tl)) (local.get $vtref))))
      (local.set $s (f32x4.ge (local.get $vn) (local.get $vth)))
      (v128.store (i32.add (local.get $pV) (local.get $o)) (v128.bitselect (local.get $vreset) (local.get $vn) (local.get $s)))
      ;; rare: a lane spiked: its spike bytes (lanes of s are all-ones or zero: narrowed to 4 bytes, bit 0 of each),
      ;; t_last = t there, and the spiking lanes listed in order
      (if (v128.any_true (local.get $s)) (then
        (local.set $b (i32.and (i32x4.extract_lane 0
            (i8x16.narrow_i16x8_s (i16x8.narrow_i32x4_s (local.get $s) (local.get $s)) (local.get $s)))
            (i32.const 0x01010101)))
        (i32.store (i32.add (local.get $pSp) (local.get $k)) (local.get $b))
        (v128.store (i32.add (local.get $pT) (local.get $o)) (v128.bitselect (local.get $vt) (local.get $tl) (local.get $s)))
        (local.set $j (local.get $k))
        (block $lanes (loop $LL
          (br_if $lanes (i32.eqz (local.get $b)))
          (if (i32.and (local.get $b) (i32.const 1)) (then
            (i32.store (i32.add (local.get $pIdx) (i32.shl (local.get $cnt) (i32.const 2))) (local.get $j))
            (local.set $cnt (i32.add (local.get $cnt) (i32.const 1)))))
          (local.set $b (i32.shr_u (local.get $b) (i32.const 8)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $LL)))))
      (local.set $k (i32.add (local.get $k) (i32.const 4)))
      (br $L)))
    (local.get $cnt))

  ;; exp in float32, Cephes' expf (the single-precision algorithm behind Eigen's, and so XLA's, vectorised exp), every
  ;; operation rounded to float32, no FMA: n = floor(x·log2e + 1/2), r = (x − n·C1) − n·C2,
  ;; e^r = ((((((p0·r + p1)·r + p2)·r + p3)·r + p4)·r + p5)·r²) + r) + 1, times 2^n as (· 2^(n−a)) · 2^a with a = 1
  ;; above n = 127 and a = −126 below n = −126 (so results near overflow and denormal results come out right).
  ;; Above 88.72284 the result is +inf, below −103.972 it is 0; NaN stays NaN.
  (func $expf (param $x v128) (result v128)
    (local $fx v128) (local $r v128) (local $p v128) (local $c v128) (local $a v128) (local $hi v128) (local $lo v128)
    ;; pmin/pmax (one instruction each; min/max's NaN and ±0 rules cost several): the same for every non-NaN x, and a
    ;; NaN lane returns x at the end
    (local.set $c (f32x4.pmax (f32x4.pmin (local.get $x) (f32x4.splat (f32.const 88.72284))) (f32x4.splat (f32.const -103.972))))
    (local.set $fx (f32x4.floor (f32x4.add (f32x4.mul (local.get $c) (f32x4.splat (f32.const 1.44269504088896341)))
                                           (f32x4.splat (f32.const 0.5)))))
    (local.set $r (f32x4.sub (f32x4.sub (local.get $c) (f32x4.mul (local.get $fx) (f32x4.splat (f32.const 0.693359375))))
                             (f32x4.mul (local.get $fx) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $p (f32x4.splat (f32.const 1.9875691500e-4)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.3981999507e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.3334519073e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.1665795894e-2))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.6666665459e-1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 5.0000001201e-1))))
    (local.set $p (f32x4.add (f32x4.add (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r))
                             (f32x4.splat (f32.const 1))))
    ;; n, and a = 1 / −126 / 0; n from the integral fx (|fx| <= 150) by adding 1.5·2^23: its low mantissa bits are n
    ;; (exact, and cheaper than i32x4.trunc_sat_f32x4_s's saturating conversion)
    (local.set $r (i32x4.sub (f32x4.add (local.get $fx) (f32x4.splat (f32.const 12582912))) (i32x4.splat (i32.const 0x4B400000))))
    (local.set $hi (i32x4.gt_s (local.get $r) (i32x4.splat (i32.const 127))))
    (local.set $lo (i32x4.lt_s (local.get $r) (i32x4.splat (i32.const -126))))
    (local.set $a (v128.or (v128.and (local.get $hi) (i32x4.splat (i32.const 1))) (v128.and (local.get $lo) (i32x4.splat (i32.const -126)))))
    (local.set $p (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.sub (local.get $r) (local.get $a)) (i32x4.splat (i32.const 127))) (i32.const 23))))
    (local.set $p (f32x4.mul (local.get $p) (i32x4.shl (i32x4.add (local.get $a) (i32x4.splat (i32.const 127))) (i32.const 23))))
    (local.set $p (v128.bitselect (f32x4.splat (f32.const inf)) (local.get $p) (f32x4.gt (local.get $x) (f32x4.splat (f32.const 88.72284)))))
    (local.set $p (v128.bitselect (f32x4.splat (f32.const 0)) (local.get $p) (f32x4.lt (local.get $x) (f32x4.splat (f32.const -103.972)))))
    (v128.bitselect (local.get $x) (local.get $p) (f32x4.ne (local.get $x) (local.get $x))))

  ;; LIF step with the conductances inside the integrator (BrainPy 2.x LifLTC / LifRefLTC): B = Σ b of the affine inputs
  ;; (COBA: −g), J = (−1 + R·B)/tau, z = dt·J, exprel(z) = |z| <= 1e-5 ? (1 + z/2) + (z·z)/6 : (expf(z) − 1)/z,
  ;; c = dt·exprel(z), then as "lif" with this c. Returns the spike count.
  (func (export "lif_ltc") (param $n i32) (param $pV i32) (param $pI i32) (param $pB i32) (param $pS i32) (param $pT i32)
        (param $pSp i32) (param $pIdx i32) (param $has_delta i32) (param $t f32) (param $dt f32) (param $tau f32)
        (param $Vrest f32) (param $R f32) (param $Vth f32) (param $Vreset f32) (param $tauRef f32) (param $prev i32) (result i32)
    (local $k i32) (local $o i32) (local $cnt i32) (local $b i32) (local $j i32)
    (local $v v128) (local $vn v128) (local $tl v128) (local $s v128) (local $z v128) (local $c v128) (local $m v128)
    (local $efx v128) (local $er v128) (local $ep v128) (local $ec v128) (local $ea v128) (local $ehi v128) (local $elo v128)
    (local $vt v128) (local $vdt v128) (local $vtau v128) (local $vrest v128) (local $vR v128) (local $vth v128)
    (local $vreset v128) (local $vtref v128)
    (local.set $vt (f32x4.splat (local.get $t)))
    (local.set $vdt (f32x4.splat (local.get $dt)))
    (local.set $vtau (f32x4.splat (local.get $tau)))
    (local.set $vrest (f32x4.splat (local.get $Vrest)))
    (local.set $vR (f32x4.splat (local.get $R)))
    (local.set $vth (f32x4.splat (local.get $Vth)))
    (local.set $vreset (f32x4.splat (local.get $Vreset)))
    (local.set $vtref (f32x4.splat (local.get $tauRef)))
    ;; SP is written only where a lane spikes: first the previous step's spikes (listed at pIdx, prev of them) are
    ;; cleared, or with prev < 0 the whole array (16 bytes at a time: byte arrays are padded to 16)
    (if (i32.lt_s (local.get $prev) (i32.const 0))
      (then (block $cd (loop $CL
        (br_if $cd (i32.ge_u (local.get $j) (local.get $n)))
        (v128.store (i32.add (local.get $pSp) (local.get $j)) (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $CL))))
      (else (block $cd (loop $CL
        (br_if $cd (i32.ge_u (local.get $j) (local.get $prev)))
        (i32.store8 (i32.add (local.get $pSp) (i32.load (i32.add (local.get $pIdx) (i32.shl (local.get $j) (i32.const 2))))) (i32.const 0))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $CL)))))
    (block $done (loop $L
      (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $o (i32.shl (local.get $k) (i32.const 2)))
      (local.set $v (v128.load (i32.add (local.get $pV) (local.get $o))))
      (local.set $z (f32x4.mul (local.get $vdt)
        (f32x4.div (f32x4.add (f32x4.splat (f32.const -1)) (f32x4.mul (local.get $vR) (v128.load (i32.add (local.get $pB) (local.get $o)))))
                   (local.get $vtau))))
      ;; exprel: (expf(z) − 1)/z, and the series where |z| <= 1e-5 (computed only when a lane needs it: rare)
      ;; e = expf(z): $expf's operations, inlined (a call spills the live vector registers around it: ~12 % slower)
      (local.set $ec (f32x4.pmax (f32x4.pmin (local.get $z) (f32x4.splat (f32.const 88.72284))) (f32x4.splat (f32.const -103.972))))
      (local.set $efx (f32x4.floor (f32x4.add (f32x4.mul (local.get $ec) (f32x4.splat (f32.const 1.44269504088896341)))
                                             (f32x4.splat (f32.const 0.5)))))
      (local.set $er (f32x4.sub (f32x4.sub (local.get $ec) (f32x4.mul (local.get $efx) (f32x4.splat (f32.const 0.693359375))))
                               (f32x4.mul (local.get $efx) (f32x4.splat (f32.const -2.12194440e-4)))))
      (local.set $ep (f32x4.splat (f32.const 1.9875691500e-4)))
      (local.set $ep (f32x4.add (f32x4.mul (local.get $ep) (local.get $er)) (f32x4.splat (f32.const 1.3981999507e-3))))
      (local.set $ep (f32x4.add (f32x4.mul (local.get $ep) (local.get $er)) (f32x4.splat (f32.const 8.3334519073e-3))))
      (local.set $ep (f32x4.add (f32x4.mul (local.get $ep) (local.get $er)) (f32x4.splat (f32.const 4.1665795894e-2))))
      (local.set $ep (f32x4.add (f32x4.mul (local.get $ep) (local.get $er)) (f32x4.splat (f32.const 1.6666665459e-1))))
      (local.set $ep (f32x4.add (f32x4.mul (local.get $ep) (local.get $er)) (f32x4.splat (f32.const 5.0000001201e-1))))
      (local.set $ep (f32x4.add (f32x4.add (f32x4.mul (local.get $ep) (f32x4.mul (local.get $er) (local.get $er))) (local.get $er))
                               (f32x4.splat (f32.const 1))))
      (local.set $er (i32x4.sub (f32x4.add (local.get $efx) (f32x4.splat (f32.const 12582912))) (i32x4.splat (i32.const 0x4B400000))))
      (local.set $ehi (i32x4.gt_s (local.get $er) (i32x4.splat (i32.const 127))))
      (local.set $elo (i32x4.lt_s (local.get $er) (i32x4.splat (i32.const -126))))
      (local.set $ea (v128.or (v128.and (local.get $ehi) (i32x4.splat (i32.const 1))) (v128.and (local.get $elo) (i32x4.splat (i32.const -126)))))
      (local.set $ep (f32x4.mul (local.get $ep)
        (i32x4.shl (i32x4.add (i32x4.sub (local.get $er) (local.get $ea)) (i32x4.splat (i32.const 127))) (i32.const 23))))
      (local.set $ep (f32x4.mul (local.get $ep) (i32x4.shl (i32x4.add (local.get $ea) (i32x4.splat (i32.const 127))) (i32.const 23))))
      (local.set $ep (v128.bitselect (f32x4.splat (f32.const inf)) (local.get $ep) (f32x4.gt (local.get $z) (f32x4.splat (f32.const 88.72284)))))
      (local.set $ep (v128.bitselect (f32x4.splat (f32.const 0)) (local.get $ep) (f32x4.lt (local.get $z) (f32x4.splat (f32.const -103.972)))))
      (local.set $ep (v128.bitselect (local.get $z) (local.get $ep) (f32x4.ne (local.get $z) (local.get $z))))
      (local.set $c (f32x4.div (f32x4.sub (local.get $ep) (f32x4.splat (f32.const 1))) (local.get $z)))
      (local.set $m (f32x4.le (f32x4.abs (local.get $z)) (f32x4.splat (f32.const 1e-5))))
      (if (v128.any_true (local.get $m)) (then
        (local.set $c (v128.bitselect
          (f32x4.add (f32x4.add (f32x4.splat (f32.const 1)) (f32x4.div (local.get $z) (f32x4.splat (f32.const 2))))
                     (f32x4.div (f32x4.mul (local.get $z) (local.get $z)) (f32x4.splat (f32.const 6))))
          (local.get $c) (local.get $m)))))
      (local.set $c (f32x4.mul (local.get $vdt) (local.get $c)))
      (local.set $vn
        (f32x4.add (local.get $v)
          (f32x4.mul (local.get $c)
            (f32x4.div
              (f32x4.add (f32x4.sub (local.get $vrest) (local.get $v))
                         (f32x4.mul (local.get $vR) (v128.load (i32.add (local.get $pI) (local.get $o)))))
              (local.get $vtau)))))
      (if (local.get $has_delta)
        (then (local.set $vn (f32x4.add (local.get $vn) (v128.load (i32.add (local.get $pS) (local.get $o)))))))
      (local.set $tl (v128.load (i32.add (local.get $pT) (local.get $o))))
      (local.set $vn (v128.bitselect (local.get $v) (local.get $vn)
        (f32x4.le (f32x4.sub (local.get $vt) (local.get $tl)) (local.get $vtref))))
      (local.set $s (f32x4.ge (local.get $vn) (local.get $vth)))
      (v128.store (i32.add (local.get $pV) (local.get $o)) (v128.bitselect (local.get $vreset) (local.get $vn) (local.get $s)))
      ;; rare: a lane spiked: its spike bytes (lanes of s are all-ones or zero: narrowed to 4 bytes, bit 0 of each),
      ;; t_last = t there, and the spiking lanes listed in order
      (if (v128.any_true (local.get $s)) (then
        (local.set $b (i32.and (i32x4.extract_lane 0
            (i8x16.narrow_i16x8_s (i16x8.narrow_i32x4_s (local.get $s) (local.get $s)) (local.get $s)))
            (i32.const 0x01010101)))
        (i32.store (i32.add (local.get $pSp) (local.get $k)) (local.get $b))
        (v128.store (i32.add (local.get $pT) (local.get $o)) (v128.bitselect (local.get $vt) (local.get $tl) (local.get $s)))
        (local.set $j (local.get $k))
        (block $lanes (loop $LL
          (br_if $lanes (i32.eqz (local.get $b)))
          (if (i32.and (local.get $b) (i32.const 1)) (then
            (i32.store (i32.add (local.get $pIdx) (i32.shl (local.get $cnt) (i32.const 2))) (local.get $j))
            (local.set $cnt (i32.add (local.get $cnt) (i32.const 1)))))
          (local.set $b (i32.shr_u (local.get $b) (i32.const 8)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $LL)))))
      (local.set $k (i32.add (local.get $k) (i32.const 4)))
      (br $L)))
    (local.get $cnt))

  ;; I = I − G (the B accumulator of the LTC neurons: COBA's b = −g)
  (func (export "sub") (param $n i32) (param $pI i32) (param $pG i32)
    (local $o i32) (local $end i32) (local $pi i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $L
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $pi (i32.add (local.get $pI) (local.get $o)))
      (v128.store (local.get $pi) (f32x4.sub (v128.load (local.get $pi)) (v128.load (i32.add (local.get $pG) (local.get $o)))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $L))))

  ;; exp of n floats (expf above), for tests and for JS callers that want the kernel's exp
  (func (export "expf") (param $n i32) (param $pX i32) (param $pY i32)
    (local $o i32) (local $end i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $L
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (v128.store (i32.add (local.get $pY) (local.get $o)) (call $expf (v128.load (i32.add (local.get $pX) (local.get $o)))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $L))))

  ;; Conductance-based current: I = I + g·(E − V)
  (func (export "cond_acc") (param $n i32) (param $pI i32) (param $pG i32) (param $pV i32) (param $E f32)
    (local $o i32) (local $end i32) (local $vE v128) (local $pi i32)
    (local.set $vE (f32x4.splat (local.get $E)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $L
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $pi (i32.add (local.get $pI) (local.get $o)))
      (v128.store (local.get $pi)
        (f32x4.add (v128.load (local.get $pi))
          (f32x4.mul (v128.load (i32.add (local.get $pG) (local.get $o)))
                     (f32x4.sub (local.get $vE) (v128.load (i32.add (local.get $pV) (local.get $o)))))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $L))))

  ;; The first conductance output of a step with a scalar input: I = x + g·(E − V) (what filling I with x, then cond_acc,
  ;; gives, in one pass)
  (func (export "cond_set") (param $n i32) (param $pI i32) (param $pG i32) (param $pV i32) (param $E f32) (param $x f32)
    (local $o i32) (local $end i32) (local $vE v128) (local $vx v128)
    (local.set $vE (f32x4.splat (local.get $E)))
    (local.set $vx (f32x4.splat (local.get $x)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $L
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (v128.store (i32.add (local.get $pI) (local.get $o))
        (f32x4.add (local.get $vx)
          (f32x4.mul (v128.load (i32.add (local.get $pG) (local.get $o)))
                     (f32x4.sub (local.get $vE) (v128.load (i32.add (local.get $pV) (local.get $o)))))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $L))))

  ;; Two conductance outputs in one pass, with a scalar input: I = (x + G1·(E1 − V)) + G2·(E2 − V) (cond_set then
  ;; cond_acc: the same operations in the same order)
  (func (export "cond2_set") (param $n i32) (param $pI i32) (param $pG1 i32) (param $pG2 i32) (param $pV i32) (param $E1 f32) (param $E2 f32) (param $x f32)
    (local $o i32) (local $end i32) (local $vE1 v128) (local $vE2 v128) (local $vx v128) (local $v v128)
    (local.set $vE1 (f32x4.splat (local.get $E1)))
    (local.set $vE2 (f32x4.splat (local.get $E2)))
    (local.set $vx (f32x4.splat (local.get $x)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $L
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $v (v128.load (i32.add (local.get $pV) (local.get $o))))
      (v128.store (i32.add (local.get $pI) (local.get $o))
        (f32x4.add
          (f32x4.add (local.get $vx)
            (f32x4.mul (v128.load (i32.add (local.get $pG1) (local.get $o))) (f32x4.sub (local.get $vE1) (local.get $v))))
          (f32x4.mul (v128.load (i32.add (local.get $pG2) (local.get $o))) (f32x4.sub (local.get $vE2) (local.get $v)))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $L))))

  ;; I = (I + G1·(E1 − V)) + G2·(E2 − V) (cond_acc twice, in one pass)
  (func (export "cond2_acc") (param $n i32) (param $pI i32) (param $pG1 i32) (param $pG2 i32) (param $pV i32) (param $E1 f32) (param $E2 f32)
    (local $o i32) (local $end i32) (local $vE1 v128) (local $vE2 v128) (local $v v128) (local $pi i32)
    (local.set $vE1 (f32x4.splat (local.get $E1)))
    (local.set $vE2 (f32x4.splat (local.get $E2)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $L
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $pi (i32.add (local.get $pI) (local.get $o)))
      (local.set $v (v128.load (i32.add (local.get $pV) (local.get $o))))
      (v128.store (local.get $pi)
        (f32x4.add
          (f32x4.add (v128.load (local.get $pi))
            (f32x4.mul (v128.load (i32.add (local.get $pG1) (local.get $o))) (f32x4.sub (local.get $vE1) (local.get $v))))
          (f32x4.mul (v128.load (i32.add (local.get $pG2) (local.get $o))) (f32x4.sub (local.get $vE2) (local.get $v)))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $L))))

  ;; Event scatter: out[ids[k]] = out[ids[k]] + w for k = 0 .. n − 1 in order (ids i32 at pIds, out f32 at pOut): the
  ;; rows of an event product with one weight, staged here as one flat list of output positions
  (func (export "scatter_add") (param $n i32) (param $pIds i32) (param $pOut i32) (param $w f32)
    (local $a i32) (local $end i32) (local $q i32)
    (local.set $a (local.get $pIds))
    (local.set $end (i32.add (local.get $pIds) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $L
      (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
      (local.set $q (i32.add (local.get $pOut) (i32.shl (i32.load (local.get $a)) (i32.const 2))))
      (f32.store (local.get $q) (f32.add (f32.load (local.get $q)) (local.get $w)))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (br $L))))

  ;; I = I + G, and Z = 0 in the same pass (an event product's array added, the previous step's one cleared for reuse)
  (func (export "add_clear") (param $n i32) (param $pI i32) (param $pG i32) (param $pZ i32)
    (local $o i32) (local $end i32) (local $pi i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $L
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $pi (i32.add (local.get $pI) (local.get $o)))
      (v128.store (local.get $pi) (f32x4.add (v128.load (local.get $pi)) (v128.load (i32.add (local.get $pG) (local.get $o)))))
      (v128.store (i32.add (local.get $pZ) (local.get $o)) (v128.const i32x4 0 0 0 0))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $L))))

  ;; I = I + G
  (func (export "add") (param $n i32) (param $pI i32) (param $pG i32)
    (local $o i32) (local $end i32) (local $pi i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $L
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $pi (i32.add (local.get $pI) (local.get $o)))
      (v128.store (local.get $pi) (f32x4.add (v128.load (local.get $pi)) (v128.load (i32.add (local.get $pG) (local.get $o)))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $L))))

  ;; Exponential-Euler decay of a linear synapse, g' = −g/tau: g = g + c·((−g) / tau)
  (func (export "exp_decay") (param $n i32) (param $pG i32) (param $c f32) (param $tau f32)
    (local $p i32) (local $end i32) (local $g v128) (local $vc v128) (local $vtau v128)
    (local.set $vc (f32x4.splat (local.get $c)))
    (local.set $vtau (f32x4.splat (local.get $tau)))
    (local.set $p (local.get $pG))
    (local.set $end (i32.add (local.get $pG) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $L
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $g (v128.load (local.get $p)))
      (v128.store (local.get $p)
        (f32x4.add (local.get $g) (f32x4.mul (local.get $vc) (f32x4.div (f32x4.neg (local.get $g)) (local.get $vtau)))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $L))))

  ;; An event product's add, then the exponential-Euler decay, in one pass (an Mg projection's g = (g + Δ) decayed):
  ;; g = g + P; g = g + c·((−g)/tau); and Z = 0 when clear (the previous step's product array, cleared for reuse)
  (func (export "add_decay") (param $n i32) (param $pG i32) (param $pP i32) (param $pZ i32) (param $clear i32) (param $c f32) (param $tau f32)
    (local $o i32) (local $end i32) (local $g v128) (local $vc v128) (local $vtau v128)
    (local.set $vc (f32x4.splat (local.get $c)))
    (local.set $vtau (f32x4.splat (local.get $tau)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $L
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $g (f32x4.add (v128.load (i32.add (local.get $pG) (local.get $o))) (v128.load (i32.add (local.get $pP) (local.get $o)))))
      (v128.store (i32.add (local.get $pG) (local.get $o))
        (f32x4.add (local.get $g) (f32x4.mul (local.get $vc) (f32x4.div (f32x4.neg (local.get $g)) (local.get $vtau)))))
      (if (local.get $clear) (then (v128.store (i32.add (local.get $pZ) (local.get $o)) (v128.const i32x4 0 0 0 0))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $L))))
)
