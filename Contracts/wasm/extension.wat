;; An ink!-convention Wasm contract that passes a call straight to a chain extension:
;; `call(func_id: u32, input: Vec<u8>) -> (u32, Vec<u8>)` runs pallet-contracts'
;; `call_chain_extension(func_id, input)` and answers the return code and the output bytes.
;; func_id is (extension id << 16) | function id: 0 is Phala's pink extension, the others belong to
;; capability modules (Plugins/json is 1, Plugins/ethereum is 2). extension.json is its metadata.
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_return" (func $return (param i32 i32 i32)))
  (import "seal0" "call_chain_extension" (func $extension (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 16 16))

  ;; Memory: 0 input length, 8 output length, [64, 262208) input, [400016, 900016) extension
  ;; output, with the answer's header (Ok tag, return code, compact length) written just before it.

  (func (export "deploy")
    ;; new() answers Ok(())
    (i32.store8 (i32.const 32) (i32.const 0))
    (call $return (i32.const 0) (i32.const 32) (i32.const 1)))

  (func (export "call")
    (local $first i32) (local $length i32) (local $data i32) (local $code i32) (local $out i32)
    (local $header i32) (local $start i32)
    (i32.store (i32.const 0) (i32.const 262144))
    (call $input (i32.const 64) (i32.const 0))
    ;; [64, 68) selector, [68, 72) func_id, then input: Vec<u8> (compact length, bytes)
    (if (i32.lt_u (i32.load (i32.const 0)) (i32.const 9)) (then unreachable))
    (local.set $first (i32.load8_u (i32.const 72)))
    (block $decoded
      (if (i32.eqz (i32.and (local.get $first) (i32.const 3)))
        (then
          (local.set $length (i32.shr_u (local.get $first) (i32.const 2)))
          (local.set $data (i32.const 73))
          (br $decoded)))
      (if (i32.eq (i32.and (local.get $first) (i32.const 3)) (i32.const 1))
        (then
          (local.set $length (i32.shr_u (i32.load16_u (i32.const 72)) (i32.const 2)))
          (local.set $data (i32.const 74))
          (br $decoded)))
      (if (i32.eq (i32.and (local.get $first) (i32.const 3)) (i32.const 2))
        (then
          (local.set $length (i32.shr_u (i32.load (i32.const 72)) (i32.const 2)))
          (local.set $data (i32.const 76))
          (br $decoded)))
      unreachable)
    (if (i32.gt_u (i32.add (local.get $data) (local.get $length)) (i32.add (i32.const 64) (i32.load (i32.const 0))))
      (then unreachable))

    (i32.store (i32.const 8) (i32.const 500000))
    (local.set $code
      (call $extension (i32.load (i32.const 68)) (local.get $data) (local.get $length) (i32.const 400016) (i32.const 8)))
    (local.set $out (i32.load (i32.const 8)))

    ;; The compact length of the output, written right before it.
    (if (i32.lt_u (local.get $out) (i32.const 64))
      (then
        (local.set $header (i32.const 1))
        (i32.store8 (i32.const 400015) (i32.shl (local.get $out) (i32.const 2))))
      (else
        (if (i32.lt_u (local.get $out) (i32.const 16384))
          (then
            (local.set $header (i32.const 2))
            (i32.store16 (i32.const 400014) (i32.or (i32.shl (local.get $out) (i32.const 2)) (i32.const 1))))
          (else
            (local.set $header (i32.const 4))
            (i32.store (i32.const 400012) (i32.or (i32.shl (local.get $out) (i32.const 2)) (i32.const 2)))))))
    ;; Before it, the return code (u32), and before that the Ok tag of ink!'s MessageResult.
    (local.set $start (i32.sub (i32.const 400016) (i32.add (local.get $header) (i32.const 5))))
    (i32.store8 (local.get $start) (i32.const 0))
    (i32.store (i32.add (local.get $start) (i32.const 1)) (local.get $code))
    (call $return (i32.const 0) (local.get $start) (i32.add (local.get $out) (i32.add (local.get $header) (i32.const 5)))))
)
