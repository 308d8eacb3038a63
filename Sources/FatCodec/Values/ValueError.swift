/// A JSON value that does not fit its type, or bytes that do not decode as their type. The
/// message names the argument (or field path) and the expected type.
public struct ValueError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
