;; brainstate's LIF / LIFRef one-pass step (src/brainstate/nn/_neuron.ts onePassKernel), Expon's decay and the spike
;; function's Heaviside step in WebAssembly, the fast paths of src/core/kernels/brainstate_steps.ts: the same operations
;; in the same order as the JS kernels, float32 where they round (Math.fround of a +, −, ×, ÷ of float32 values is the
;; float32 operation) and float64 elsewhere. exprel's expm1 stays in JS (Math.expm1, between the LIF's two passes).
;; Arrays are byte offsets into the instance's memory, n elements each.
(module
  (import "env" "memory" (memory 1))

  ;; Pass A, per neuron k: the reset of the last step's spike, the hold, and for the neurons that integrate
  ;;   s  = ((V − V_th) / (V_th − V_reset) >= 0)                    (float32)
  ;;   lk = V − h·s, h = V − V_reset ('hard') or V_th − V_reset     (float32)
  ;;   held = (t − t_last) < tau_ref                                 (float32 difference; LIFRef only)
  ;;   I = x + Σ g·(E − lk) (COBA) or g·scale (CUBA), J = −Σ g over COBA, both float64 in the inputs' order
  ;;   f = ((−lk + V_rest) + R·I) / tau,  z = dt·((−1 + R·J) / tau)  (float64)
  ;; stored: LK (f32), held (u8), F and Z (f64; not written for held neurons).
  ;; flags: 1 hard reset, 2 hold (LIFRef), 4 x per neuron (else xc), 8 input 0 present, 16 it is COBA, 32 input 1
  ;; present, 64 it is COBA.
  (func (export "pass_a") (param $n i32) (param $flags i32) (param $pV i32) (param $pTh i32) (param $pRs i32) (param $pR i32)
        (param $pTau i32) (param $pVr i32) (param $pTref i32) (param $pLst i32) (param $pXs i32) (param $pG0 i32) (param $pG1 i32)
        (param $tf f64) (param $dt f64) (param $xc f64) (param $c0 f64) (param $c1 f64)
        (param $pLk i32) (param $pHeld i32) (param $pF i32) (param $pZ i32)
    (local $k i32) (local $o i32) (local $o8 i32) (local $v f32) (local $th f32) (local $rs f32) (local $s f32) (local $h f32)
    (local $lk f32) (local $I f64) (local $J f64) (local $g f64) (local $R f64) (local $tau f64)
    (block $done (loop $L
      (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $o (i32.shl (local.get $k) (i32.const 2)))
      (local.set $o8 (i32.shl (local.get $k) (i32.const 3)))
      (local.set $v (f32.load (i32.add (local.get $pV) (local.get $o))))
      (local.set $th (f32.load (i32.add (local.get $pTh) (local.get $o))))
      (local.set $rs (f32.load (i32.add (local.get $pRs) (local.get $o))))
      (local.set $s (select (f32.const 1) (f32.const 0)
        (f32.ge (f32.div (f32.sub (local.get $v) (local.get $th)) (f32.sub (local.get $th) (local.get $rs))) (f32.const 0))))
      (local.set $h (select (f32.sub (local.get $v) (local.get $rs)) (f32.sub (local.get $th) (local.get $rs))
        (i32.and (local.get $flags) (i32.const 1))))
      (local.set $lk (f32.sub (local.get $v) (f32.mul (local.get $h) (local.get $s))))
      (f32.store (i32.add (local.get $pLk) (local.get $o)) (local.get $lk))
      (if (i32.and
            (i32.ne (i32.and (local.get $flags) (i32.const 2)) (i32.const 0))
            (f32.lt (f32.demote_f64 (f64.sub (local.get $tf) (f64.promote_f32 (f32.load (i32.add (local.get $pLst) (local.get $o))))))
                    (f32.load (i32.add (local.get $pTref) (local.get $o)))))
        (then (i32.store8 (i32.add (local.get $pHeld) (local.get $k)) (i32.const 1)))
        (else
          (i32.store8 (i32.add (local.get $pHeld) (local.get $k)) (i32.const 0))
          (local.set $I (select (f64.promote_f32 (f32.load (i32.add (local.get $pXs) (local.get $o)))) (local.get $xc)
            (i32.and (local.get $flags) (i32.const 4))))
          (local.set $J (f64.const 0))
          (if (i32.and (local.get $flags) (i32.const 8)) (then
            (local.set $g (f64.promote_f32 (f32.load (i32.add (local.get $pG0) (local.get $o)))))
            (if (i32.and (local.get $flags) (i32.const 16))
              (then
                (local.set $I (f64.add (local.get $I) (f64.mul (local.get $g) (f64.sub (local.get $c0) (f64.promote_f32 (local.get $lk))))))
                (local.set $J (f64.sub (local.get $J) (local.get $g))))
              (else (local.set $I (f64.add (local.get $I) (f64.mul (local.get $g) (local.get $c0))))))))
          (if (i32.and (local.get $flags) (i32.const 32)) (then
            (local.set $g (f64.promote_f32 (f32.load (i32.add (local.get $pG1) (local.get $o)))))
            (if (i32.and (local.get $flags) (i32.const 64))
              (then
                (local.set $I (f64.add (local.get $I) (f64.mul (local.get $g) (f64.sub (local.get $c1) (f64.promote_f32 (local.get $lk))))))
                (local.set $J (f64.sub (local.get $J) (local.get $g))))
              (else (local.set $I (f64.add (local.get $I) (f64.mul (local.get $g) (local.get $c1))))))))
          (local.set $R (f64.promote_f32 (f32.load (i32.add (local.get $pR) (local.get $o)))))
          (local.set $tau (f64.promote_f32 (f32.load (i32.add (local.get $pTau) (local.get $o)))))
          (f64.store (i32.add (local.get $pF) (local.get $o8))
            (f64.div (f64.add (f64.add (f64.neg (f64.promote_f32 (local.get $lk))) (f64.promote_f32 (f32.load (i32.add (local.get $pVr) (local.get $o)))))
                              (f64.mul (local.get $R) (local.get $I)))
                     (local.get $tau)))
          (f64.store (i32.add (local.get $pZ) (local.get $o8))
            (f64.mul (local.get $dt) (f64.div (f64.add (f64.const -1) (f64.mul (local.get $R) (local.get $J))) (local.get $tau))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $L))))

  ;; Pass C, per neuron k, with E = exprel(z) from JS: V = held ? lk : f32(lk + (dt·E)·F); LIFRef: T = V >= V_th ? t : T;
  ;; spike = ((V − V_th) / (V_th − V_reset) >= 0) (float32), written as 1 / 0 into SP.
  (func (export "pass_c") (param $n i32) (param $flags i32) (param $pTh i32) (param $pRs i32) (param $pLst i32) (param $tf f64) (param $dt f64)
        (param $pLk i32) (param $pHeld i32) (param $pF i32) (param $pE i32) (param $pOutV i32) (param $pOutT i32) (param $pSp i32)
    (local $k i32) (local $o i32) (local $o8 i32) (local $v f32) (local $th f32)
    (block $done (loop $L
      (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $o (i32.shl (local.get $k) (i32.const 2)))
      (local.set $o8 (i32.shl (local.get $k) (i32.const 3)))
      (local.set $th (f32.load (i32.add (local.get $pTh) (local.get $o))))
      (if (i32.load8_u (i32.add (local.get $pHeld) (local.get $k)))
        (then (local.set $v (f32.load (i32.add (local.get $pLk) (local.get $o)))))
        (else (local.set $v (f32.demote_f64 (f64.add (f64.promote_f32 (f32.load (i32.add (local.get $pLk) (local.get $o))))
          (f64.mul (f64.mul (local.get $dt) (f64.load (i32.add (local.get $pE) (local.get $o8)))) (f64.load (i32.add (local.get $pF) (local.get $o8)))))))))
      (f32.store (i32.add (local.get $pOutV) (local.get $o)) (local.get $v))
      (if (i32.and (local.get $flags) (i32.const 2))
        (then (f32.store (i32.add (local.get $pOutT) (local.get $o))
          (select (f32.demote_f64 (local.get $tf)) (f32.load (i32.add (local.get $pLst) (local.get $o))) (f32.ge (local.get $v) (local.get $th))))))
      (f32.store (i32.add (local.get $pSp) (local.get $o))
        (select (f32.const 1) (f32.const 0)
          (f32.ge (f32.div (f32.sub (local.get $v) (local.get $th)) (f32.sub (local.get $th) (f32.load (i32.add (local.get $pRs) (local.get $o)))))
                  (f32.const 0))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $L))))

  ;; Expon's decay with one tau (src/brainstate/nn/_synapse.ts exponDecay, no current inputs): o = g + c·((−g + 0)/tau)
  ;; in float64, out = f32(o), or with a delta input d (has_d) out = f32(f32(o) + d)
  (func (export "expon_decay") (param $n i32) (param $pG i32) (param $pD i32) (param $has_d i32) (param $tau f64) (param $c f64) (param $pOut i32)
    (local $k i32) (local $o i32) (local $g f64) (local $r f32)
    (block $done (loop $L
      (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $o (i32.shl (local.get $k) (i32.const 2)))
      (local.set $g (f64.promote_f32 (f32.load (i32.add (local.get $pG) (local.get $o)))))
      (local.set $r (f32.demote_f64 (f64.add (local.get $g)
        (f64.mul (local.get $c) (f64.div (f64.add (f64.neg (local.get $g)) (f64.const 0)) (local.get $tau))))))
      (if (local.get $has_d) (then (local.set $r (f32.add (local.get $r) (f32.load (i32.add (local.get $pD) (local.get $o)))))))
      (f32.store (i32.add (local.get $pOut) (local.get $o)) (local.get $r))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $L))))

  ;; The Heaviside step of spk_fun's argument (Neuron._spikeInput): out = ((v − V_th) / (V_th − V_reset) >= 0), float32,
  ;; four at a time (n is padded to a multiple of 4 by the caller's arrays)
  (func (export "spike_of") (param $n i32) (param $pV i32) (param $pTh i32) (param $pRs i32) (param $pOut i32)
    (local $o i32) (local $end i32) (local $th v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $L
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $th (v128.load (i32.add (local.get $pTh) (local.get $o))))
      (v128.store (i32.add (local.get $pOut) (local.get $o))
        (v128.and (f32x4.splat (f32.const 1))
          (f32x4.ge (f32x4.div (f32x4.sub (v128.load (i32.add (local.get $pV) (local.get $o))) (local.get $th))
                               (f32x4.sub (local.get $th) (v128.load (i32.add (local.get $pRs) (local.get $o)))))
                    (f32x4.splat (f32.const 0)))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $L))))
)
