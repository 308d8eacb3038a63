import FatCodec
import FatRuntime

/// Small builders for the JSON the CLI prints.
public enum JSON {
    public static func object(_ fields: [(String, JSONValue)]) -> JSONValue { .object(fields) }
    public static func string(_ text: String) -> JSONValue { .string(text) }
    public static func hex(_ bytes: [UInt8]) -> JSONValue { .hex(bytes) }
    public static func number(_ value: some BinaryInteger) -> JSONValue { .number(String(value)) }
    public static func bool(_ value: Bool) -> JSONValue { .bool(value) }
    public static func array(_ values: [JSONValue]) -> JSONValue { .array(values) }

    public static func error(_ error: FatError) -> JSONValue {
        object([("ok", .bool(false)), ("error", object([("code", string(error.code.rawValue)), ("message", string(error.message))]))])
    }
}
