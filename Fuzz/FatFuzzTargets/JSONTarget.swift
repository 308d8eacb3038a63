import FatCodec

/// Parses; what parses serializes to a document that parses to the same value.
enum JSONTarget {
    static func run(_ bytes: [UInt8]) -> Bool {
        guard let value = try? JSONValue.parse(bytes) else { return false }
        let again = try? JSONValue.parse(value.serialized())
        require(again == value, "a parsed document does not survive serializing: \(value.serialized().prefix(200))")
        return true
    }
}
