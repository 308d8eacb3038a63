import FatCodec
import FatInk

/// Everything a deploy checks of a module before it is stored: the inspector, the import and
/// instruction rules, WasmKit's parse, validation (an eager compile) and instantiation.
enum WasmTarget {
    static func run(_ bytes: [UInt8]) -> Bool {
        (try? InkCode.prepare(wasm: bytes)) != nil
    }
}

/// A `.contract` bundle: its metadata, then the Wasm inside, as `fat deploy` reads one.
enum BundleTarget {
    static func run(_ bytes: [UInt8]) -> Bool {
        guard let bundle = try? ContractBundle(bytes) else { return false }
        MetadataTarget.exercise(bundle.metadata, with: bytes)
        return WasmTarget.run(bundle.wasm)
    }
}
