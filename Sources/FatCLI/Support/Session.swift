import FatCodec
import FatRuntime
import FatAPI
import Foundation

/// What a command needs: the host over the data directory, and the named keys.
struct Session {
    let options: GlobalOptions
    let host: FatHost
    let keys: KeyStore

    init(_ options: GlobalOptions, create: Bool = true) throws {
        self.options = options
        host = try FatHost(dataDirectory: options.dataDirectory, masterKeyPath: options.masterKey, create: create,
                           capabilities: try HostConfiguration.load(options))
        keys = KeyStore(directory: options.dataDirectory + "/keys")
    }

    func close() { host.close() }

    /// Renders answers the way `fat serve` does, resolving key names in arguments.
    var renderer: ResultRenderer { ResultRenderer(host: host, resolveAccount: accountResolver) }

    /// The key to act as: `--as NAME`, or the key named `default`, created on first use.
    func signer(_ name: String?) throws -> KeyStore.Key { try keys.signer(name) }

    /// Resolves key names in arguments of type AccountId ("bob" → bob's address).
    var accountResolver: @Sendable (String) -> [UInt8]? {
        let keys = keys
        return { keys.resolve($0)?.bytes }
    }

    /// Signs `command` as `key` for this host: a nonce above the account's last (microseconds
    /// since the epoch, as remote commands use), an expiry a minute ahead, the host's genesis id.
    func sign(_ command: inout Command, as key: KeyStore.Key) {
        command.caller = key.account
        command.nonce = max(RemoteSession.nonce(), host.lastNonce(of: key.account) + 1)
        command.expiresAtMs = RemoteSession.expiry()
        command.signature = key.sign(command.signingPayload(genesis: host.genesis))
    }

    /// Parses a contract address, or a key name whose account is meant.
    func address(_ text: String) throws -> AccountId {
        if let account = AccountId(hex: text) { return account }
        throw FatError(.badArguments, "`\(text)` is not a contract address (0x followed by 64 hex digits)")
    }
}

/// Runs a command body, printing its result or its error the way `--json` asks.
func runCommand(_ options: GlobalOptions, _ body: () throws -> (json: JSONValue, text: String)) throws {
    let console = Console.current
    do {
        let result = try body()
        console.print(options.json ? result.json.serialized() : result.text)
    } catch let failure as CommandFailure {
        throw failure
    } catch {
        let fatError = (error as? FatError) ?? FatError(.internalError, String(describing: error))
        console.print(options.json ? JSON.error(fatError).serialized() : "error [\(fatError.code)]: \(fatError.message)")
        throw CommandFailure(error: fatError)
    }
}

/// A command failed after printing its error; the process exits with status 1.
public struct CommandFailure: Error {
    public let error: FatError
}
