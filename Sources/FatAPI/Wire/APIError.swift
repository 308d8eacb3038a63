import FatCodec
import FatRuntime
import HTTPTypes

/// An error answered to a client: an HTTP status and the JSON body
/// `{"ok":false,"error":{"code":…,"message":…}}` naming the cause.
package struct APIError: Error {
    package let status: HTTPResponse.Status
    package let error: FatError
    package var retryAfter: Int?

    package init(_ status: HTTPResponse.Status, _ code: FatError.Code, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        error = FatError(code, message)
        self.retryAfter = retryAfter
    }

    /// The status a host error maps to: the client's fault is a 4xx, the host's a 5xx.
    package init(_ error: Error) {
        if let api = error as? APIError {
            self = api
            return
        }
        let fatError = (error as? FatError) ?? FatError(.internalError, String(describing: error))
        self.error = fatError
        // A worker that could not start (the machine's limits) may start on a retry.
        // So may a cluster's order that etcd did not take, or a state not yet applied.
        retryAfter = [.workerUnavailable, .orderUnavailable, .notYetApplied].contains(fatError.code) ? 1 : nil
        switch fatError.code {
        case .badArguments, .badArtifact, .loadFailed, .unknownMessage, .expired, .unsupportedScheme, .malformedRequest:
            status = .badRequest
        case .badSignature, .signatureRequired: status = .unauthorized
        case .unknownContract, .unknownCode, .notFound: status = .notFound
        // A query asking for a state this host has not applied yet (`min_seq`): retry, here or elsewhere.
        case .replayedNonce, .notYetApplied: status = .conflict
        case .notAllowed: status = .forbidden
        case .workerUnavailable, .orderUnavailable: status = .serviceUnavailable
        case .reverted, .trapped, .outOfGas, .depthExceeded, .deadlineExceeded, .contractCrashed: status = .unprocessableContent
        default: status = .internalServerError
        }
    }

    package var json: JSONValue { JSON.error(error) }
}

extension FatError.Code {
    package static let malformedRequest = FatError.Code(rawValue: "malformed_request")
    package static let notFound = FatError.Code(rawValue: "not_found")
    package static let busy = FatError.Code(rawValue: "busy")
    package static let bodyTooLarge = FatError.Code(rawValue: "body_too_large")
}
