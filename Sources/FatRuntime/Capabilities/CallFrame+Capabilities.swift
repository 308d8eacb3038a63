import FatCapabilities
import FatContractABI
import FatCrypto

/// A change to the volatile cache made in a command: applied only after the command commits, and
/// dropped with the frame that made it if that frame reverts.
enum CacheOperation: Sendable {
    case set(key: [UInt8], value: [UInt8])
    case setExpiration(key: [UInt8], seconds: UInt64)
    case remove(key: [UInt8])
}

/// Why a capability call was refused before it ran.
enum CapabilityRefusal: Error, CustomStringConvertible {
    /// A query-only operation (I/O, clocks, true randomness) asked for in a command.
    case notInCommand(String)
    /// The query's state moved on before its first effect on the world outside: it runs again
    /// (see `StateBase`), and this run must have no effect.
    case stateMoved

    var description: String {
        switch self {
        case let .notInCommand(what):
            "\(what) is not allowed in a command: commands are replayed and must not depend on the outside world; use a query"
        case .stateMoved:
            "the state this query read moved on; the query runs again"
        }
    }
}

/// The capabilities as a contract's frame sees them, with the command/query rule enforced here
/// for every engine: in a command nothing does I/O, reads a clock or takes true randomness, so that
/// replaying the log gives the same state.
extension CallFrame {
    var capabilities: Capabilities { dispatcher.capabilities }

    /// The time left for I/O in this call: the query's deadline, or the default query timeout.
    var capabilityDeadline: ContinuousClock.Instant {
        transaction.deadline ?? ContinuousClock.now + FatHost.defaultQueryTimeout
    }

    /// Before an effect on the world outside: a query's snapshot is fixed first, so that a
    /// query run again never repeats one.
    private func pinBeforeEffect() throws(CapabilityRefusal) {
        guard transaction.world.base.pinForEffects() else { throw .stateMoved }
    }

    // MARK: HTTP (queries only)

    func httpRequest(_ request: HTTPRequest) throws(CapabilityRefusal) -> Result<HTTPResponse, HTTPError> {
        guard kind == .query else { throw .notInCommand("HTTP") }
        try pinBeforeEffect()
        let result = capabilities.httpClient(for: address).perform(request, deadline: capabilityDeadline)
        if case let .failure(error) = result { log("http \(request.method) \(request.url): \(error)") }
        return result
    }

    func httpBatch(_ requests: [HTTPRequest], deadline: ContinuousClock.Instant? = nil) throws(CapabilityRefusal)
        -> Result<[Result<HTTPResponse, HTTPError>], HTTPError>
    {
        guard kind == .query else { throw .notInCommand("HTTP") }
        try pinBeforeEffect()
        let limit = min(deadline ?? capabilityDeadline, capabilityDeadline)
        return capabilities.httpClient(for: address).performBatch(requests, deadline: limit)
    }

    // MARK: Modules

    /// Calls a module function; a query-only function is refused in a command without running.
    func callModule(_ module: CapabilityModule, functionId: UInt32, input: [UInt8]) throws(CapabilityRefusal) -> (
        status: fat_status, output: [UInt8]
    )? {
        guard let function = module.functions[functionId] else { return nil }
        if !function.deterministic, kind == .command {
            throw .notInCommand("\(module.name).\(function.name) (a query-only module function)")
        }
        if !function.deterministic { try pinBeforeEffect() }
        let result = module.invoke(function, contract: address, callKind: abiCallKind, input: input)
        if result.status < 0 {
            log("\(module.name).\(function.name) returned \(NativeContractLoader.statusName(result.status))")
        }
        return result
    }

    // MARK: Keys and randomness

    func deriveKey(_ scheme: SignatureScheme, salt: [UInt8]) throws -> [UInt8] {
        try capabilities.keys.derive(scheme, contract: address, salt: salt)
    }

    /// Signs; sr25519 signing is deterministic in a command so that replay gives the same bytes.
    func sign(_ scheme: SignatureScheme, secret: [UInt8], message: [UInt8]) throws -> [UInt8] {
        try scheme.sign(secret: secret, message: message, deterministic: kind == .command)
    }

    /// `count` random bytes: true randomness in a query, bytes derived from the command in a command.
    func randomBytes(_ count: Int) -> [UInt8] {
        switch kind {
        case .query:
            return SecureRandom.bytes(count)
        case .command:
            var output: [UInt8] = []
            var block: UInt32 = 0
            transaction.randomDraws += 1
            let draw = withUnsafeBytes(of: transaction.randomDraws.littleEndian) { Array($0) }
            while output.count < count {
                output += random(subject: Array("bytes".utf8) + draw + withUnsafeBytes(of: block.littleEndian) { Array($0) })
                block += 1
            }
            return Array(output.prefix(count))
        }
    }

    // MARK: Cache (volatile; writes in a command wait for the commit)

    func cacheSet(key: [UInt8], value: [UInt8]) -> Bool {
        switch kind {
        case .query: return capabilities.cache.set(address, key: key, value: value)
        case .command:
            guard key.count + value.count <= capabilities.cache.capacityBytes else { return false }
            transaction.cacheOperations.append((address, .set(key: key, value: value)))
            return true
        }
    }

    func cacheSetExpiration(key: [UInt8], seconds: UInt64) {
        switch kind {
        case .query: capabilities.cache.setExpiration(address, key: key, seconds: seconds)
        case .command: transaction.cacheOperations.append((address, .setExpiration(key: key, seconds: seconds)))
        }
    }

    /// The cached value; always nil in a command, whose result may not depend on the cache.
    func cacheGet(key: [UInt8]) -> [UInt8]? {
        kind == .query ? capabilities.cache.get(address, key: key) : nil
    }

    /// Removes a cached value and returns it in a query; in a command the removal waits for the
    /// commit and nil is returned.
    func cacheRemove(key: [UInt8]) -> [UInt8]? {
        switch kind {
        case .query: return capabilities.cache.remove(address, key: key)
        case .command:
            transaction.cacheOperations.append((address, .remove(key: key)))
            return nil
        }
    }
}

extension Capabilities {
    /// Applies a committed command's cache operations, in order.
    func apply(_ operations: [(AccountId, CacheOperation)]) {
        for (contract, operation) in operations {
            switch operation {
            case let .set(key, value): _ = cache.set(contract, key: key, value: value)
            case let .setExpiration(key, seconds): cache.setExpiration(contract, key: key, seconds: seconds)
            case let .remove(key): _ = cache.remove(contract, key: key)
            }
        }
    }
}
