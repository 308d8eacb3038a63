import FatCodec
import FatInk
import FatRuntime
import Foundation

/// A contract artifact read from disk, recognised by its content whatever its name: a native
/// shared object, an ink! bundle (metadata with `source.wasm` inside, as `.contract` or `.json`),
/// a Wasm module with its metadata `.json` beside it (or named by `--metadata`), or WebAssembly
/// text (with an optional `.json` beside it).
struct Artifact {
    let upload: CodeUpload
    let path: String

    static func load(_ path: String, metadataPath: String?) throws -> Artifact {
        let bytes: [UInt8]
        do {
            let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? file.close() }
            bytes = [UInt8](try file.readToEnd() ?? Data())
        } catch {
            throw FatError(.badArtifact, "cannot read \(path): \((error as NSError).localizedDescription)")
        }
        guard !bytes.isEmpty else { throw FatError(.badArtifact, "\(path) is empty: no code to deploy") }
        switch ArtifactContent(bytes) {
        case .sharedObject:
            return Artifact(upload: CodeUpload(kind: .native, bytes: bytes, metadata: []), path: path)
        case .bundle:
            let bundle: ContractBundle
            do { bundle = try ContractBundle(bytes) } catch {
                throw FatError(.badArtifact, "\(path) is not a valid contract bundle: \(error)")
            }
            return Artifact(upload: CodeUpload(kind: .wasm, bytes: bundle.wasm, metadata: bytes), path: path)
        case .metadata:
            throw FatError(
                .badArtifact, "\(path) is a metadata document without code (no source.wasm): deploy the .wasm, with this as its --metadata")
        case .wasm, .wat:
            let wasm: [UInt8]
            if ArtifactContent(bytes) == .wat {
                do { wasm = try InkCode.compileWAT(String(decoding: bytes, as: UTF8.self)) } catch {
                    throw FatError(.badArtifact, "\(path): \(error)")
                }
            } else {
                wasm = bytes
            }
            let sibling = URL(fileURLWithPath: path).deletingPathExtension().appendingPathExtension("json").path
            let metadataFile = metadataPath ?? (sibling != path && FileManager.default.fileExists(atPath: sibling) ? sibling : nil)
            var metadata: [UInt8] = []
            if let metadataFile {
                guard let json = FileManager.default.contents(atPath: metadataFile) else {
                    throw FatError(.badArtifact, "cannot read metadata \(metadataFile)")
                }
                metadata = [UInt8](json)
                do { _ = try ContractMetadata.parse(json: metadata) } catch {
                    throw FatError(.badArtifact, "\(metadataFile) is not valid ink! metadata: \(error)")
                }
            }
            return Artifact(upload: CodeUpload(kind: .wasm, bytes: wasm, metadata: metadata), path: path)
        case .unknown:
            throw FatError(.badArtifact, "\(path) is not a shared object (no ELF header), a contract bundle, a Wasm module or WebAssembly text")
        }
    }

    /// A native artifact's own description, read by loading it in this process (the user's own
    /// file, on the user's own machine): what a server, which never loads native code it is sent
    /// before its operator's command, cannot answer.
    static func nativeDescription(_ path: String) throws -> CodeDescription {
        let code = try NativeEngine.inspect(path: path)
        return CodeDescription(
            kind: .native, codeHash: code.hash, metadataHash: nil,
            metadata: code.intrinsicMetadata ?? ContractMetadata(name: "native", version: "0.0.0"))
    }

    static func nativeMetadata(_ path: String) throws -> ContractMetadata { try nativeDescription(path).metadata }
}
