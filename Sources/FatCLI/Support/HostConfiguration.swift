import FatCodec
import FatRuntime
import Foundation

/// The capability configuration of a data directory: `<data>/host.json`, if present, plus the
/// command-line options, which add to it. The file's shape:
///
/// ```json
/// { "plugins": ["Plugins/libjson.so"],
///   "allowHosts": ["api.example.com", "*.example.org"],
///   "allowPrivateAddresses": false,        (or a list of addresses: ["10.0.0.5"])
///   "contractHosts": { "0x<contract address>": ["prices.example.net"] },
///   "maxResponseBytes": 2097152,
///   "operators": ["0x<account>"],
///   "nativeIsolation": "process",           (or "in-process")
///   "worker": { "memoryBytes": 1073741824, "openFiles": 64, "cpuSeconds": 0, "commandTimeoutMs": 5000 } }
/// ```
///
/// `operators` are the accounts whose signatures `fat serve` takes as the operator's; `worker`
/// sets the limits of the worker processes native contracts run in under process isolation.
package enum HostConfiguration {
    /// The operators named in `<data>/host.json`.
    /// The host's limits the options set (`--cache-size`).
    package static func limits(_ options: GlobalOptions) throws -> HostLimits {
        var limits = HostLimits()
        if let size = options.cacheSize { limits.stateCacheBytes = try byteSize(size, option: "--cache-size") }
        return limits
    }

    /// `text` as a number of bytes: digits, then optionally K, M or G (powers of 1024, with or
    /// without a trailing `iB` or `B`).
    package static func byteSize(_ text: String, option: String) throws -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).uppercased()
        let shift: Int? =
            switch unit {
            case "", "B": 0
            case "K", "KB", "KIB": 10
            case "M", "MB", "MIB": 20
            case "G", "GB", "GIB": 30
            default: nil
            }
        guard !digits.isEmpty, let shift, let number = Int(digits) else {
            throw FatError(.badArguments, "\(option) takes a size such as 67108864, 512K, 64M or 2G, not `\(text)`")
        }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: 1 << shift)
        guard !overflow else { throw FatError(.badArguments, "\(option) `\(text)` is too large") }
        return bytes
    }

    package static func operators(_ options: GlobalOptions) throws -> Set<AccountId> {
        let path = options.dataDirectory + "/host.json"
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        guard case let .object(fields) = try document(data, path: path), let list = fields.first(where: { $0.0 == "operators" })?.1 else { return [] }
        guard let items = list.arrayValue else { throw FatError(.badArguments, "\(path): \"operators\" must be an array of accounts") }
        return Set(
            try items.map { item in
                guard let text = item.stringValue, let account = AccountId(hex: text) else {
                    throw FatError(.badArguments, "\(path): \(item.serialized().prefix(80)) in \"operators\" is not an account (0x + 64 hex digits)")
                }
                return account
            })
    }

    /// The engines a host opened with `options` runs contracts with: Wasm, and native code in
    /// process or in worker processes as `--native-isolation` (else `<data>/host.json`'s
    /// `nativeIsolation`, else `defaultIsolation`) says, with the file's `worker` limits.
    package static func engines(_ options: GlobalOptions, defaultIsolation: NativeIsolation) throws -> [ContractEngine] {
        let path = options.dataDirectory + "/host.json"
        func invalid(_ what: String) -> FatError { FatError(.badArguments, "\(path): \(what)") }
        var fields: [(String, JSONValue)] = []
        if let data = FileManager.default.contents(atPath: path), case let .object(object) = try document(data, path: path) { fields = object }
        func field(_ name: String) -> JSONValue? { fields.first(where: { $0.0 == name })?.1 }
        var isolation = defaultIsolation
        if let value = field("nativeIsolation") {
            guard let text = value.stringValue, let mode = NativeIsolation(rawValue: text) else {
                throw invalid("\"nativeIsolation\" must be \"process\" or \"in-process\"")
            }
            isolation = mode
        }
        if let text = options.nativeIsolation {
            guard let mode = NativeIsolation(rawValue: text) else {
                throw FatError(.badArguments, "--native-isolation must be `process` or `in-process`, not `\(text)`")
            }
            isolation = mode
        }
        var limits = WorkerLimits()
        var commandTimeout = IsolatedNativeEngine.defaultCommandTimeout
        if let worker = field("worker") {
            guard case let .object(settings) = worker else { throw invalid("\"worker\" must be an object") }
            for (key, value) in settings {
                guard let number = value.intValue, number >= 0 else { throw invalid("\"worker.\(key)\" must be a non-negative integer") }
                switch key {
                case "memoryBytes": limits.addressSpaceBytes = UInt64(number)
                case "openFiles": limits.openFiles = UInt64(number)
                case "cpuSeconds": limits.cpuSeconds = UInt64(number)
                case "commandTimeoutMs":
                    guard (1 ... 86_400_000).contains(number) else {
                        throw invalid("\"worker.commandTimeoutMs\" must be between 1 and 86400000 (a day)")
                    }
                    commandTimeout = .milliseconds(number)
                default: throw invalid("unknown setting \"worker.\(key)\" (known: memoryBytes, openFiles, cpuSeconds, commandTimeoutMs)")
                }
            }
        }
        switch isolation {
        case .inProcess: return FatHost.defaultEngines
        case .process: return [IsolatedNativeEngine(limits: limits, commandTimeout: commandTimeout), InkContractEngine()]
        }
    }

    private static func document(_ data: Data, path: String) throws -> JSONValue {
        do { return try JSONValue.parse([UInt8](data)) } catch { throw FatError(.badArguments, "\(path) is not valid JSON: \(error)") }
    }

    package static func load(_ options: GlobalOptions) throws -> CapabilityConfiguration {
        var configuration = CapabilityConfiguration()
        let path = options.dataDirectory + "/host.json"
        if let data = FileManager.default.contents(atPath: path) {
            try read(document(data, path: path), from: path, into: &configuration)
        }
        configuration.modulePaths += options.plugins
        configuration.allowedHosts += options.allowHosts
        if options.allowPrivateAddresses { configuration.allowPrivateAddresses = true }
        return configuration
    }

    private static func read(_ document: JSONValue, from path: String, into configuration: inout CapabilityConfiguration) throws {
        func invalid(_ what: String) -> FatError { FatError(.badArguments, "\(path): \(what)") }
        func strings(_ key: String, _ value: JSONValue) throws -> [String] {
            guard let items = value.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
                throw invalid("\"\(key)\" must be an array of strings")
            }
            return items.compactMap(\.stringValue)
        }
        guard case let .object(fields) = document else { throw invalid("must hold a JSON object") }
        let directory = (path as NSString).deletingLastPathComponent
        for (key, value) in fields {
            switch key {
            case "plugins":
                // Relative module paths are relative to the data directory.
                configuration.modulePaths += try strings(key, value).map { $0.hasPrefix("/") ? $0 : directory + "/" + $0 }
            case "allowHosts":
                configuration.allowedHosts += try strings(key, value)
            case "allowPrivateAddresses":
                if let flag = value.boolValue {
                    configuration.allowPrivateAddresses = flag
                } else if value.arrayValue != nil {
                    configuration.allowedPrivateAddresses.formUnion(try strings(key, value))
                } else {
                    throw invalid("\"allowPrivateAddresses\" must be true, false, or a list of addresses")
                }
            case "maxResponseBytes":
                guard let limit = value.intValue, limit > 0 else { throw invalid("\"maxResponseBytes\" must be a positive integer") }
                configuration.maxResponseBytes = limit
            case "contractHosts":
                guard case let .object(contracts) = value else { throw invalid("\"contractHosts\" must map contract addresses to arrays of hosts") }
                for (address, hosts) in contracts {
                    guard let account = AccountId(hex: address) else {
                        throw invalid("\"\(address)\" in \"contractHosts\" is not a contract address")
                    }
                    configuration.contractHosts[account, default: []] += try strings("contractHosts.\(address)", hosts)
                }
            case "operators", "nativeIsolation", "worker":
                break  // read by `operators(_:)` and `engines(_:defaultIsolation:)`
            default:
                throw invalid(
                    "unknown setting \"\(key)\" (known: plugins, allowHosts, allowPrivateAddresses, contractHosts, maxResponseBytes, operators, nativeIsolation, worker)"
                )
            }
        }
    }
}
