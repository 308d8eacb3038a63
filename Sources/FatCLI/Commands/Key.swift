import ArgumentParser
import FatCodec
import FatRuntime
import FatAPI

/// `fat key new NAME` and `fat key list`: the named signing keys of this data directory.
struct Key: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage named signing keys.", subcommands: [New.self, List.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a new Ed25519 signing key.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The key's name.") var name: String

        func run() throws {
            try runCommand(options) {
                let key = try KeyStore(directory: options.dataDirectory + "/keys").create(name)
                return (JSON.object([("ok", .bool(true)), ("name", .string(name)), ("scheme", .string("ed25519")), ("account", .string(key.account.hex))]),
                        "\(name): \(key.account.hex)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys.")
        @OptionGroup var options: GlobalOptions

        func run() throws {
            try runCommand(options) {
                let keys = try KeyStore(directory: options.dataDirectory + "/keys").list()
                return (JSON.object([("ok", .bool(true)), ("keys", .array(keys.map { JSON.object([("name", .string($0.name)), ("account", .string($0.account.hex))]) }))]),
                        keys.map { "\($0.name): \($0.account.hex)" }.joined(separator: "\n"))
            }
        }
    }
}
