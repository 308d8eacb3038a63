import FatContractABI
import FatTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C ABI from both sides of `dlopen`: the conformance suite in ABI/conformance compiled as
/// strict C11 and C++17, and the example contracts in C, Swift and Rust negotiating with a host
/// offer exactly as the runtime's loader does.
@Suite("ABI conformance")
struct ABIConformanceTests {
    // MARK: The conformance suite

    @Test func conformanceSuitePassesCompiledAsPedanticC11() throws {
        try compileAndRunSuite(
            compiler: "cc", source: "conformance.c",
            flags: ["-std=c11", "-pedantic", "-Wall", "-Wextra", "-Werror"])
    }

    @Test func conformanceSuitePassesCompiledAsPedanticCpp17() throws {
        try compileAndRunSuite(
            compiler: "c++", source: "conformance.cpp",
            flags: ["-std=c++17", "-pedantic", "-Wall", "-Wextra", "-Werror"])
    }

    // MARK: Contracts built by the package

    /// Built by `swift build` (a dynamic library product each), not by `swift test`.
    @Test(arguments: [
        ExpectedContract(
            product: "counter", name: "counter",
            messages: ["new", "get", "increment", "reset"]),
        ExpectedContract(
            product: "swift_counter", name: "swift_counter",
            messages: ["new", "get", "increment", "reset"]),
        ExpectedContract(
            product: "token", name: "token",
            messages: ["new", "transfer", "balance_of", "total_supply", "my_balance"]),
        ExpectedContract(
            product: "caller", name: "caller",
            messages: ["forward_increment", "read", "call_fail", "fail", "call_raw"]),
    ])
    func packageContractNegotiatesAndDescribesItself(_ expected: ExpectedContract) throws {
        // The products of this build, beside the test bundle (not a fixed .build/debug).
        let library = URL(fileURLWithPath: try Products.library(expected.product))
        try checkContract(at: library, expected)
    }

    // MARK: The Rust contract

    @Test(
        .enabled(
            if: Self.executableOnPath("cargo") != nil || TestEnvironment.isCI,
            "cargo is not on PATH: the Rust counter was not built or checked"))
    func rustCounterBuildsOfflineAndNegotiates() throws {
        guard Self.executableOnPath("cargo") != nil else {
            Issue.record("CI is set but cargo is not on PATH: install a Rust toolchain to check Contracts/rust-counter")
            return
        }
        let manifest = Repository.root.appendingPathComponent("Contracts/rust-counter/Cargo.toml")
        let build = try Self.run("cargo", ["build", "--release", "--offline", "--manifest-path", manifest.path])
        try #require(build.status == 0, "cargo build failed:\n\(build.output)")

        let library = Repository.root.appendingPathComponent(
            "Contracts/rust-counter/target/release/librust_counter.\(Self.sharedLibraryExtension)")
        try checkContract(
            at: library,
            ExpectedContract(
                product: "rust_counter", name: "rust_counter", messages: ["new", "get", "increment", "reset"]))
    }

    // MARK: - Helpers

    struct ExpectedContract: Sendable, CustomTestStringConvertible {
        let product: String
        let name: String
        let messages: [String]
        var testDescription: String { product }
    }

    #if os(macOS)
    static let sharedLibraryExtension = "dylib"
    #else
    static let sharedLibraryExtension = "so"
    #endif

    static func executableOnPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":")
            .map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `tool` found on PATH and returns its exit status with stdout and stderr interleaved.
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        // Drain before waiting: a child that fills the pipe would otherwise never exit.
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private func compileAndRunSuite(compiler: String, source: String, flags: [String]) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("fat-abi-conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let root = Repository.root
        let binary = directory.appendingPathComponent("conformance")
        // -rdynamic: the suite looks up its own entry symbol with dlsym, as a host does in a contract.
        var link = ["-rdynamic"]
        #if os(Linux)
        link.append("-ldl")
        #endif
        let compile = try Self.run(
            compiler,
            flags + [
                "-I", root.appendingPathComponent("ABI/include").path,
                root.appendingPathComponent("ABI/conformance/\(source)").path,
                "-o", binary.path,
            ] + link)
        try #require(compile.status == 0, "\(compiler) rejected \(source):\n\(compile.output)")

        let result = try Self.run(binary.path, [])
        #expect(result.status == 0, "\(source) failed:\n\(result.output)")
        #expect(result.output.contains(" passed, 0 failed"), "unexpected output:\n\(result.output)")
    }

    /// Loads `library`, negotiates as the host does and compares the descriptor with `expected`.
    /// The library stays loaded: Swift and Rust runtimes inside it do not support unloading, and
    /// other tests in this process may load the same object.
    private func checkContract(at library: URL, _ expected: ExpectedContract) throws {
        guard let handle = dlopen(library.path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown error"
            Issue.record("dlopen(\(library.path)) failed: \(reason)")
            return
        }
        let symbol = try #require(
            dlsym(handle, FAT_CONTRACT_ENTRY_SYMBOL),
            "\(library.lastPathComponent) exports no \(FAT_CONTRACT_ENTRY_SYMBOL): was it built against ABI/include/fat_contract.h?")
        let entry = unsafeBitCast(symbol, to: fat_contract_entry_fn.self)

        var offer = fat_negotiation()
        offer.struct_size = UInt32(MemoryLayout<fat_negotiation>.size)
        offer.min_major = 1
        offer.min_minor = 0
        offer.max_major = UInt16(FAT_ABI_VERSION_MAJOR)
        offer.max_minor = UInt16(FAT_ABI_VERSION_MINOR)
        var out: UnsafePointer<fat_contract_descriptor>?
        #expect(entry(&offer, &out) == FAT_OK)
        let descriptor = try #require(out).pointee

        #expect(descriptor.struct_size >= UInt32(MemoryLayout<fat_contract_descriptor>.size))
        #expect(descriptor.abi_major == UInt16(FAT_ABI_VERSION_MAJOR))
        #expect(String(cString: descriptor.name) == expected.name)
        #expect(descriptor.message_count == UInt32(expected.messages.count))
        let messages = UnsafeBufferPointer(start: descriptor.messages, count: Int(descriptor.message_count))
        #expect(messages.map { String(cString: $0.name) } == expected.messages)
        #expect(messages.allSatisfy { $0.function != nil && $0.signature != nil })

        // An offer that excludes major 1, and one too short to read: refused, *out untouched.
        var refused: UnsafePointer<fat_contract_descriptor>?
        offer.min_major = 2
        offer.max_major = 2
        #expect(entry(&offer, &refused) == FAT_ERR_VERSION_MISMATCH)
        offer.min_major = 1
        offer.struct_size = 4
        #expect(entry(&offer, &refused) == FAT_ERR_INVALID_ARGUMENT)
        #expect(refused == nil)
    }
}
