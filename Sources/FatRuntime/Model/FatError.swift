import FatStore

/// An error a user sees: a stable machine-readable `code` and a message that names the cause.
///
/// Codes are never reused for another meaning; the CLI prints them as
/// `{"ok":false,"error":{"code":…,"message":…}}`.
public struct FatError: Error, CustomStringConvertible, Sendable, Equatable {
    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// The stable error codes.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let badArguments = Code(rawValue: "bad_arguments")
        public static let unknownContract = Code(rawValue: "unknown_contract")
        public static let unknownMessage = Code(rawValue: "unknown_message")
        public static let unknownCode = Code(rawValue: "unknown_code")
        public static let unknownKey = Code(rawValue: "unknown_key")
        public static let badArtifact = Code(rawValue: "bad_artifact")
        public static let loadFailed = Code(rawValue: "load_failed")
        public static let reverted = Code(rawValue: "contract_reverted")
        public static let trapped = Code(rawValue: "contract_trapped")
        public static let outOfGas = Code(rawValue: "out_of_gas")
        public static let depthExceeded = Code(rawValue: "depth_exceeded")
        /// A query ran past its wall-clock deadline.
        public static let deadlineExceeded = Code(rawValue: "deadline_exceeded")
        /// A native contract's worker process died during the call (a signal, abort, exit).
        public static let contractCrashed = Code(rawValue: "contract_crashed")
        /// No worker process could be started for a native contract (the machine's resources,
        /// or a missing `fat-worker`).
        public static let workerUnavailable = Code(rawValue: "worker_unavailable")
        public static let badSignature = Code(rawValue: "bad_signature")
        public static let signatureRequired = Code(rawValue: "signature_required")
        public static let unsupportedScheme = Code(rawValue: "unsupported_scheme")
        public static let replayedNonce = Code(rawValue: "replayed_nonce")
        public static let expired = Code(rawValue: "expired")
        public static let remote = Code(rawValue: "remote_error")
        public static let store = Code(rawValue: "store_error")
        public static let storeCorrupt = Code(rawValue: "store_corrupt")
        public static let wrongMasterKey = Code(rawValue: "wrong_master_key")
        public static let notAllowed = Code(rawValue: "not_allowed")
        public static let alreadyExists = Code(rawValue: "already_exists")
        public static let verifyFailed = Code(rawValue: "verify_failed")
        public static let internalError = Code(rawValue: "internal")
        /// The cluster's order (etcd) could not be reached: the command was not ordered; retry.
        public static let orderUnavailable = Code(rawValue: "order_unavailable")
        /// A query asked for a state (`min_seq`) this host has not applied yet; retry (409 over HTTP).
        public static let notYetApplied = Code(rawValue: "not_yet_applied")
    }
}

extension FatError {
    /// Whether the error came from the machine rather than from the contract and its input: a
    /// crash, a deadline, a worker that could not start. In a command such an outcome is recorded
    /// in the log so that a replay gives the same result (see `MachineOutcomes`).
    public var dependsOnTheMachine: Bool {
        code == .contractCrashed || code == .deadlineExceeded || code == .workerUnavailable
    }

    /// Any error as the host reports it: a `FatError` as it is, a store error by what went wrong
    /// (a damaged file, a wrong master key, another failure of the store), anything else as an
    /// internal error with its description. The one mapping every layer uses.
    public init(wrapping error: Error) {
        switch error {
        case let error as FatError: self = error
        case let error as StoreError:
            switch error {
            case .corrupt, .tampered: self = FatError(.storeCorrupt, error.description)
            case .wrongMasterKey: self = FatError(.wrongMasterKey, error.description)
            default: self = FatError(.store, error.description)
            }
        default: self = FatError(.internalError, String(describing: error))
        }
    }
}
