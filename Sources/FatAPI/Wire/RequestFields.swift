import FatCodec
import FatRuntime

/// The fields of a JSON request body, read with errors that name the field and what it should be.
/// Fields the endpoint does not know are refused, so a misspelt field never passes silently.
package struct RequestFields {
    private let fields: [(String, JSONValue)]

    package init(_ body: [UInt8], allowed: Set<String>) throws {
        let value: JSONValue
        do { value = try JSONValue.parse(body) } catch {
            throw APIError(.badRequest, .malformedRequest, "the request body is not valid JSON: \(error)")
        }
        guard case let .object(fields) = value else {
            throw APIError(.badRequest, .malformedRequest, "the request body must be a JSON object")
        }
        if let unknown = fields.first(where: { !allowed.contains($0.0) }) {
            throw APIError(
                .badRequest, .malformedRequest, "unknown field `\(unknown.0)`; this endpoint takes: \(allowed.sorted().joined(separator: ", "))")
        }
        self.fields = fields
    }

    package init(object: JSONValue, name: String, allowed: Set<String>) throws {
        guard case let .object(fields) = object else { throw APIError(.badRequest, .malformedRequest, "`\(name)` must be a JSON object") }
        if let unknown = fields.first(where: { !allowed.contains($0.0) }) {
            throw APIError(
                .badRequest, .malformedRequest, "unknown field `\(name).\(unknown.0)`; it takes: \(allowed.sorted().joined(separator: ", "))")
        }
        self.fields = fields
    }

    package subscript(_ name: String) -> JSONValue? {
        fields.first { $0.0 == name }.map(\.1).flatMap { $0 == .null ? nil : $0 }
    }

    package func string(_ name: String) throws -> String? {
        guard let value = self[name] else { return nil }
        guard case let .string(text) = value else { throw wrongType(name, "a string") }
        return text
    }

    package func requiredString(_ name: String) throws -> String {
        guard let text = try string(name) else { throw missing(name) }
        return text
    }

    package func hex(_ name: String) throws -> [UInt8]? {
        guard let text = try string(name) else { return nil }
        guard let bytes = [UInt8](hex: text) else { throw wrongType(name, "0x-prefixed hex") }
        return bytes
    }

    package func requiredHex(_ name: String) throws -> [UInt8] {
        guard let bytes = try hex(name) else { throw missing(name) }
        return bytes
    }

    package func account(_ name: String) throws -> AccountId? {
        guard let bytes = try hex(name) else { return nil }
        guard let account = AccountId(bytes) else {
            throw APIError(.badRequest, .malformedRequest, "`\(name)` must be 32 bytes (0x + 64 hex digits), not \(bytes.count)")
        }
        return account
    }

    package func requiredAccount(_ name: String) throws -> AccountId {
        guard let account = try account(name) else { throw missing(name) }
        return account
    }

    /// An unsigned integer given as a JSON number or a decimal string (u128 needs strings past 2^53).
    package func unsigned<T: FixedWidthInteger & UnsignedInteger>(_ name: String, as _: T.Type = T.self) throws -> T? {
        guard let value = self[name] else { return nil }
        let text: String
        switch value {
        case let .number(digits): text = digits
        case let .string(digits): text = digits
        default: throw wrongType(name, "an unsigned integer")
        }
        guard let number = T(text) else { throw wrongType(name, "an unsigned integer that fits \(T.bitWidth) bits") }
        return number
    }

    package func requiredUnsigned<T: FixedWidthInteger & UnsignedInteger>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard let number = try unsigned(name, as: type) else { throw missing(name) }
        return number
    }

    package func missing(_ name: String) -> APIError { APIError(.badRequest, .malformedRequest, "missing field `\(name)`") }

    package func wrongType(_ name: String, _ expected: String) -> APIError {
        APIError(.badRequest, .malformedRequest, "field `\(name)` must be \(expected)")
    }
}
