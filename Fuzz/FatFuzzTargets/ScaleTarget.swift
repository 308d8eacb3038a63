import FatCodec
import FatCrypto

/// The first byte picks a type of a registry that covers every kind of type the codec knows
/// (primitives, compact, sequences, arrays, tuples, structs, enums, Option, Result, AccountId, a
/// recursive enum); the rest is decoded as that type. A value that decodes encodes back to
/// exactly the bytes it was decoded from.
enum ScaleTarget {
    static let registry: TypeRegistry = {
        let declarations = [
            "a(x: u8, y: i16, z: u32, w: i64, v: u128, s: String, b: bool, c: char) -> (u8, bool)",
            "b(v: Vec<u32>, o: Option<AccountId>, r: Result<String, [u8; 4]>, c: Compact<u128>, h: Hash) -> Vec<Result<(u8, i128), Vec<u8>>>",
            "c(unit: (), wide: i128, n: Compact<u32>, list: Vec<(bool, String)>, pair: [u16; 3]) -> Result<(), u8>",
        ].map { NativeMessageDecl(name: String($0.prefix { $0 != "(" }), signature: $0, mutates: false) }
        var registry =
            (try? ContractMetadata.native(name: "fuzz", version: "0", messages: declarations, selectorHash: { Blake2b.hash256($0) }))?.registry
            ?? TypeRegistry()
        // enum Tree { Leaf, Node(Box<Tree>, u8) } and struct Named { first: u64, rest: Vec<Tree> }.
        let tree = (registry.types.keys.max() ?? 0) + 1
        let u8 = registry.add(def: .primitive(.u8))
        let u64 = registry.add(def: .primitive(.u64))
        var types = Array(registry.types.values)
        types.append(
            PortableType(
                id: tree, path: ["Tree"],
                def: .variant([
                    .init(name: "Leaf", index: 0, fields: []),
                    .init(name: "Node", index: 1, fields: [.init(name: nil, type: tree), .init(name: nil, type: u8)]),
                ])))
        types.append(PortableType(id: tree + 1, def: .sequence(tree)))
        types.append(
            PortableType(id: tree + 2, path: ["Named"], def: .composite([.init(name: "first", type: u64), .init(name: "rest", type: tree + 1)])))
        return TypeRegistry(types: types)
    }()

    static let ids = registry.types.keys.sorted()

    static func run(_ bytes: [UInt8]) -> Bool {
        guard let selector = bytes.first, !ids.isEmpty else { return false }
        let id = ids[Int(selector) % ids.count]
        let codec = ValueCodec(registry: registry)
        var decoder = ScaleDecoder(Array(bytes.dropFirst()))
        guard let value = try? codec.decode(&decoder, as: id) else { return false }
        let consumed = Array(bytes.dropFirst().prefix(decoder.offset))
        let encoded = try? codec.encode(value, as: id)
        require(
            encoded == consumed,
            "type \(registry.typeName(id)): \(consumed) decodes to \(value.serialized().prefix(200)), which encodes to \(encoded.map { "\($0)" } ?? "an error")"
        )
        return true
    }
}
