import FatCodec
import FatRuntime

/// Small builders for the JSON the CLI prints.
enum JSON {
    static func object(_ fields: [(String, JSONValue)]) -> JSONValue { .object(fields) }
    static func string(_ text: String) -> JSONValue { .string(text) }
    static func hex(_ bytes: [UInt8]) -> JSONValue { .string("0x" + bytes.hexString) }
    static func number(_ value: some BinaryInteger) -> JSONValue { .number(String(value)) }
    static func bool(_ value: Bool) -> JSONValue { .bool(value) }
    static func array(_ values: [JSONValue]) -> JSONValue { .array(values) }

    static func error(_ error: FatError) -> JSONValue {
        object([("ok", .bool(false)), ("error", object([("code", string(error.code.rawValue)), ("message", string(error.message))]))])
    }
}
