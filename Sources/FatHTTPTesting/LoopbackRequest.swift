/// A request as the loopback server received it.
public struct LoopbackRequest: Sendable {
    public var method: String
    /// The path without the query string.
    public var path: String
    /// Query parameters, percent-decoded; the last occurrence of a name wins.
    public var query: [String: String]
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The request line and header lines exactly as received, ending with the blank line.
    public var head: [UInt8]

    /// The first header named `name`, ignoring case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
