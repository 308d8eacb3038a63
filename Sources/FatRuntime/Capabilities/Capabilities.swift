import FatCapabilities
import FatCrypto
import Synchronization

/// The capabilities a host gives its contracts, whatever their engine: HTTP, contract-owned keys,
/// the volatile cache and the loaded capability modules. Native contracts reach them through
/// `fat_host_api.capability`, ink! contracts through `call_chain_extension` (Phala's pink
/// extension and the modules' extension ids). The command/query rule is enforced in
/// `CallFrame+Capabilities.swift`, the one place both paths go through.
///
/// **Thread-safe.**
package final class Capabilities: Sendable {
    public let configuration: CapabilityConfiguration
    public let modules: ModuleRegistry
    let keys: ContractKeys
    let cache: ContractCache
    private let clients = Mutex<[AccountId: HTTPClient]>([:])

    /// `keySecret` is the host's secret from which contract keys are derived (from the master key).
    public init(configuration: CapabilityConfiguration, keySecret: [UInt8]) throws {
        self.configuration = configuration
        modules = try ModuleRegistry(paths: configuration.modulePaths)
        keys = ContractKeys(secret: keySecret)
        cache = ContractCache(capacityBytes: configuration.cacheCapacityBytes, defaultLifetime: configuration.cacheDefaultLifetime)
    }

    /// The HTTP client for `contract`, whose policy is the host's allow-list plus the contract's own.
    func httpClient(for contract: AccountId) -> HTTPClient {
        clients.withLock { clients in
            if let client = clients[contract] { return client }
            let policy = HTTPPolicy(
                allowedHosts: configuration.allowedHosts + (configuration.contractHosts[contract] ?? []),
                allowPrivateAddresses: configuration.allowPrivateAddresses,
                allowedPrivateAddresses: configuration.allowedPrivateAddresses,
                maxResponseBytes: configuration.maxResponseBytes)
            let client = HTTPClient(policy: policy)
            clients[contract] = client
            return client
        }
    }
}
