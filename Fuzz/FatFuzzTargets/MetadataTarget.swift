import FatCodec

/// Parses a metadata document; for one that parses, names every type of every message and event,
/// encodes arguments and decodes results and events through it (from the same bytes), as
/// rendering a hostile contract's answers would.
enum MetadataTarget {
    static func run(_ bytes: [UInt8]) -> Bool {
        guard let metadata = try? ContractMetadata.parse(json: bytes) else { return false }
        exercise(metadata, with: bytes)
        return true
    }

    static func exercise(_ metadata: ContractMetadata, with bytes: [UInt8]) {
        let codec = ValueCodec(registry: metadata.registry)
        let sample = Array(bytes.suffix(256))
        for spec in (metadata.constructors + metadata.messages).prefix(64) {
            for arg in spec.args { _ = metadata.registry.typeName(arg.type) }
            if let returns = spec.returnType { _ = metadata.registry.typeName(returns) }
            _ = try? codec.encodeArguments(.array(spec.args.map { _ in .null }), for: spec)
            _ = try? codec.encodeArguments(.array(spec.args.map { _ in .number("1") }), for: spec)
            _ = try? codec.decodeReturn(sample, for: spec)
        }
        for event in metadata.events.prefix(64) {
            for arg in event.args { _ = metadata.registry.typeName(arg.type) }
        }
        _ = try? codec.decodeEvent(data: sample, topics: [Array(sample.prefix(32))], metadata: metadata)
    }
}
