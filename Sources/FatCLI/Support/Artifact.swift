import FatCodec
import FatInk
import FatRuntime
import Foundation

/// A contract artifact read from disk: a native shared object, an ink! `.contract` bundle, a
/// `.wasm` with its metadata `.json`, or a `.wat` text module (with an optional `.json` beside).
struct Artifact {
    let upload: CodeUpload
    let path: String

    static func load(_ path: String, metadataPath: String?) throws -> Artifact {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FatError(.badArtifact, "cannot read \(path)")
        }
        let bytes = [UInt8](data)
        let url = URL(fileURLWithPath: path)
        switch url.pathExtension.lowercased() {
        case "contract":
            let metadata: ContractMetadata
            do { metadata = try ContractMetadata.parse(json: bytes) } catch {
                throw FatError(.badArtifact, "\(path) is not a valid .contract bundle: \(error)")
            }
            guard let wasm = metadata.wasm, !wasm.isEmpty else {
                throw FatError(.badArtifact, "\(path) has no source.wasm; pass the .wasm and its metadata .json instead")
            }
            return Artifact(upload: CodeUpload(kind: .wasm, bytes: wasm, metadata: bytes), path: path)
        case "wasm", "wat":
            let wasm: [UInt8]
            if url.pathExtension.lowercased() == "wat" {
                do { wasm = try InkCode.compileWAT(String(decoding: bytes, as: UTF8.self)) } catch {
                    throw FatError(.badArtifact, "\(path): \(error)")
                }
            } else {
                wasm = bytes
            }
            let sibling = url.deletingPathExtension().appendingPathExtension("json").path
            let metadataFile = metadataPath ?? (FileManager.default.fileExists(atPath: sibling) ? sibling : nil)
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
        default:
            guard bytes.starts(with: [0x7f, 0x45, 0x4c, 0x46]) else {
                throw FatError(.badArtifact, "\(path) is not a shared object (no ELF header), a .contract, a .wasm or a .wat")
            }
            return Artifact(upload: CodeUpload(kind: .native, bytes: bytes, metadata: []), path: path)
        }
    }

    /// A native artifact's own description, read by loading it in this process (the user's own
    /// file, on the user's own machine): what a server, which never loads native code it is sent
    /// before its operator's command, cannot answer.
    static func nativeDescription(_ path: String) throws -> CodeDescription {
        let code = try NativeEngine.inspect(path: path)
        return CodeDescription(kind: .native, codeHash: code.hash, metadataHash: nil,
                               metadata: code.intrinsicMetadata ?? ContractMetadata(name: "native", version: "0.0.0"))
    }

    static func nativeMetadata(_ path: String) throws -> ContractMetadata { try nativeDescription(path).metadata }
}
