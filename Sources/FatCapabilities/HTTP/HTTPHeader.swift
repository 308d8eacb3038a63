/// One header field of a request or a response, as it appears on the wire.
///
/// Names keep the case they were sent or received with; compare them case-insensitively
/// (`HTTPHeader.named(_:in:)` does). Order and repetition are preserved.
public struct HTTPHeader: Sendable, Equatable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// The value of the first header in `headers` whose name equals `name`, ignoring ASCII case.
    public static func named(_ name: String, in headers: [HTTPHeader]) -> String? {
        headers.first { asciiLowercased($0.name) == asciiLowercased(name) }?.value
    }
}

/// Lowercases ASCII letters only, as HTTP and DNS names are compared; other bytes are kept.
func asciiLowercased(_ text: String) -> String {
    String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
}
