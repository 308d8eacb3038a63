import FatCodec
import FatCrypto
import Foundation

/// Named signing keys kept in `<data>/keys/NAME.key` (mode 0600): the accounts a local user acts
/// as with `--as NAME`. An account's address is its 32-byte Ed25519 public key.
public struct KeyStore: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// A key with its name.
    public struct Key: Sendable {
        public let name: String
        public let signingKey: Ed25519SigningKey
        public var account: AccountId { AccountId(unchecked: signingKey.publicKey) }

        public func sign(_ payload: [UInt8]) -> Signature {
            Signature(scheme: .ed25519, bytes: signingKey.sign(payload))
        }
    }

    private func path(_ name: String) -> String { "\(directory)/\(name).key" }

    static func validName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }

    /// Creates a new random key called `name`; refuses to overwrite an existing one.
    public func create(_ name: String) throws -> Key {
        guard Self.validName(name) else {
            throw FatError(.badArguments, "key name `\(name)` must be 1 to 64 letters, digits, - or _")
        }
        guard !FileManager.default.fileExists(atPath: path(name)) else {
            throw FatError(.alreadyExists, "a key named `\(name)` already exists in \(directory)")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = Ed25519SigningKey.generate()
        let document = "{\"scheme\":\"ed25519\",\"seed\":\"\(key.seed.hexString)\",\"public\":\"0x\(key.publicKey.hexString)\"}\n"
        guard FileManager.default.createFile(atPath: path(name), contents: Data(document.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw FatError(.internalError, "cannot write \(path(name))")
        }
        return Key(name: name, signingKey: key)
    }

    /// Loads the key called `name`.
    public func load(_ name: String) throws -> Key {
        guard Self.validName(name), let data = FileManager.default.contents(atPath: path(name)) else {
            let known = (try? list().map(\.name).joined(separator: ", ")) ?? ""
            throw FatError(
                .unknownKey,
                "no key named `\(name)` in \(directory)\(known.isEmpty ? "" : " (known: \(known))"); create it with `fat key new \(name)`")
        }
        guard case let .object(fields)? = try? JSONValue.parse(Array(data)),
            case let .string(seedHex)? = fields.first(where: { $0.0 == "seed" })?.1,
            let seed = [UInt8](hex: seedHex), seed.count == 32
        else {
            throw FatError(.badArguments, "key file \(path(name)) is malformed")
        }
        return Key(name: name, signingKey: try Ed25519SigningKey(seed: seed))
    }

    /// All keys, by name.
    public func list() throws -> [Key] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return try names.filter { $0.hasSuffix(".key") }.sorted().map { try load(String($0.dropLast(4))) }
    }

    /// An account from a key name or a 0x-prefixed hex address.
    /// The key to act as: the one named `name`, or without a name the key `default`, created on
    /// first use.
    public func signer(_ name: String?) throws -> Key {
        if let name { return try load(name) }
        if let key = try? load("default") { return key }
        return try create("default")
    }

    public func resolve(_ nameOrAddress: String) -> AccountId? {
        if nameOrAddress.hasPrefix("0x") { return AccountId(hex: nameOrAddress) }
        return try? load(nameOrAddress).account
    }
}
