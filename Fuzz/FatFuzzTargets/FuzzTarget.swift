/// The inputs the host reads from outside, each as a fuzz target: a function from bytes that
/// must return for any input, in bounded time and memory, and never trap. A target checks the
/// properties it can (a value decoded and encoded again gives the same bytes); a violated one
/// stops the process, which the fuzzer reports as a crash.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The JSON parser (every request body, every metadata document).
    case json
    /// The SCALE decoder through a type registry, and the encoder back.
    case scale
    /// ink! metadata, its type graph, and values encoded and decoded through it.
    case metadata
    /// The Wasm module inspector and deploy-time validation (compile and instantiate).
    case wasm
    /// cargo-contract `.contract` bundles: metadata, then the Wasm inside.
    case bundle
    /// The HTTP API's request bodies, signature header and query parameters.
    case request
    /// Substrate extrinsics, as the node face reads them, and the commands they ask for.
    case extrinsic

    /// Feeds `bytes` to the target; answers whether they were accepted as valid input.
    @discardableResult
    public func run(_ bytes: [UInt8]) -> Bool {
        switch self {
        case .json: JSONTarget.run(bytes)
        case .scale: ScaleTarget.run(bytes)
        case .metadata: MetadataTarget.run(bytes)
        case .wasm: WasmTarget.run(bytes)
        case .bundle: BundleTarget.run(bytes)
        case .request: RequestTarget.run(bytes)
        case .extrinsic: ExtrinsicTarget.run(bytes)
        }
    }
}

/// Stops the process when a property that must hold for every input does not: the fuzzer keeps
/// the input that did it.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("fuzz property violated: \(message())") }
}
