import WasmParser

/// The instructions a contract may not use, checked once at deploy over every function body.
///
/// - Floating point: pallet-contracts refuses it, since it is not deterministic across platforms
///   in every corner (NaN bit patterns), and commands must replay bit for bit.
/// - Instructions that change a table or drop a segment (`table.set`, `table.grow`, `table.fill`,
///   `table.copy`, `table.init`, `elem.drop`, `data.drop`): a warm instance is put back to its
///   state right after instantiation by restoring memory and mutable globals, and these would
///   leave state behind that a later call could see. pallet-contracts refuses them too (no bulk
///   memory or reference types beyond `memory.copy`/`memory.fill`).
enum InstructionCheck {
    struct Detector: AnyInstructionVisitor {
        typealias VisitorError = InkCodeError
        var binaryOffset: Int = 0

        mutating func visit(_ instruction: Instruction) throws(InkCodeError) {
            switch instruction {
            case .tableSet, .tableGrow, .tableFill, .tableCopy, .tableInit, .elemDrop, .dataDrop:
                throw InkCodeError(
                    "the module uses `\(instruction)` at byte \(binaryOffset), which changes a table or drops a segment; contracts may not (a reused instance must be indistinguishable from a fresh one)"
                )
            case .v128Const, .i8x16Shuffle, .simd, .simdLane, .simdMemLane:
                throw InkCodeError(
                    "the module uses the SIMD instruction `\(instruction)` at byte \(binaryOffset); contracts may not (pallet-contracts refuses SIMD)"
                )
            default:
                break
            }
            let text = String(describing: instruction).lowercased()
            if text.contains("f32") || text.contains("f64") {
                throw InkCodeError(
                    "the module uses the floating-point instruction `\(text)` at byte \(binaryOffset); contracts must be deterministic and may not use floats"
                )
            }
        }
    }

    static func check(_ wasm: [UInt8]) throws {
        var parser = WasmParser.Parser(bytes: wasm)
        var detector = Detector()
        do {
            while let payload = try parser.parseNext() {
                guard case let .codeSection(codes) = payload else { continue }
                for code in codes {
                    var expression = ExpressionParser(code: code)
                    while let visit = try expression.parse() { try visit(visitor: &detector) }
                }
            }
        } catch let error as InkCodeError {
            throw error
        } catch {
            throw InkCodeError("the module does not parse: \(error)")
        }
    }
}
