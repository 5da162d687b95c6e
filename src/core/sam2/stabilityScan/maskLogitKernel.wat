;; The per-logit and per-output loops of the automatic-mask stability scan (kernelScan.ts) as a
;; WebAssembly kernel: `classify` four logits per SIMD instruction, `interpolateSpan` the outputs
;; that must be interpolated (two per step in float64x2 lanes where the columns resample by tap
;; pairs), in the same float64 operations and order as the reference scan (referenceScan.ts), and
;; `stabilityCounts` the fast path's low-res counts, four logits per instruction.
;; `npm run build:wasm` turns this file into maskLogitKernelWasm.ts; a unit test checks that the
;; two agree.
;;
;; Every function takes one argument: the address of a parameter block in linear memory, which
;; maskLogitKernel.ts lays out and fills (PARAMETERS there). Byte offsets, i32 unless marked:
;;   0 plane        4 size (S)      8 above        12 below        16 rowActive    20 rowValues
;;  24 rowOffsets  28 rowIndices   32 rowWeights   36 columnOffsets 40 columnIndices
;;  44 columnWeights 48 pairedColumns (1: the columns resample by the pairs below)
;;  52 first       56 second       60 firstWeight  64 secondWeight 68 groupEnds
;;  72 toggles     76 counts
;;  80 y           84 c0           88 c1           92 x0           96 x1          100 inside
;; 104 lowest f32 108 highest f32 112 stableF32 f32 116 looseF32 f32
;; 120 loose f64  128 stable f64  136 mask f64
;; The first block (0 to 76) is set once per kernel; the rest per call.
(module
  (memory (export "memory") 0)

  ;; classify: the S × S float32 plane at `plane` (S a multiple of 4) into two bitsets of
  ;; S rows × ceil(S / 32) words (`above`, `below`) and one activity byte per row (`rowActive`).
  ;; Per row and 32-column word: bit i of `above` is set when logit i > highest, bit i of `below`
  ;; when logit i < lowest (float32 thresholds, rounded by the caller so that these comparisons
  ;; equal the float64 ones). active[row] = 1 when the row holds a logit that is not below.
  ;; Returns bit 0: some row is active; bit 1: the plane holds a NaN or an infinity.
  (func (export "classify") (param $params i32) (result i32)
    (local $plane i32) (local $size i32) (local $above i32) (local $below i32) (local $active i32)
    (local $lowest f32) (local $highest f32)
    (local $row i32) (local $word i32) (local $wordsPerRow i32) (local $count i32) (local $bit i32)
    (local $values v128) (local $lows v128) (local $highs v128) (local $nonFinite v128)
    (local $aboveBits i32) (local $belowBits i32) (local $notBelow i32) (local $anyActive i32)
    (local.set $plane (i32.load offset=0 (local.get $params)))
    (local.set $size (i32.load offset=4 (local.get $params)))
    (local.set $above (i32.load offset=8 (local.get $params)))
    (local.set $below (i32.load offset=12 (local.get $params)))
    (local.set $active (i32.load offset=16 (local.get $params)))
    (local.set $lowest (f32.load offset=104 (local.get $params)))
    (local.set $highest (f32.load offset=108 (local.get $params)))
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

  ;; interpolateSpan: output columns [x0, x1) of output row y; low-res columns [c0, c1] cover
  ;; their taps. Row pass into `rowValues` (float64): per column, the plane rows of row y's taps
  ;; (rowOffsets/rowIndices/rowWeights, a CSR plan) weighted and summed in tap order. Then per
  ;; output the column pass over the row values, by pairs (pairedColumns: firstWeight[x]·
  ;; rowValues[first[x]] + secondWeight[x]·rowValues[second[x]]) or by the CSR column plan. Each
  ;; output is counted against the loose and stable thresholds (into counts[0] and counts[1]) and
  ;; binarised at `mask`: every x where the mask state differs from the one before it (starting
  ;; from `inside`) is appended to `toggles`. groupEnds[x] is the first output after x that reads
  ;; another pair of row values. Returns the number of toggles.
  ;; A sum starts from its first product where the reference starts from 0; the two differ at
  ;; most in the sign of a zero, which no comparison sees.
  (func (export "interpolateSpan") (param $params i32) (result i32)
    (local $plane i32) (local $size i32) (local $rowValues i32) (local $y i32)
    (local $c0 i32) (local $c1 i32) (local $x0 i32) (local $x1 i32) (local $inside i32)
    (local $loose f64) (local $stable f64) (local $mask f64)
    (local $toggles i32) (local $counts i32)
    (local $first i32) (local $second i32) (local $firstWeight i32) (local $secondWeight i32)
    (local $groupEnds i32) (local $columnOffsets i32) (local $columnIndices i32)
    (local $columnWeights i32)
    (local $tap i32) (local $firstTap i32) (local $tapEnd i32)
    (local $rowAt i32) (local $weight f64)
    (local $valueAt i32) (local $product f64)
    (local $c i32) (local $x i32) (local $value f64) (local $above i32) (local $toggleCount i32)
    (local $looseCount i32) (local $stableCount i32) (local $at i32) (local $aboveBits i32)
    (local $values v128) (local $looses v128) (local $stables v128) (local $masks v128)
    (local $looseCounts v128) (local $stableCounts v128) (local $firsts v128) (local $seconds v128)
    (local $groupEnd i32)
    (local.set $plane (i32.load offset=0 (local.get $params)))
    (local.set $size (i32.load offset=4 (local.get $params)))
    (local.set $rowValues (i32.load offset=20 (local.get $params)))
    (local.set $columnOffsets (i32.load offset=36 (local.get $params)))
    (local.set $columnIndices (i32.load offset=40 (local.get $params)))
    (local.set $columnWeights (i32.load offset=44 (local.get $params)))
    (local.set $first (i32.load offset=52 (local.get $params)))
    (local.set $second (i32.load offset=56 (local.get $params)))
    (local.set $firstWeight (i32.load offset=60 (local.get $params)))
    (local.set $secondWeight (i32.load offset=64 (local.get $params)))
    (local.set $groupEnds (i32.load offset=68 (local.get $params)))
    (local.set $toggles (i32.load offset=72 (local.get $params)))
    (local.set $counts (i32.load offset=76 (local.get $params)))
    (local.set $y (i32.load offset=80 (local.get $params)))
    (local.set $c0 (i32.load offset=84 (local.get $params)))
    (local.set $c1 (i32.load offset=88 (local.get $params)))
    (local.set $x0 (i32.load offset=92 (local.get $params)))
    (local.set $x1 (i32.load offset=96 (local.get $params)))
    (local.set $inside (i32.load offset=100 (local.get $params)))
    (local.set $loose (f64.load offset=120 (local.get $params)))
    (local.set $stable (f64.load offset=128 (local.get $params)))
    (local.set $mask (f64.load offset=136 (local.get $params)))
    ;; Row pass, tap by tap over the span's columns: the first tap sets each value, the others add.
    (local.set $at (i32.add (i32.load offset=24 (local.get $params))
      (i32.shl (local.get $y) (i32.const 2))))
    (local.set $firstTap (i32.load (local.get $at)))
    (local.set $tapEnd (i32.load offset=4 (local.get $at)))
    (local.set $tap (local.get $firstTap))
    (block $tapsDone
      (loop $taps
        (br_if $tapsDone (i32.ge_s (local.get $tap) (local.get $tapEnd)))
        (local.set $rowAt (i32.add (local.get $plane) (i32.shl
          (i32.mul (local.get $size) (i32.load (i32.add (i32.load offset=28 (local.get $params))
            (i32.shl (local.get $tap) (i32.const 2)))))
          (i32.const 2))))
        (local.set $weight (f64.load (i32.add (i32.load offset=32 (local.get $params))
          (i32.shl (local.get $tap) (i32.const 3)))))
        (local.set $c (local.get $c0))
        (block $rowDone
          (loop $row
            (br_if $rowDone (i32.gt_s (local.get $c) (local.get $c1)))
            (local.set $valueAt (i32.add (local.get $rowValues)
              (i32.shl (local.get $c) (i32.const 3))))
            (local.set $product (f64.mul (local.get $weight) (f64.promote_f32
              (f32.load (i32.add (local.get $rowAt) (i32.shl (local.get $c) (i32.const 2)))))))
            (f64.store (local.get $valueAt)
              (select (local.get $product)
                (f64.add (f64.load (local.get $valueAt)) (local.get $product))
                (i32.eq (local.get $tap) (local.get $firstTap))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $row)))
        (local.set $tap (i32.add (local.get $tap) (i32.const 1)))
        (br $taps)))
    (local.set $x (local.get $x0))
    (if (i32.load offset=48 (local.get $params))
      (then
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
                (local.set $aboveBits
                  (i64x2.bitmask (f64x2.gt (local.get $values) (local.get $masks))))
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
            (br $groups))))
      (else
        ;; Column pass by the CSR plan, one output at a time (columns shrunk by area averaging).
        (block $outputsDone
          (loop $outputs
            (br_if $outputsDone (i32.ge_s (local.get $x) (local.get $x1)))
            (local.set $at (i32.add (local.get $columnOffsets)
              (i32.shl (local.get $x) (i32.const 2))))
            (local.set $tap (i32.load (local.get $at)))
            (local.set $tapEnd (i32.load offset=4 (local.get $at)))
            (local.set $value (f64.mul
              (f64.load (i32.add (local.get $columnWeights)
                (i32.shl (local.get $tap) (i32.const 3))))
              (f64.load (i32.add (local.get $rowValues) (i32.shl
                (i32.load (i32.add (local.get $columnIndices)
                  (i32.shl (local.get $tap) (i32.const 2))))
                (i32.const 3))))))
            (local.set $tap (i32.add (local.get $tap) (i32.const 1)))
            (block $columnTapsDone
              (loop $columnTaps
                (br_if $columnTapsDone (i32.ge_s (local.get $tap) (local.get $tapEnd)))
                (local.set $value (f64.add (local.get $value) (f64.mul
                  (f64.load (i32.add (local.get $columnWeights)
                    (i32.shl (local.get $tap) (i32.const 3))))
                  (f64.load (i32.add (local.get $rowValues) (i32.shl
                    (i32.load (i32.add (local.get $columnIndices)
                      (i32.shl (local.get $tap) (i32.const 2))))
                    (i32.const 3)))))))
                (local.set $tap (i32.add (local.get $tap) (i32.const 1)))
                (br $columnTaps)))
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
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $outputs)))))
    (local.set $looseCount (i32.add (local.get $looseCount) (i32.add
      (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $looseCounts)))
      (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $looseCounts))))))
    (local.set $stableCount (i32.add (local.get $stableCount) (i32.add
      (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $stableCounts)))
      (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $stableCounts))))))
    (i32.store (local.get $counts) (local.get $looseCount))
    (i32.store offset=4 (local.get $counts) (local.get $stableCount))
    (local.get $toggleCount))

  ;; stabilityCounts: the fast path's counts over the plane's S × S logits (a multiple of 4):
  ;; counts[0] = count(logit > looseF32), counts[1] = count(logit > stableF32) (float32
  ;; thresholds, rounded by the caller). Returns 1 when the plane holds a NaN or an infinity,
  ;; else 0.
  (func (export "stabilityCounts") (param $params i32) (result i32)
    (local $plane i32) (local $count i32) (local $stable f32) (local $loose f32) (local $counts i32)
    (local $end i32) (local $values v128) (local $stables v128) (local $looses v128)
    (local $stableCounts v128) (local $looseCounts v128) (local $nonFinite v128)
    (local.set $plane (i32.load offset=0 (local.get $params)))
    (local.set $count (i32.mul (i32.load offset=4 (local.get $params))
      (i32.load offset=4 (local.get $params))))
    (local.set $stable (f32.load offset=112 (local.get $params)))
    (local.set $loose (f32.load offset=116 (local.get $params)))
    (local.set $counts (i32.load offset=76 (local.get $params)))
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
