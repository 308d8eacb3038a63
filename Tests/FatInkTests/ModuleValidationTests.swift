import FatInk
import Testing

/// What a Wasm module must be to be accepted as a contract, and that a malformed or hostile
/// module is refused with a reason, never a trap.
@Suite("Wasm module validation")
struct ModuleValidationTests {
    /// A minimal contract around `body`, the instructions of `call` (which may use `$t`, a table
    /// of one function, and a passive data segment `$d`).
    func contract(_ body: String) -> String {
        """
        (module
          (import "seal0" "seal_return" (func $return (param i32 i32 i32)))
          (import "env" "memory" (memory 1 1))
          (table $t 1 funcref)
          (elem (i32.const 0) $deploy)
          (data $d "abc")
          (func $deploy (export "deploy"))
          (func (export "call") \(body)))
        """
    }

    func expectRefused(_ wasm: [UInt8], mentions phrase: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try InkCode.prepare(wasm: wasm)
            Issue.record("the module was accepted", sourceLocation: sourceLocation)
        } catch {
            #expect("\(error)".contains(phrase), "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func aSectionSizeOfTenLEBBytesIsRefusedNotATrap() {
        // \0asm, version 1, section 1 whose size is a 10-byte LEB128 (2^63 and more).
        let wasm: [UInt8] = [
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01,
            0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01,
        ]
        expectRefused(wasm, mentions: "declares")
        // An export index past 32 bits, and a name length past the section.
        let export: [UInt8] = [
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x07, 0x09, 0x01, 0x01, 0x61, 0x00,
            0xff, 0xff, 0xff, 0xff, 0x1f,
        ]
        expectRefused(export, mentions: "32 bits")
        let name: [UInt8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x07, 0x03, 0x01, 0x7f, 0x61]
        expectRefused(name, mentions: "runs past")
    }

    @Test func truncatedAndForeignBytesAreRefused() {
        expectRefused([], mentions: "not a Wasm module")
        expectRefused([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0], mentions: "not a Wasm module")
        expectRefused([0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00], mentions: "version")
        expectRefused([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01], mentions: "ends inside")
    }

    @Test func instructionsThatChangeATableOrDropASegmentAreRefused() throws {
        let refused = [
            "(data.drop $d)", "(table.set $t (i32.const 0) (ref.null func))", "(drop (table.grow $t (ref.null func) (i32.const 1)))",
            "(table.fill $t (i32.const 0) (ref.null func) (i32.const 1))", "(table.copy $t $t (i32.const 0) (i32.const 0) (i32.const 1))",
            "(elem.drop 0)",
        ]
        for body in refused {
            let wasm = try InkCode.compileWAT(contract(body))
            expectRefused(wasm, mentions: "changes a table or drops a segment")
        }
        // Filling memory and copying a segment into it are fine: a reset memory undoes them.
        let fine = try InkCode.compileWAT(
            contract("(memory.fill (i32.const 0) (i32.const 1) (i32.const 8)) (memory.init $d (i32.const 0) (i32.const 0) (i32.const 3))"))
        #expect(throws: Never.self) { try InkCode.prepare(wasm: fine) }
    }

    @Test func aStartFunctionIsRefused() throws {
        // It would run when an instance is made, before any gas is set.
        let looping = """
            (module (import "env" "memory" (memory 1 1))
              (func $spin (loop $l (br $l))) (start $spin)
              (func (export "deploy")) (func (export "call")))
            """
        expectRefused(try InkCode.compileWAT(looping), mentions: "start function")
    }

    @Test func simdAndOtherProposalsAreRefused() throws {
        let simd = try InkCode.compileWAT(contract("(drop (i32x4.extract_lane 0 (v128.const i32x4 0 0 0 0)))"))
        expectRefused(simd, mentions: "SIMD")
        // A v128 global before a mutable i32 one: what a hand-written skipper once misread.
        let globals = """
            (module (import "env" "memory" (memory 1 1))
              (global v128 (v128.const i8x16 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11))
              (global $g (mut i32) (i32.const 0))
              (func (export "deploy")) (func (export "call") (global.set $g (i32.const 1))))
            """
        expectRefused(try InkCode.compileWAT(globals), mentions: "SIMD")
    }

    @Test func floatsAreRefused() throws {
        let wasm = try InkCode.compileWAT(contract("(drop (f32.const 1.5))"))
        expectRefused(wasm, mentions: "floating-point")
    }
}
