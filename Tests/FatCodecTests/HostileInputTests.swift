import FatCodec
import Testing

/// Input built to make a parser or decoder trap, recurse without end, or do unbounded work is
/// refused with an error that names the cause, or handled in bounded time and memory.
@Suite("Hostile input to the codecs")
struct HostileInputTests {
    /// A metadata document around the given `types` list, with one message returning type `returns`.
    func metadata(types: String, returns: Int = 0, argument: Int? = nil) -> [UInt8] {
        let args = argument.map { #"[{"label": "x", "type": {"type": \#($0)}}]"# } ?? "[]"
        return Array(
            """
            {"source": {"hash": "0x00", "language": "ink! 4.0.0"}, "contract": {"name": "hostile", "version": "1.0.0"},
             "version": "4", "types": \(types),
             "spec": {"constructors": [], "events": [], "messages": [{"label": "m", "selector": "0x01020304", "mutates": false,
                      "args": \(args), "returnType": {"type": \(returns)}}]}}
            """.utf8)
    }

    func expectRefused(_ bytes: [UInt8], mentions phrases: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try ContractMetadata.parse(json: bytes)
            Issue.record("the metadata parsed", sourceLocation: sourceLocation)
        } catch {
            let text = "\(error)"
            for phrase in phrases { #expect(text.contains(phrase), "\(text)", sourceLocation: sourceLocation) }
        }
    }

    @Test func aHighSurrogateFollowedByAnotherEscapeIsAnErrorNotATrap() throws {
        for text in [#"{"contract":"\uD800\u0041"}"#, #""\uD800""#, #""\uD800x""#, #""\uDC00""#, #""\uD83D\uD83D""#, #""\u+fff""#] {
            #expect(throws: JSONParseError.self, "\(text)") { try JSONValue.parse(text) }
        }
        #expect(try JSONValue.parse(#""\uD83D\uDE00""#) == .string("😀"))
    }

    @Test func invalidUTF8InAStringIsRefused() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xff, 0xfe, 0x22]) }
    }

    @Test func nestingPastTheLimitIsRefused() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(String(repeating: "[", count: JSONValue.maxDepth + 1)) }
        let deepest = String(repeating: "[", count: JSONValue.maxDepth) + String(repeating: "]", count: JSONValue.maxDepth)
        #expect(throws: Never.self) { try JSONValue.parse(deepest) }
    }

    @Test func aTypeThatIsAOneFieldCompositeOfItselfIsRefusedNamingIt() {
        let types = #"[{"id": 0, "type": {"def": {"composite": {"fields": [{"type": 0}]}}}}]"#
        expectRefused(metadata(types: types), mentions: ["type 0", "itself"])
        // Through another type, and through an Option whose only way out is itself.
        let pair = #"[{"id": 0, "type": {"def": {"composite": {"fields": [{"type": 1}]}}}}, {"id": 1, "type": {"def": {"tuple": [0]}}}]"#
        expectRefused(metadata(types: pair), mentions: ["contains itself", "0 → 1 → 0"])
    }

    @Test func recursiveTypesWithAWayOutAreAcceptedAndWalkedWithinBounds() throws {
        // enum Tree { Leaf, Node(Box<Tree>, Box<Tree>) }, as ink! writes a recursive enum.
        let types = """
            [{"id": 0, "type": {"path": ["Tree"], "def": {"variant": {"variants": [{"name": "Leaf", "index": 0},
              {"name": "Node", "index": 1, "fields": [{"type": 0}, {"type": 0}]}]}}}}]
            """
        let parsed = try ContractMetadata.parse(json: metadata(types: types, argument: 0))
        let codec = ValueCodec(registry: parsed.registry)
        let message = try #require(parsed.messages.first)
        // A value nested past the codec's depth is refused, both ways.
        var deep = JSONValue.string("Leaf")
        for _ in 0 ..< 100 { deep = .object([("Node", .array([deep, .string("Leaf")]))]) }
        #expect(throws: ValueError.self) { try codec.encodeArguments(.array([deep]), for: message) }
        let bytes = [UInt8](repeating: 1, count: 200) + [0]
        #expect(throws: (any Error).self) { try codec.decodeReturn(bytes, for: message) }
        #expect(try codec.decodeReturn([1, 0, 0], for: message) == .object([("Node", .array([.string("Leaf"), .string("Leaf")]))]))
    }

    @Test func arrayLengthsOutOfRangeAreRefused() {
        for length in ["-1", "4000000000", "65537"] {
            let types = """
                [{"id": 0, "type": {"def": {"primitive": "bool"}}}, {"id": 1, "type": {"def": {"array": {"len": \(length), "type": 0}}}}]
                """
            expectRefused(metadata(types: types, returns: 1), mentions: ["type 1", "array"])
        }
    }

    @Test func aReferenceToAMissingTypeIsRefused() {
        let types = #"[{"id": 0, "type": {"def": {"sequence": {"type": 7}}}}]"#
        expectRefused(metadata(types: types), mentions: ["type 0", "type 7"])
    }

    @Test func valuesMadeOfEmptyPartsCannotBlowUpADecode() throws {
        // T0 = (), T(k+1) = (Tk, Tk): 2^40 empty values from no bytes at all; and Vec<Vec<()>>.
        var types = [#"{"id": 0, "type": {"def": {"tuple": []}}}"#]
        for id in 1 ... 40 { types.append(#"{"id": \#(id), "type": {"def": {"tuple": [\#(id - 1), \#(id - 1)]}}}"#) }
        types.append(#"{"id": 41, "type": {"def": {"sequence": {"type": 0}}}}"#)
        types.append(#"{"id": 42, "type": {"def": {"sequence": {"type": 41}}}}"#)
        let parsed = try ContractMetadata.parse(json: metadata(types: "[" + types.joined(separator: ",") + "]", returns: 40))
        let codec = ValueCodec(registry: parsed.registry)
        var decoder = ScaleDecoder([])
        #expect(throws: ValueError.self) { try codec.decode(&decoder, as: 40) }
        // Vec<Vec<()>>: each inner vector may claim as many empty elements as bytes remain, so
        // n bytes could ask for about n²/2 values; the budget stops it after about n.
        var encoder = ScaleEncoder()
        let inner = 2000
        encoder.appendCompact(UInt128(inner))
        for index in 0 ..< inner { encoder.appendCompact(UInt128(max(64, 2 * (inner - index - 1)))) }
        var nested = ScaleDecoder(encoder.bytes)
        #expect(throws: ValueError.self) { try codec.decode(&nested, as: 42) }
        // A name for a type with 2^40 parts is cut short, not built.
        #expect(parsed.registry.typeName(40).hasSuffix("…"))
        #expect(parsed.registry.typeName(40).count <= TypeRegistry.maxNameLength + 1)
    }

    @Test func compactLengthsAreCheckedBeforeAnythingIsReserved() {
        var decoder = ScaleDecoder([0x13, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])
        #expect(throws: ScaleError.self) { _ = try decoder.readByteVector() }
    }
}
