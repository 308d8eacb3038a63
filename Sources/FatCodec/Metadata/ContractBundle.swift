/// What a contract artifact's bytes are, told by their content rather than a file name: a native
/// shared object, a Wasm module, WebAssembly text, a cargo-contract bundle (ink! metadata with
/// `source.wasm` inside, whatever its extension), or a metadata document alone.
public enum ArtifactContent: Equatable, Sendable {
    case sharedObject
    case wasm
    case wat
    case bundle
    case metadata
    case unknown

    public init(_ bytes: [UInt8]) {
        if bytes.starts(with: [0x7f, 0x45, 0x4c, 0x46]) {
            self = .sharedObject
            return
        }
        if bytes.starts(with: [0x00, 0x61, 0x73, 0x6d]) {
            self = .wasm
            return
        }
        let text = bytes.drop { [0x20, 0x09, 0x0a, 0x0d, 0xef, 0xbb, 0xbf].contains($0) }
        switch text.first {
        case UInt8(ascii: "("), UInt8(ascii: ";"):
            self = .wat
        case UInt8(ascii: "{"):
            // A bundle carries its code as a `"wasm"` field of `source`; look before parsing.
            let marker = Array("\"wasm\"".utf8)
            self = bytes.firstRange(of: marker) != nil ? .bundle : .metadata
        default:
            self = .unknown
        }
    }
}

/// A cargo-contract bundle: the Wasm code and its metadata, in one JSON document.
public struct ContractBundle: Sendable {
    public let wasm: [UInt8]
    public let metadata: ContractMetadata

    /// Reads a bundle; the error names what is wrong with it.
    public init(_ bytes: [UInt8]) throws {
        metadata = try ContractMetadata.parse(json: bytes)
        guard let wasm = metadata.wasm, !wasm.isEmpty else {
            throw MetadataError("the document has no source.wasm; it is metadata alone: pass the .wasm and this as its metadata")
        }
        self.wasm = wasm
    }
}
