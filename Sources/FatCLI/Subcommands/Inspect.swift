import ArgumentParser
import FatCodec
import FatRuntime
import FatWire

/// `fat inspect ADDRESS|ARTIFACT`: the messages, selectors, argument and return types.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a contract's or an artifact's messages and types.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "A contract address, or an artifact path.") var target: String
    @Option(help: "Metadata .json for a .wasm or .wat artifact.") var metadata: String?
    @Flag(
        name: .customLong("ink-metadata"),
        help: "Print the description as an ink! metadata document (generated for native code), for Substrate tools.")
    var inkMetadata = false

    func run() throws {
        if inkMetadata {
            try runSubcommand(options) { session in
                if let account = AccountId(hex: target) { return RawDocument(bytes: try session.inkMetadata(of: account)) }
                let artifact = try Artifact.load(target, metadataPath: metadata)
                if artifact.upload.kind == .native {
                    let description = try Artifact.nativeDescription(target)
                    return RawDocument(bytes: Array(description.metadata.inkDocument(codeHash: description.codeHash).serialized(pretty: true).utf8))
                }
                guard !artifact.upload.metadata.isEmpty else {
                    throw FatError(.badArtifact, "\(target) comes with no ink! metadata: name it with --metadata")
                }
                return RawDocument(bytes: artifact.upload.metadata)
            }
            return
        }
        try runSubcommand(options) { session in
            if let account = AccountId(hex: target) { return try session.describe(contract: account) }
            return try session.describe(artifact: try Artifact.load(target, metadataPath: metadata))
        }
    }
}

/// A document printed as it is, with or without `--json` (it is JSON already).
struct RawDocument: Answer {
    let bytes: [UInt8]
    var text: String { String(decoding: bytes, as: UTF8.self) }
    var json: JSONValue { (try? JSONValue.parse(bytes)) ?? .string(text) }
}
