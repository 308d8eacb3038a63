import FatCodec
import FatRuntime
import HTTPTypes

/// An error answered to a client: an HTTP status and the JSON body
/// `{"ok":false,"error":{"code":…,"message":…}}` naming the cause.
struct APIError: Error {
    let status: HTTPResponse.Status
    let error: FatError
    var retryAfter: Int?

    init(_ status: HTTPResponse.Status, _ code: FatError.Code, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        error = FatError(code, message)
        self.retryAfter = retryAfter
    }

    /// The status a host error maps to: the client's fault is a 4xx, the host's a 5xx.
    init(_ error: Error) {
        if let api = error as? APIError {
            self = api
            return
        }
        let fatError = (error as? FatError) ?? FatError(.internalError, String(describing: error))
        self.error = fatError
        retryAfter = nil
        switch fatError.code {
        case .badArguments, .badArtifact, .loadFailed, .unknownMessage, .expired, .unsupportedScheme, .malformedRequest:
            status = .badRequest
        case .badSignature, .signatureRequired: status = .unauthorized
        case .unknownContract, .unknownCode, .notFound: status = .notFound
        case .replayedNonce: status = .conflict
        case .notAllowed: status = .forbidden
        case .reverted, .trapped, .outOfGas, .depthExceeded: status = .unprocessableContent
        default: status = .internalServerError
        }
    }

    var json: JSONValue { JSON.error(error) }
}

extension FatError.Code {
    static let malformedRequest = FatError.Code(rawValue: "malformed_request")
    static let notFound = FatError.Code(rawValue: "not_found")
    static let busy = FatError.Code(rawValue: "busy")
    static let bodyTooLarge = FatError.Code(rawValue: "body_too_large")
}
