import FatAPI
import FatCodec
import FatRuntime
import FatWire
import Foundation

/// What a subcommand asks of a host. A session opens either this process's own host over the
/// data directory (`LocalSession`) or a `fat serve` host over HTTP (`--remote URL`:
/// `RemoteSession`); each subcommand is written once against this protocol, and both sessions
/// answer with the same typed values, so a local and a remote run print the same.
protocol HostSession {
    /// The named keys of this machine's data directory, which sign in either case.
    var keys: KeyStore { get }

    /// Stores `artifact`'s code and runs a constructor, as one command.
    func deploy(_ artifact: Artifact, constructor: String?, arguments: JSONValue, salt: [UInt8], gas: UInt64, as key: KeyStore.Key) throws
        -> CommandAnswer
    /// Stores `artifact`'s code without instantiating it.
    func upload(_ artifact: Artifact, as key: KeyStore.Key) throws -> CommandAnswer
    /// Sends a command to a contract.
    func call(_ target: MessageTarget, gas: UInt64, as key: KeyStore.Key) throws -> CommandAnswer
    /// Asks a contract at once, off the log; signed by `key` when there is one.
    func query(_ target: MessageTarget, as key: KeyStore.Key?) throws -> QueryAnswer
    /// A deployed contract's messages and types.
    func describe(contract: AccountId) throws -> ContractDescription
    /// A contract's description as an ink! metadata document (generated for native code).
    func inkMetadata(of contract: AccountId) throws -> [UInt8]
    /// An artifact's messages and types, without deploying it.
    func describe(artifact: Artifact) throws -> ContractDescription
    /// The log from `from`, as much of it as `key` (or an anonymous reader) may see.
    func log(from: UInt64, limit: Int, as key: KeyStore.Key?) throws -> LogPage
    /// The events of the commands from `from`, at most `limit` commands' worth; with `follow`,
    /// waits for new ones, handing each to `each` as it commits.
    func events(from: UInt64, limit: Int, follow: Bool, each: (EventRecord) -> Void) throws -> [EventRecord]
    func close()
}

/// How the CLI signs: a nonce above the account's last (microseconds since the epoch), and an
/// expiry a minute ahead.
enum Signing {
    static func nonce() -> UInt64 { UInt64(Date().timeIntervalSince1970 * 1_000_000) }
    static func expiry() -> UInt64 { FatHost.nowMs + 60_000 }
}

/// The constructor input for `arguments`: the named constructor, else the default one; an
/// artifact without a constructor takes no arguments.
func constructorInput(_ messages: Messages, name: String?, arguments: JSONValue, contract: String) throws -> [UInt8] {
    let spec = try name.map { try messages.spec($0, constructor: true) } ?? messages.defaultConstructor()
    if spec == nil, case let .array(values) = arguments, !values.isEmpty {
        throw FatError(.badArguments, "\(contract) has no constructor, so it takes no --args")
    }
    return try spec.map { try messages.input(for: $0, arguments: arguments) } ?? []
}
