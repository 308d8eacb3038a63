import ArgumentParser
import FatRuntime
import FatWire

/// `fat key new NAME` and `fat key list`: the named signing keys of this data directory.
struct Key: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage named signing keys.", subcommands: [New.self, List.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a new Ed25519 signing key.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The key's name.") var name: String

        func run() throws {
            try runSubcommand(options) { () throws -> any Answer in
                let key = try KeyStore(directory: options.dataDirectory + "/keys").create(name)
                return NamedKey(name: name, scheme: "ed25519", account: Hex(key.account.bytes))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys.")
        @OptionGroup var options: GlobalOptions

        func run() throws {
            try runSubcommand(options) { () throws -> any Answer in
                NamedKeys(
                    keys: try KeyStore(directory: options.dataDirectory + "/keys").list().map {
                        NamedKeys.Entry(name: $0.name, account: Hex($0.account.bytes))
                    })
            }
        }
    }
}

/// A key `fat key new` made.
struct NamedKey: Answer {
    var ok = true
    let name: String
    let scheme: String
    let account: Hex

    var text: String { "\(name): \(account)" }
}

/// The keys of the data directory.
struct NamedKeys: Answer {
    struct Entry: Codable, Sendable {
        let name: String
        let account: Hex
    }

    var ok = true
    let keys: [Entry]

    var text: String { keys.map { "\($0.name): \($0.account)" }.joined(separator: "\n") }
}
