;; The per-logit and per-output loops of the automatic-mask scan (MaskLogitScanner) as a
;; WebAssembly kernel: `classify` four logits per SIMD instruction, `interpolateSpan` the outputs
;; that must be interpolated (two per step in float64x2 lanes), in the same float64 operations and
;; order as the TypeScript loops, and `stabilityCounts` the fast path's low-res counts, four logits
;; per instruction.
;; `npm run build:wasm` turns this file into maskLogitKernelWasm.ts; a unit test checks that the
;; two agree. The memory layout is set by maskLogitKernel.ts, which passes every offset in.
(module
  (memory (export "memory") 0)

  ;; classify: the S × S float32 plane at `plane` (S a multiple of 4) into two bitsets of
  ;; S rows × ceil(S / 32) words and one activity byte per row.
  ;; Per row and 32-column word: bit i of `above` is set when logit i > highest, bit i of `below`
  ;; when logit i < lowest (float32 thresholds, rounded by the caller so that these comparisons
  ;; equal the float64 ones). active[row] = 1 when the row holds a logit that is not below.
  ;; Returns bit 0: some row is active; bit 1: the plane holds a NaN or an infinity.
  (func (export "classify")
    (param $plane i32) (param $size i32) (param $above i32) (param $below i32) (param $active i32)
    (param $lowest f32) (param $highest f32) (result i32)
    (local $row i32) (local $word i32) (local $wordsPerRow i32) (local $count i32) (local $bit i32)
    (local $values v128) (local $lows v128) (local $highs v128) (local $nonFinite v128)
    (local $aboveBits i32) (local $belowBits i32) (local $notBelow i32) (local $anyActive i32)
    (local.set $wordsPerRow (i32.shr_u (i32.add (local.get $size) (i32.const 31)) (i32.const 5)))
    (local.set $lows (f32x4.splat (local.get $lowest)))
    (local.set $highs (f32x4.splat (local.get $highest)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $size)))
        (local.set $notBelow (i32.const 0))
        (local.set $word (i32.const 0))
        (block $wordsDone
          (loop $words
            (br_if $wordsDone (i32.ge_u (local.get $word) (local.get $wordsPerRow)))
            ;; count = min(32, S − 32 · word)
            (local.set $count (i32.sub (local.get $size) (i32.shl (local.get $word) (i32.const 5))))
            (if (i32.gt_u (local.get $count) (i32.const 32))
              (then (local.set $count (i32.const 32))))
            (local.set $aboveBits (i32.const 0))
            (local.set $belowBits (i32.const 0))
            (local.set $bit (i32.const 0))
            (block $groupsDone
              (loop $groups
                (br_if $groupsDone (i32.ge_u (local.get $bit) (local.get $count)))
                (local.set $values (v128.load (local.get $plane)))
                ;; v − v is +0 for a finite v and NaN otherwise; OR keeps any NaN's exponent bits.
                (local.set $nonFinite (v128.or (local.get $nonFinite)
                  (f32x4.sub (local.get $values) (local.get $values))))
                (local.set $aboveBits (i32.or (local.get $aboveBits)
                  (i32.shl (i32x4.bitmask (f32x4.gt (local.get $values) (local.get $highs)))
                    (local.get $bit))))
                (local.set $belowBits (i32.or (local.get $belowBits)
                  (i32.shl (i32x4.bitmask (f32x4.lt (local.get $values) (local.get $lows)))
                    (local.get $bit))))
                (local.set $plane (i32.add (local.get $plane) (i32.const 16)))
                (local.set $bit (i32.add (local.get $bit) (i32.const 4)))
                (br $groups)))
            (i32.store (local.get $above) (local.get $aboveBits))
            (i32.store (local.get $below) (local.get $belowBits))
            (local.set $above (i32.add (local.get $above) (i32.const 4)))
            (local.set $below (i32.add (local.get $below) (i32.const 4)))
            ;; Columns past the plane's edge (S not a multiple of 32) do not count.
            (local.set $notBelow (i32.or (local.get $notBelow)
              (i32.and (i32.xor (local.get $belowBits) (i32.const -1))
                (select (i32.const -1)
                  (i32.sub (i32.shl (i32.const 1) (local.get $count)) (i32.const 1))
                  (i32.eq (local.get $count) (i32.const 32))))))
            (local.set $word (i32.add (local.get $word) (i32.const 1)))
            (br $words)))
        (i32.store8 (i32.add (local.get $active) (local.get $row))
          (i32.ne (local.get $notBelow) (i32.const 0)))
        (local.set $anyActive (i32.or (local.get $anyActive)
          (i32.ne (local.get $notBelow) (i32.const 0))))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows)))
    (i32.or (local.get $anyActive)
      (i32.shl
        (v128.any_true (v128.and (local.get $nonFinite)
          (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)))
        (i32.const 1))))

  ;; interpolateSpan: output columns [x0, x1) of one output row, which reads plane rows
  ;; `firstRow` and `secondRow` (element offsets) with their weights; low-res columns [c0, c1]
  ;; cover those outputs' taps. Row pass into `rowValues` (float64), then per output
  ;; firstWeight[x]·rowValues[first[x]] + secondWeight[x]·rowValues[second[x]], counted against
  ;; the loose and stable thresholds (into counts[0] and counts[1]) and binarised at `mask`:
  ;; every x where the mask state differs from the one before it (starting from `inside`) is
  ;; appended to `toggles`. groupEnds[x] is the first output after x that reads another pair of
  ;; row values. Returns the number of toggles.
  (func (export "interpolateSpan")
    (param $plane i32) (param $firstRow i32) (param $secondRow i32)
    (param $firstRowWeight f64) (param $secondRowWeight f64) (param $c0 i32) (param $c1 i32)
    (param $x0 i32) (param $x1 i32) (param $loose f64) (param $stable f64) (param $mask f64)
    (param $inside i32)
    (param $rowValues i32) (param $first i32) (param $second i32) (param $firstWeight i32)
    (param $secondWeight i32) (param $groupEnds i32) (param $toggles i32) (param $counts i32)
    (result i32)
    (local $c i32) (local $x i32) (local $value f64) (local $above i32) (local $toggleCount i32)
    (local $looseCount i32) (local $stableCount i32) (local $at i32) (local $aboveBits i32)
    (local $values v128) (local $looses v128) (local $stables v128) (local $masks v128)
    (local $looseCounts v128) (local $stableCounts v128) (local $firsts v128) (local $seconds v128)
    (local $groupEnd i32)
    (local.set $c (local.get $c0))
    (block $rowDone
      (loop $row
        (br_if $rowDone (i32.gt_s (local.get $c) (local.get $c1)))
        (f64.store (i32.add (local.get $rowValues) (i32.shl (local.get $c) (i32.const 3)))
          (f64.add
            (f64.mul (local.get $firstRowWeight)
              (f64.promote_f32 (f32.load (i32.add (local.get $plane)
                (i32.shl (i32.add (local.get $firstRow) (local.get $c)) (i32.const 2))))))
            (f64.mul (local.get $secondRowWeight)
              (f64.promote_f32 (f32.load (i32.add (local.get $plane)
                (i32.shl (i32.add (local.get $secondRow) (local.get $c)) (i32.const 2))))))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $row)))
    (local.set $x (local.get $x0))
    (local.set $looses (f64x2.splat (local.get $loose)))
    (local.set $stables (f64x2.splat (local.get $stable)))
    (local.set $masks (f64x2.splat (local.get $mask)))
    ;; Outputs come in groups that read the same two row values (about W / S outputs each when
    ;; the columns are upsampled): those are loaded once per group, and the group's outputs go
    ;; two per step in float64x2 lanes, each lane the scalar operations.
    (block $groupsDone
      (loop $groups
        (br_if $groupsDone (i32.ge_s (local.get $x) (local.get $x1)))
        (local.set $groupEnd
          (i32.load (i32.add (local.get $groupEnds) (i32.shl (local.get $x) (i32.const 2)))))
        (if (i32.gt_s (local.get $groupEnd) (local.get $x1))
          (then (local.set $groupEnd (local.get $x1))))
        (local.set $firsts (f64x2.splat (f64.load (i32.add (local.get $rowValues) (i32.shl
          (i32.load (i32.add (local.get $first) (i32.shl (local.get $x) (i32.const 2))))
          (i32.const 3))))))
        (local.set $seconds (f64x2.splat (f64.load (i32.add (local.get $rowValues) (i32.shl
          (i32.load (i32.add (local.get $second) (i32.shl (local.get $x) (i32.const 2))))
          (i32.const 3))))))
        (block $pairsDone
          (loop $pairs
            (br_if $pairsDone
              (i32.gt_s (i32.add (local.get $x) (i32.const 2)) (local.get $groupEnd)))
            (local.set $at (i32.shl (local.get $x) (i32.const 3)))
            (local.set $values
              (f64x2.add
                (f64x2.mul (v128.load (i32.add (local.get $firstWeight) (local.get $at)))
                  (local.get $firsts))
                (f64x2.mul (v128.load (i32.add (local.get $secondWeight) (local.get $at)))
                  (local.get $seconds))))
            ;; A true comparison lane is −1, so subtracting it counts one.
            (local.set $looseCounts (i64x2.sub (local.get $looseCounts)
              (f64x2.gt (local.get $values) (local.get $looses))))
            (local.set $stableCounts (i64x2.sub (local.get $stableCounts)
              (f64x2.gt (local.get $values) (local.get $stables))))
            (local.set $aboveBits (i64x2.bitmask (f64x2.gt (local.get $values) (local.get $masks))))
            ;; Both outputs keep the mask state: nothing to record.
            (if (i32.ne (local.get $aboveBits) (i32.mul (local.get $inside) (i32.const 3)))
              (then
                (local.set $above (i32.and (local.get $aboveBits) (i32.const 1)))
                (if (i32.ne (local.get $above) (local.get $inside))
                  (then
                    (i32.store (i32.add (local.get $toggles)
                      (i32.shl (local.get $toggleCount) (i32.const 2))) (local.get $x))
                    (local.set $toggleCount (i32.add (local.get $toggleCount) (i32.const 1)))
                    (local.set $inside (local.get $above))))
                (local.set $above (i32.shr_u (local.get $aboveBits) (i32.const 1)))
                (if (i32.ne (local.get $above) (local.get $inside))
                  (then
                    (i32.store (i32.add (local.get $toggles)
                      (i32.shl (local.get $toggleCount) (i32.const 2)))
                      (i32.add (local.get $x) (i32.const 1)))
                    (local.set $toggleCount (i32.add (local.get $toggleCount) (i32.const 1)))
                    (local.set $inside (local.get $above))))))
            (local.set $x (i32.add (local.get $x) (i32.const 2)))
            (br $pairs)))
        ;; A group of odd length ends with one output on its own.
        (if (i32.lt_s (local.get $x) (local.get $groupEnd))
          (then
            (local.set $at (i32.shl (local.get $x) (i32.const 3)))
            (local.set $value
              (f64.add
                (f64.mul (f64.load (i32.add (local.get $firstWeight) (local.get $at)))
                  (f64x2.extract_lane 0 (local.get $firsts)))
                (f64.mul (f64.load (i32.add (local.get $secondWeight) (local.get $at)))
                  (f64x2.extract_lane 0 (local.get $seconds)))))
            (local.set $looseCount (i32.add (local.get $looseCount)
              (f64.gt (local.get $value) (local.get $loose))))
            (local.set $stableCount (i32.add (local.get $stableCount)
              (f64.gt (local.get $value) (local.get $stable))))
            (local.set $above (f64.gt (local.get $value) (local.get $mask)))
            (if (i32.ne (local.get $above) (local.get $inside))
              (then
                (i32.store (i32.add (local.get $toggles)
                  (i32.shl (local.get $toggleCount) (i32.const 2))) (local.get $x))
                (local.set $toggleCount (i32.add (local.get $toggleCount) (i32.const 1)))
                (local.set $inside (local.get $above))))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))))
        (br $groups)))
    (local.set $looseCount (i32.add (local.get $looseCount) (i32.add
      (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $looseCounts)))
      (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $looseCounts))))))
    (local.set $stableCount (i32.add (local.get $stableCount) (i32.add
      (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $stableCounts)))
      (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $stableCounts))))))
    (i32.store (local.get $counts) (local.get $looseCount))
    (i32.store offset=4 (local.get $counts) (local.get $stableCount))
    (local.get $toggleCount))

  ;; stabilityCounts: the fast path's counts over the plane's `count` logits (a multiple of 4):
  ;; counts[0] = count(logit > loose), counts[1] = count(logit > stable) (float32 thresholds,
  ;; rounded by the caller). Returns 1 when the plane holds a NaN or an infinity, else 0.
  (func (export "stabilityCounts")
    (param $plane i32) (param $count i32) (param $stable f32) (param $loose f32) (param $counts i32)
    (result i32)
    (local $end i32) (local $values v128) (local $stables v128) (local $looses v128)
    (local $stableCounts v128) (local $looseCounts v128) (local $nonFinite v128)
    (local.set $end (i32.add (local.get $plane) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $stables (f32x4.splat (local.get $stable)))
    (local.set $looses (f32x4.splat (local.get $loose)))
    (block $done
      (loop $groups
        (br_if $done (i32.ge_u (local.get $plane) (local.get $end)))
        (local.set $values (v128.load (local.get $plane)))
        (local.set $nonFinite (v128.or (local.get $nonFinite)
          (f32x4.sub (local.get $values) (local.get $values))))
        ;; A true comparison lane is −1, so subtracting it counts one.
        (local.set $stableCounts (i32x4.sub (local.get $stableCounts)
          (f32x4.gt (local.get $values) (local.get $stables))))
        (local.set $looseCounts (i32x4.sub (local.get $looseCounts)
          (f32x4.gt (local.get $values) (local.get $looses))))
        (local.set $plane (i32.add (local.get $plane) (i32.const 16)))
        (br $groups)))
    (i32.store offset=4 (local.get $counts) (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $stableCounts))
        (i32x4.extract_lane 1 (local.get $stableCounts)))
      (i32.add (i32x4.extract_lane 2 (local.get $stableCounts))
        (i32x4.extract_lane 3 (local.get $stableCounts)))))
    (i32.store (local.get $counts) (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $looseCounts))
        (i32x4.extract_lane 1 (local.get $looseCounts)))
      (i32.add (i32x4.extract_lane 2 (local.get $looseCounts))
        (i32x4.extract_lane 3 (local.get $looseCounts)))))
    (v128.any_true (v128.and (local.get $nonFinite)
      (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000))))
)
