;; An ink!-convention Wasm contract that calls another contract through pallet-contracts' `call`
;; host function: `increment_native(target, by)` sends `increment(by)` to `target` (any contract
;; with that message, native ones included) and answers what it returned. relay.json is its
;; ink! metadata.
(module
  (import "seal0" "seal_input" (func $input (param i32 i32)))
  (import "seal0" "seal_return" (func $return (param i32 i32 i32)))
  (import "seal1" "seal_call" (func $call (param i32 i32 i64 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1))

  ;; Memory: 16 input length, [32, 96) input, [200, 210) output, [300, 308) callee input,
  ;; [400, 416) value (zero), 496 callee output length, [500, 564) callee output.

  (func $read_input (result i32)
    (i32.store (i32.const 16) (i32.const 64))
    (call $input (i32.const 32) (i32.const 16))
    (if (i32.lt_u (i32.load (i32.const 16)) (i32.const 4)) (then unreachable))
    (i32.load (i32.const 32)))

  (func (export "deploy")
    ;; new() = 0x9bae9d5e, answering Ok(())
    (if (i32.ne (call $read_input) (i32.const 0x5e9dae9b)) (then unreachable))
    (i32.store8 (i32.const 200) (i32.const 0))
    (call $return (i32.const 0) (i32.const 200) (i32.const 1)))

  (func (export "call")
    (local $code i32)
    ;; increment_native(target: AccountId, by: u32) -> u64 = 0x157b2298
    (if (i32.ne (call $read_input) (i32.const 0x98227b15)) (then unreachable))
    (if (i32.ne (i32.load (i32.const 16)) (i32.const 40)) (then unreachable))
    ;; The callee's input: increment's selector 0x12bd51d3, then `by`.
    (i32.store (i32.const 300) (i32.const 0xd351bd12))
    (i32.store (i32.const 304) (i32.load (i32.const 68)))
    (i32.store (i32.const 496) (i32.const 64))
    (local.set $code
      (call $call (i32.const 0) (i32.const 36) (i64.const 0) (i32.const 400)
                  (i32.const 300) (i32.const 8) (i32.const 500) (i32.const 496)))
    ;; Anything but success reverts with the return code as data.
    (if (local.get $code)
      (then
        (i32.store (i32.const 200) (local.get $code))
        (call $return (i32.const 1) (i32.const 200) (i32.const 4))))
    (if (i32.ne (i32.load (i32.const 496)) (i32.const 8)) (then unreachable))
    ;; Ok(u64)
    (i32.store8 (i32.const 200) (i32.const 0))
    (i64.store (i32.const 201) (i64.load (i32.const 500)))
    (call $return (i32.const 0) (i32.const 200) (i32.const 9)))
)
