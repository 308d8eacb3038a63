// swift-tools-version:6.0
import PackageDescription

// The layout follows the path of a call:
//   fat (CLI) → FatCLI → FatRuntime (Host → CommandLog/QueryRunner → Dispatcher → engines)
//   fat serve → FatServer: /v1 (FatAPI) and the Substrate JSON-RPC face (FatNode) → the same FatRuntime host
//   → FatStore (SealedStore over SQLite) ; FatCodec (SCALE + metadata) and FatCrypto underneath.
// ABI/ is the C contract ABI; Contracts/ holds example contracts built as shared objects.

let package = Package(
    name: "FatContract",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fat", targets: ["fat"]),
        .executable(name: "fat-serve", targets: ["fat-serve"]),
        // The worker process native contracts run in under `--native-isolation process`.
        .executable(name: "fat-worker", targets: ["fat-worker"]),
        .executable(name: "fat-bench", targets: ["FatBench"]),
        .executable(name: "fat-fuzz", targets: ["FatFuzz"]),
        .library(name: "FatRuntime", targets: ["FatRuntime"]),
        .library(name: "FatCLI", targets: ["FatCLI"]),
        .library(name: "FatServer", targets: ["FatServer"]),
        // The HTTP client of `fat serve`; what `fat --remote` uses. No server framework inside.
        .library(name: "FatClient", targets: ["FatClient"]),
        // Example native contracts, each a shared object the host loads with dlopen.
        .library(name: "counter", type: .dynamic, targets: ["CounterContract"]),
        .library(name: "token", type: .dynamic, targets: ["TokenContract"]),
        // Many small entries: what the state-size benchmark fills.
        .library(name: "kv", type: .dynamic, targets: ["KVContract"]),
        .library(name: "caller", type: .dynamic, targets: ["CallerContract"]),
        .library(name: "swift_counter", type: .dynamic, targets: ["SwiftCounterContract"]),
        .library(name: "computation", type: .dynamic, targets: ["ComputationContract"]),
        .library(name: "oracle", type: .dynamic, targets: ["OracleContract"]),
        // Misbehaves on request (crash, spin, abort, allocate): what process isolation is for.
        .library(name: "unruly", type: .dynamic, targets: ["UnrulyContract"]),
        // Capability modules (Plugins/), loaded with `fat --plugin`.
        .library(name: "json", type: .dynamic, targets: ["JSONModule"]),
        .library(name: "ethereum", type: .dynamic, targets: ["EthereumModule"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/swiftwasm/WasmKit", exact: "0.4.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
    ],
    targets: [
        // MARK: C ABI and system libraries
        .target(
            name: "FatContractABI",
            path: "ABI",
            exclude: ["README.md", "CHANGELOG.md", "conformance"],
            sources: ["src"],
            publicHeadersPath: "include"
        ),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .systemLibrary(name: "CLibCrypto", path: "Sources/CLibCrypto"),
        .systemLibrary(name: "CFFI", path: "Sources/CFFI"),
        .systemLibrary(name: "CSecp256k1", path: "Sources/CSecp256k1"),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl"),
        .systemLibrary(name: "CSodium", path: "Sources/CSodium"),
        .systemLibrary(name: "CLinux", path: "Sources/CLinux"),
        // Starting worker processes and the turn word host and worker share (futexes, atomics).
        .target(name: "CWorkerChannel"),

        // MARK: Host libraries
        .target(name: "FatCodec"),
        .target(name: "FatCrypto", dependencies: ["CLibCrypto", "CSecp256k1", "CSodium"]),
        .target(name: "FatStore", dependencies: ["CSQLite", "FatCrypto", "FatCodec"]),
        .target(name: "FatCapabilities", dependencies: ["CCurl"]),
        // A loopback HTTP/1.1 server for the capability tests and the HTTP benchmark.
        .target(name: "FatHTTPTesting"),
        .target(
            name: "FatInk",
            dependencies: [
                "FatCodec", "FatCrypto",
                .product(name: "WasmKit", package: "WasmKit"),
                .product(name: "WAT", package: "WasmKit"),
                .product(name: "WasmParser", package: "WasmKit"),
            ]
        ),
        .target(
            name: "FatRuntime",
            dependencies: [
                "FatContractABI", "CFFI", "CLinux", "CWorkerChannel", "CCurl", "FatCodec", "FatCrypto", "FatStore", "FatInk", "FatCapabilities",
                .product(name: "HashTreeCollections", package: "swift-collections"),
            ]
        ),
        // MARK: The API's answers as typed values (JSON both ways), shared by server, client and CLI
        .target(name: "FatWire", dependencies: ["FatCodec", "FatCrypto"]),
        // MARK: The HTTP API's requests and rendering of the host's results, shared by `fat serve` and the CLI
        .target(
            name: "FatAPI",
            dependencies: [
                "FatRuntime", "FatCodec", "FatCrypto", "FatWire",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // MARK: The Substrate node face: JSON-RPC as a contracts node answers it (no server framework inside)
        .target(name: "FatNode", dependencies: ["FatRuntime", "FatCodec", "FatCrypto"]),
        // MARK: Network face: `fat serve` and its client
        .target(
            name: "FatServer",
            dependencies: [
                "FatAPI", "FatWire", "FatRuntime", "FatCodec", "FatCrypto", "FatNode",
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("openapi.json")]
        ),
        .target(name: "FatClient", dependencies: ["FatCodec", "FatCrypto", "FatWire"]),
        .target(
            name: "FatCLI",
            dependencies: [
                "FatRuntime", "FatCodec", "FatCrypto", "FatAPI", "FatWire", "FatClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "fat", dependencies: ["FatCLI"]),
        .executableTarget(name: "fat-worker", dependencies: ["FatRuntime"]),
        // `fat serve` runs this program: the HTTP server, linked by nothing else.
        .executableTarget(
            name: "fat-serve",
            dependencies: ["FatCLI", "FatServer", "FatWire", "FatRuntime", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "FatBench",
            dependencies: [
                "FatRuntime", "FatCodec", "FatCrypto", "FatInk", "FatContractABI", "FatBenchBaseline", "CSQLite",
                "FatCapabilities", "FatHTTPTesting", "CCurl", "CSodium", "CLibCrypto", "FatClient", "FatWire",
            ],
            path: "Benchmarks/FatBench"
        ),
        .target(name: "FatBenchBaseline", dependencies: ["FatContractABI"], path: "Benchmarks/FatBenchBaseline"),

        // MARK: Fuzzing (Fuzz/): the targets, and `fat-fuzz`, which runs them under libFuzzer when
        // built by scripts/fuzz.sh and replays inputs through them otherwise.
        .target(name: "FatFuzzTargets", dependencies: ["FatCodec", "FatInk", "FatAPI", "FatRuntime"], path: "Fuzz/FatFuzzTargets"),
        .executableTarget(name: "FatFuzz", dependencies: ["FatFuzzTargets"], path: "Fuzz/FatFuzz"),

        // MARK: Example native contracts (Contracts/)
        .target(name: "CounterContract", dependencies: ["FatContractABI"], path: "Contracts/counter", publicHeadersPath: "."),
        .target(name: "TokenContract", dependencies: ["FatContractABI"], path: "Contracts/token", publicHeadersPath: "."),
        .target(name: "KVContract", dependencies: ["FatContractABI"], path: "Contracts/kv", publicHeadersPath: "."),
        .target(name: "CallerContract", dependencies: ["FatContractABI"], path: "Contracts/caller", publicHeadersPath: "."),
        .target(name: "ComputationContract", dependencies: ["FatContractABI"], path: "Contracts/computation", publicHeadersPath: "."),
        .target(name: "SwiftCounterContract", dependencies: ["FatContractABI"], path: "Contracts/swift-counter"),
        .target(name: "UnrulyContract", dependencies: ["FatContractABI"], path: "Contracts/unruly", publicHeadersPath: "."),
        .target(name: "OracleContract", dependencies: ["FatContractABI", "CFatScale"], path: "Contracts/oracle", publicHeadersPath: "."),

        // MARK: Capability modules (Plugins/)
        // SCALE for C code, shared by the modules and the C contracts that call them.
        .target(name: "CFatScale", path: "Plugins/support", publicHeadersPath: "include"),
        .target(name: "JSONModule", dependencies: ["FatContractABI", "CFatScale"], path: "Plugins/json", publicHeadersPath: "."),
        .target(
            name: "EthereumModule", dependencies: ["FatContractABI", "CFatScale"], path: "Plugins/ethereum", publicHeadersPath: ".",
            linkerSettings: [.linkedLibrary("secp256k1")]),

        // MARK: Tests (FatTesting: where the tests find the repository, the build's products and the fixtures)
        .target(name: "FatTesting", path: "Tests/FatTesting"),
        .testTarget(name: "FatCodecTests", dependencies: ["FatCodec", "FatTesting"]),
        .testTarget(name: "FatCryptoTests", dependencies: ["FatCrypto", "CSodium"]),
        .testTarget(name: "FatStoreTests", dependencies: ["FatStore", "FatCrypto"]),
        .testTarget(name: "FatInkTests", dependencies: ["FatInk", "FatCodec", "FatCrypto"]),
        .testTarget(name: "FatFuzzTests", dependencies: ["FatFuzzTargets"]),
        .testTarget(
            name: "FatRuntimeTests", dependencies: ["FatRuntime", "FatCodec", "FatStore", "FatCrypto", "FatHTTPTesting", "FatTesting"],
            exclude: ["Fixtures"]),
        .testTarget(name: "FatNodeTests", dependencies: ["FatNode", "FatRuntime", "FatCodec", "FatCrypto", "FatTesting"]),
        .testTarget(name: "FatCLITests", dependencies: ["FatCLI", "FatRuntime", "FatHTTPTesting", "FatTesting", "FatStore"]),
        .testTarget(name: "FatCapabilitiesTests", dependencies: ["FatCapabilities", "FatHTTPTesting", "CCurl"]),
        .testTarget(
            name: "FatClientTests", dependencies: ["FatClient", "FatWire", "FatCodec", "FatCrypto", "FatAPI", "FatRuntime", "FatHTTPTesting"]),
        .testTarget(
            name: "FatServerTests",
            dependencies: [
                "FatServer", "FatAPI", "FatClient", "FatCLI", "FatRuntime", "FatCodec", "FatCrypto", "FatInk",
                "FatHTTPTesting", "FatTesting", "FatWire", "CCurl",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            exclude: ["Fixtures"]),
    ]
)
