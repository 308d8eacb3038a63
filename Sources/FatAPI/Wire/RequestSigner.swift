import FatCodec
import FatRuntime
import Foundation
import HTTPTypes

/// Who signed a request that is not a command, and how: from the body fields `caller`, `scheme`,
/// `expires_at_ms` and `signature` (staging code, queries), or from an `Authorization` header
/// (`Authorization: Fat caller=0x…, scheme=ed25519, expires_at_ms=…, signature=0x…`, for reads).
/// The expiry must lie in the future, and at most `window` milliseconds ahead, which bounds how
/// long a captured request can be replayed.
package struct RequestSigner {
    package let caller: AccountId
    package let signature: Signature
    package let expiresAtMs: UInt64

    /// The signer named by `fields`, or nil when they name no caller.
    package init?(_ fields: RequestFields) throws {
        guard let caller = try fields.account("caller") else {
            if fields["signature"] != nil { throw APIError(.badRequest, .malformedRequest, "a signed request names its `caller`") }
            return nil
        }
        try self.init(
            caller: caller, scheme: try fields.string("scheme"), expiresAtMs: try fields.requiredUnsigned("expires_at_ms"),
            signature: try fields.requiredHex("signature"))
    }

    /// The signer named by an `Authorization: Fat …` header, or nil when there is none.
    package init?(authorization: String?) throws {
        guard let authorization else { return nil }
        guard authorization.hasPrefix("Fat ") else {
            throw APIError(
                .unauthorized, .badSignature, "the Authorization header must be `Fat caller=0x…, scheme=ed25519, expires_at_ms=…, signature=0x…`")
        }
        var parameters: [String: String] = [:]
        for part in authorization.dropFirst(4).split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, parameters.updateValue(pair[1], forKey: pair[0]) == nil else {
                throw APIError(.unauthorized, .badSignature, "the Authorization header has a malformed or repeated parameter `\(part.prefix(40))`")
            }
        }
        guard let callerText = parameters["caller"], let caller = AccountId(hex: callerText) else {
            throw APIError(.unauthorized, .badSignature, "the Authorization header names no `caller` (0x followed by 64 hex digits)")
        }
        guard let expiryText = parameters["expires_at_ms"], let expiry = UInt64(expiryText) else {
            throw APIError(.unauthorized, .badSignature, "the Authorization header names no `expires_at_ms`")
        }
        guard let signatureText = parameters["signature"], let signature = [UInt8](hex: signatureText) else {
            throw APIError(.unauthorized, .badSignature, "the Authorization header has no `signature` (0x-prefixed hex)")
        }
        try self.init(caller: caller, scheme: parameters["scheme"], expiresAtMs: expiry, signature: signature)
    }

    private init(caller: AccountId, scheme name: String?, expiresAtMs: UInt64, signature: [UInt8]) throws {
        let schemeName = name ?? "ed25519"
        guard let scheme = Signature.Scheme(name: schemeName) else {
            throw APIError(.badRequest, .unsupportedScheme, "signature scheme `\(schemeName)` is unknown; use ed25519 or sr25519")
        }
        self.caller = caller
        self.signature = Signature(scheme: scheme, bytes: signature)
        self.expiresAtMs = expiresAtMs
    }

    /// Checks the expiry and the signature over `payload`.
    package func verify(_ payload: [UInt8], window: UInt64) throws {
        let now = FatHost.nowMs
        guard expiresAtMs >= now else { throw FatError(.expired, "the request expired at \(expiresAtMs) ms; it is now \(now) ms") }
        guard expiresAtMs - now <= window else {
            throw FatError(.expired, "`expires_at_ms` is more than \(window) ms ahead; this server bounds how long a signed request stays valid")
        }
        guard Signer.verifies(signature, payload: payload, account: caller) else {
            throw FatError(.badSignature, "the request's signature does not verify for \(caller) on this host")
        }
    }
}
