import FatCodec
import Testing

@Suite("JSON ⇄ SCALE through metadata")
struct ValueCodecTests {
    func metadata() throws -> ContractMetadata {
        try ContractMetadata.native(
            name: "t", version: "1",
            messages: [
                NativeMessageDecl(name: "transfer", signature: "transfer(to: AccountId, value: u128) -> bool", mutates: true),
                NativeMessageDecl(
                    name: "mix", signature: "mix(a: Option<i8>, b: Vec<u8>, c: (u16, String), d: [u32; 2]) -> Result<u64, String>", mutates: false),
            ], selectorHash: { _ in [1, 2, 3, 4] + [UInt8](repeating: 0, count: 28) })
    }

    @Test func argumentsEncodePositionallyOrByName() throws {
        let model = try metadata()
        let codec = ValueCodec(registry: model.registry, resolveAccount: { $0 == "bob" ? [UInt8](repeating: 7, count: 32) : nil })
        let transfer = try #require(model.message(named: "transfer"))
        let positional = try codec.encodeArguments(try JSONValue.parse(#"["bob", "340282366920938463463374607431768211455"]"#), for: transfer)
        #expect(positional == [UInt8](repeating: 7, count: 32) + [UInt8](repeating: 0xff, count: 16))
        let named = try codec.encodeArguments(try JSONValue.parse(#"{"value": 1, "to": "bob"}"#), for: transfer)
        #expect(named == [UInt8](repeating: 7, count: 32) + [1] + [UInt8](repeating: 0, count: 15))
    }

    @Test func everyKindOfTypeRoundTrips() throws {
        let model = try metadata()
        let codec = ValueCodec(registry: model.registry)
        let mix = try #require(model.message(named: "mix"))
        let args = try JSONValue.parse(#"[-5, "0x0102", [7, "héllo"], [1, 4294967295]]"#)
        let bytes = try codec.encodeArguments(args, for: mix)
        var decoder = ScaleDecoder(bytes)
        let decoded = try mix.args.map { try codec.decode(&decoder, as: $0.type) }
        #expect(decoded == args.arrayValue)
        #expect(try codec.decodeReturn([0x00] + [UInt8](repeating: 0xff, count: 8), for: mix) == .object([("Ok", .string("18446744073709551615"))]))
        #expect(try codec.decodeReturn([0x01, 0x08, 0x6e, 0x6f], for: mix) == .object([("Err", .string("no"))]))
        #expect(throws: (any Error).self) { try codec.decodeReturn([0x00, 1], for: mix) }
    }

    @Test func badArgumentsNameTheMessageTheArgumentAndTheType() throws {
        let model = try metadata()
        let codec = ValueCodec(registry: model.registry)
        let transfer = try #require(model.message(named: "transfer"))
        func message(_ json: String) -> String {
            do {
                _ = try codec.encodeArguments(try JSONValue.parse(json), for: transfer)
                return ""
            } catch { return "\(error)" }
        }
        #expect(message(#"["0x00"]"#).contains("takes 2 arguments"))
        #expect(message(#"["nobody", 1]"#).contains("argument `to` of `transfer`"))
        #expect(message(#"["0x\#(String(repeating: "00", count: 32))", -1]"#).contains("out of range for u128"))
        #expect(message(#"{"to": "0x00", "amount": 1}"#).contains("no argument `amount`"))
    }

    @Test func signaturesWithUnknownTypesAreErrorsNamingThePosition() {
        #expect(throws: MetadataError.self) {
            _ = try ContractMetadata.native(
                name: "t", version: "1",
                messages: [
                    NativeMessageDecl(name: "f", signature: "f(x: Float)", mutates: false)
                ], selectorHash: { $0 })
        }
    }
}
