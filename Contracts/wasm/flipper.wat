;; A flipper written directly in WebAssembly text against the pallet-contracts host API, with the
;; ink! 4 calling convention (selectors from BLAKE2b-256 of the name, storage root key 0x00000000,
;; messages answer Result<T, LangError>). flipper.json beside it is its ink! metadata.
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_return" (func $return (param i32 i32 i32)))
  (import "seal1" "get_storage" (func $get_storage (param i32 i32 i32 i32) (result i32)))
  (import "seal2" "set_storage" (func $set_storage (param i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1))

  ;; Memory: [0, 4) storage key (zeros), 16 input length, [32, 96) input, 128 value length,
  ;; 132 value, [200, 202) output.

  (func $read_input (result i32)
    (i32.store (i32.const 16) (i32.const 64))
    (call $input (i32.const 32) (i32.const 16))
    (if (i32.lt_u (i32.load (i32.const 16)) (i32.const 4)) (then unreachable))
    (i32.load (i32.const 32)))

  (func $load (result i32)
    (i32.store (i32.const 128) (i32.const 1))
    (if (call $get_storage (i32.const 0) (i32.const 4) (i32.const 132) (i32.const 128))
      (then (return (i32.const 0))))
    (i32.load8_u (i32.const 132)))

  (func $store (param $value i32)
    (i32.store8 (i32.const 132) (local.get $value))
    (drop (call $set_storage (i32.const 0) (i32.const 4) (i32.const 132) (i32.const 1))))

  ;; Answers Ok(()) or Ok(value): 0x00 followed by `len` bytes at 201.
  (func $ok (param $len i32)
    (i32.store8 (i32.const 200) (i32.const 0))
    (call $return (i32.const 0) (i32.const 200) (i32.add (local.get $len) (i32.const 1))))

  (func (export "deploy")
    (local $selector i32)
    (local.set $selector (call $read_input))
    ;; new(init_value: bool) = 0x9bae9d5e
    (if (i32.eq (local.get $selector) (i32.const 0x5e9dae9b))
      (then
        (if (i32.gt_u (i32.load8_u (i32.const 36)) (i32.const 1)) (then unreachable))
        (call $store (i32.load8_u (i32.const 36)))
        (call $ok (i32.const 0))))
    ;; new_default() = 0x61ef7e3e
    (if (i32.eq (local.get $selector) (i32.const 0x3e7eef61))
      (then (call $store (i32.const 0)) (call $ok (i32.const 0))))
    unreachable)

  (func (export "call")
    (local $selector i32)
    (local.set $selector (call $read_input))
    ;; flip() = 0x633aa551
    (if (i32.eq (local.get $selector) (i32.const 0x51a53a63))
      (then (call $store (i32.eqz (call $load))) (call $ok (i32.const 0))))
    ;; get() -> bool = 0x2f865bd9
    (if (i32.eq (local.get $selector) (i32.const 0xd95b862f))
      (then (i32.store8 (i32.const 201) (call $load)) (call $ok (i32.const 1))))
    unreachable)
)
