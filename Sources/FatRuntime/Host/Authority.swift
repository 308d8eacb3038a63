/// Who may do what on a host: the one place the trust model is decided (README, "Authority").
///
/// - **The operator** holds the master key (a host opened locally: `Authority.local`), or signs
///   with an operator key over a network face (`Authority.network(operators:)`). Only the
///   operator may bring native code, which runs with the host's privileges, and read every
///   command in full.
/// - **An account** signs its commands and queries; it reads its own commands in full.
/// - **Anyone** reads the order of the log (sequence number, contract, code hash, time, outcome)
///   and the events contracts publish, and sends unsigned queries where the server allows them.
public struct Authority: Sendable, Equatable {
    /// True for a host opened with its master key by its owner (the CLI): every caller is trusted
    /// as the operator, and unsigned commands are accepted.
    public let isLocal: Bool
    /// The operator's accounts on a network face.
    public let operators: Set<AccountId>

    /// The owner of the master key, using the host directly.
    public static let local = Authority(isLocal: true, operators: [])

    /// A host answering a network: commands must be signed; native code and full log reads
    /// need one of `operators`' signatures.
    public static func network(operators: Set<AccountId>) -> Authority { Authority(isLocal: false, operators: operators) }

    /// Whether `account` (nil: nobody signed) acts as the operator.
    public func isOperator(_ account: AccountId?) -> Bool {
        isLocal || account.map(operators.contains) == true
    }

    /// Refuses a command the caller may not send: an unsigned one on a network face, or one that
    /// brings native code from anyone but the operator.
    func check(_ command: Command) throws {
        guard !isLocal else { return }
        guard command.signature != nil else {
            throw FatError(.signatureRequired, "this host takes signed commands only")
        }
        if command.code?.kind == .native, !isOperator(command.caller) {
            throw FatError(.notAllowed, Self.nativeIsOperatorCode)
        }
    }

    /// Refuses staging native code for anyone but the operator (`signer` nil: unsigned).
    public func checkStaging(kind: CodeKind, signer: AccountId?) throws {
        if kind == .native, !isOperator(signer) { throw FatError(.notAllowed, Self.nativeIsOperatorCode) }
    }

    static let nativeIsOperatorCode =
        "native code runs with the host's privileges, so only the operator may bring it: sign with an operator key (fat serve --operator)"

    /// How much of a logged command `reader` may see (nil: an anonymous reader).
    public func disclosure(of entry: LogEntry, to reader: AccountId?) -> Disclosure {
        if isOperator(reader) || reader == entry.command.caller { return .full }
        return .order
    }
}

/// How much of a logged command a reader sees.
public enum Disclosure: Sendable, Equatable {
    /// Everything: caller, message, arguments, output, logs, events.
    case full
    /// Its place in the order and what is public anyway: sequence number, time, action, contract,
    /// code hash, outcome, and the events the contract chose to publish.
    case order
}
