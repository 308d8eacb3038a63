/// A SCALE encoding that could not be decoded: what was being read, and at which byte offset.
public struct ScaleError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public let offset: Int

    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) (at byte \(offset))" }
}
