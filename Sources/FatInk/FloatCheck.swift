import WasmParser

/// pallet-contracts refuses floating-point instructions: they are not deterministic across
/// platforms in every corner (NaN bit patterns), and commands must replay bit for bit.
enum FloatCheck {
    struct Detector: AnyInstructionVisitor {
        typealias VisitorError = InkCodeError
        var binaryOffset: Int = 0

        mutating func visit(_ instruction: Instruction) throws(InkCodeError) {
            let text = String(describing: instruction)
            if text.contains("f32") || text.contains("f64") {
                throw InkCodeError("the module uses the floating-point instruction `\(text)` at byte \(binaryOffset); contracts must be deterministic and may not use floats")
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
