/// The final response to an `HTTPRequest`, after any redirects the client followed.
///
/// `headers` are those of the final response only, in the order received, without the status
/// line. `body` is exactly the bytes received: the client asks for no compression and decodes
/// none, so a server that compresses anyway (because the request sent `Accept-Encoding`) yields
/// the compressed bytes.
public struct HTTPResponse: Sendable, Equatable {
    public var statusCode: UInt16
    /// The text after the status code on an HTTP/1.x status line; empty for HTTP/2.
    public var reasonPhrase: String
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    public init(statusCode: UInt16, reasonPhrase: String, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.statusCode = statusCode
        self.reasonPhrase = reasonPhrase
        self.headers = headers
        self.body = body
    }
}
