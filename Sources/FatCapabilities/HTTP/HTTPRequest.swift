/// An HTTP request a contract asks the host to make.
///
/// `method` is one of `HTTPRequest.methods`, in upper case. `headers` are sent as given, in
/// order; the client adds only `Host` and, when there is a body, `Content-Length`. `body` is
/// sent for every method but `HEAD`.
public struct HTTPRequest: Sendable, Equatable {
    /// The methods a request may use; any other is refused with `HTTPError.invalidMethod`.
    public static let methods: Set<String> = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"]

    public var method: String
    public var url: String
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    public init(method: String = "GET", url: String, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}
