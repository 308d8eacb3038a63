import FatClient
import FatCodec
import FatRuntime
import Foundation

/// What a command needs when it runs through a `fat serve` host (`--remote URL`): the client,
/// and the local named keys it signs with. The server encodes arguments and renders answers
/// with the contract's metadata, so the output is the same as a local run's.
struct RemoteSession {
    let client: FatClient
    let keys: KeyStore

    init(_ options: GlobalOptions, url: String) throws {
        do { client = try FatClient(url: url) } catch { throw RemoteSession.fatError(error) }
        keys = KeyStore(directory: options.dataDirectory + "/keys")
    }

    /// The key to act as: `--as NAME`, or the key named `default`, created on first use.
    func signer(_ name: String?) throws -> KeyStore.Key { try keys.signer(name) }

    /// A fresh nonce: microseconds since the epoch, above any nonce this account used a moment ago.
    static func nonce() -> UInt64 { UInt64(Date().timeIntervalSince1970 * 1_000_000) }

    /// Commands and signed queries expire a minute after they are signed.
    static func expiry() -> UInt64 { FatHost.nowMs + 60_000 }

    /// Runs a client call, turning its errors into the CLI's errors (the server's code and message).
    func run<T>(_ body: (FatClient) throws -> T) throws -> T {
        do { return try body(client) } catch { throw RemoteSession.fatError(error) }
    }

    static func fatError(_ error: Error) -> FatError {
        switch error {
        case let error as FatError: error
        case let ClientError.server(_, code, message): FatError(FatError.Code(rawValue: code), message)
        case let error as ClientError: FatError(.remote, error.description)
        default: FatError(.internalError, String(describing: error))
        }
    }
}

/// A server's answer as the command's result; an answer with `"ok": false` (a logged command
/// the contract reverted) is printed as it is and fails the command.
func remoteResult(_ options: GlobalOptions, _ json: JSONValue, text: @autoclosure () -> String) throws -> (json: JSONValue, text: String) {
    guard json["ok"] == .bool(false) else { return (json, text()) }
    let code = FatError.Code(rawValue: json["error"]?["code"]?.stringValue ?? "internal")
    let message = json["error"]?["message"]?.stringValue ?? ""
    Console.current.print(options.json ? json.serialized() : "error [\(code)]: \(message)")
    throw CommandFailure(error: FatError(code, message))
}

extension KeyStore.Key {
    /// The key as the client signs with it.
    var clientKey: ClientKey { .ed25519(signingKey) }
}
