/// The capability modules a host has loaded, by name and by chain extension id.
/// **Immutable after creation; thread-safe.**
package struct ModuleRegistry: Sendable {
    public let modules: [CapabilityModule]
    private let byName: [String: CapabilityModule]
    private let byExtension: [UInt16: CapabilityModule]

    public static let empty = ModuleRegistry()

    private init() {
        modules = []
        byName = [:]
        byExtension = [:]
    }

    /// Loads each module at `paths`; two modules may not share a name or an extension id.
    public init(paths: [String]) throws {
        var byName: [String: CapabilityModule] = [:]
        var byExtension: [UInt16: CapabilityModule] = [:]
        var modules: [CapabilityModule] = []
        for path in paths {
            let module = try CapabilityModule.load(path: path)
            if let other = byName[module.name] {
                throw FatError(.loadFailed, "capability modules \(other.path) and \(path) are both named \(module.name)")
            }
            if let other = byExtension[module.extensionId] {
                throw FatError(.loadFailed, "capability modules \(other.name) and \(module.name) both use chain extension id \(module.extensionId)")
            }
            byName[module.name] = module
            byExtension[module.extensionId] = module
            modules.append(module)
        }
        self.modules = modules
        self.byName = byName
        self.byExtension = byExtension
    }

    public func module(named name: String) -> CapabilityModule? { byName[name] }
    public func module(extensionId: UInt16) -> CapabilityModule? { byExtension[extensionId] }
}
