import FatCapabilities
import FatCodec

/// Pink's chain extension types in SCALE (Phala-Network/phala-blockchain `crates/pink`):
/// `HttpRequest { url, method, headers: Vec<(String, String)>, body }`,
/// `HttpResponse { status_code: u16, reason_phrase, headers, body }` and `HttpRequestError`.
enum PinkCodec {
    /// `HttpRequestError`, in declaration order (its SCALE index); as a status code, index + 1.
    enum HTTPRequestError: UInt8 {
        case invalidUrl, invalidMethod, invalidHeaderName, invalidHeaderValue, failedToCreateClient,
            timeout, notAllowed, tooManyRequests, networkError, responseTooLarge, tooManyHeaders

        var statusCode: UInt32 { UInt32(rawValue) + 1 }

        init(_ error: HTTPError) {
            switch error {
            case .invalidURL: self = .invalidUrl
            case .unsupportedScheme, .hostNotAllowed, .privateAddress: self = .notAllowed
            case .responseTooLarge: self = .responseTooLarge
            case .tooManyHeaders: self = .tooManyHeaders
            case .timedOut: self = .timeout
            case .tooManyRedirects, .network: self = .networkError
            case .batchTooLarge: self = .tooManyRequests
            case .invalidMethod: self = .invalidMethod
            case .invalidHeader: self = .invalidHeaderValue
            }
        }

        /// pink's `Debug` name, which it puts in the body of a 524 response.
        var name: String {
            [
                "InvalidUrl", "InvalidMethod", "InvalidHeaderName", "InvalidHeaderValue", "FailedToCreateClient", "Timeout",
                "NotAllowed", "TooManyRequests", "NetworkError", "ResponseTooLarge", "TooManyHeaders",
            ][Int(rawValue)]
        }
    }

    static func decodeRequest(_ decoder: inout ScaleDecoder) throws -> HTTPRequest {
        let url = try decoder.readString()
        let method = try decoder.readString()
        let headerCount = try decoder.readLength(what: "headers")
        var headers: [HTTPHeader] = []
        for _ in 0 ..< headerCount {
            headers.append(HTTPHeader(name: try decoder.readString(), value: try decoder.readString()))
        }
        let body = try decoder.readByteVector()
        return HTTPRequest(method: method, url: url, headers: headers, body: body)
    }

    static func encode(_ response: HTTPResponse, into encoder: inout ScaleEncoder) {
        encoder.append(response.statusCode)
        encoder.appendString(response.reasonPhrase)
        encoder.appendCompact(UInt128(response.headers.count))
        for header in response.headers {
            encoder.appendString(header.name)
            encoder.appendString(header.value)
        }
        encoder.appendByteVector(response.body)
    }

    static func encode(_ response: HTTPResponse) -> [UInt8] {
        var encoder = ScaleEncoder()
        encode(response, into: &encoder)
        return encoder.bytes
    }

    /// A response made by the host rather than a server (pink's 523 and 524).
    static func hostResponse(_ status: UInt16, _ reason: String, _ body: String) -> HTTPResponse {
        HTTPResponse(statusCode: status, reasonPhrase: reason, headers: [], body: Array(body.utf8))
    }
}
