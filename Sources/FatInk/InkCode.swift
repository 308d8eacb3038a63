import Foundation
import WAT
import WasmKit

import struct WasmParser.WasmFeatureSet

/// Which export of a contract to run.
public enum InkEntry: Sendable {
    case deploy
    case call
}

/// What one execution returned.
public struct InkExecution: Sendable {
    public let output: [UInt8]
    public let reverted: Bool
    public let gasUsed: UInt64
}

/// A validated Wasm contract, ready to run many times.
///
/// `prepare` checks the module once (imports, exports, memory, every function body through an
/// eager compile) and keeps warm instances in a pool: a call takes one, restores its linear memory
/// and mutable globals to their state right after instantiation, runs, and gives it back, so no
/// call pays WasmKit's per-instance translation again. Concurrent queries and reentrant calls
/// each take their own instance. **Thread-safe.**
public final class InkCode: @unchecked Sendable {
    /// pallet-contracts' default limit on linear memory: 16 pages of 64 KiB.
    public static let maxMemoryPages: UInt64 = 16
    /// The WebAssembly proposals a contract may use beyond 1.0's core (with the sign-extension,
    /// mutable-global, multi-value and bulk-memory operators WasmKit always reads): none, as
    /// pallet-contracts — no reference types, SIMD, threads, exceptions or tail calls.
    static let features: WasmFeatureSet = []
    static let engine = Engine(configuration: EngineConfiguration(compilationMode: .eager, memoryBoundsChecking: .software, fuelMetering: true))

    let module: Module
    let memoryLimits: (min: UInt64, max: UInt64?)
    let mutableGlobals: [String]
    private let lock = NSLock()
    private var pool: [WarmInstance] = []

    private init(module: Module, memoryLimits: (min: UInt64, max: UInt64?), mutableGlobals: [String]) {
        self.module = module
        self.memoryLimits = memoryLimits
        self.mutableGlobals = mutableGlobals
    }

    /// Warm instances kept at most per code.
    static let maxPooledInstances = 8

    /// The memory two warm instances hold (the pool's usual size outside bursts of concurrent
    /// queries): each instance's linear memory and the image it is restored from.
    public var instanceFootprint: Int {
        2 * 2 * Int(memoryLimits.max ?? Self.maxMemoryPages) * 65536
    }

    /// Compiles WebAssembly text to a binary module.
    public static func compileWAT(_ text: String) throws -> [UInt8] {
        do { return try wat2wasm(LegacyWAT.modernized(text)) } catch { throw InkCodeError("the WebAssembly text does not compile: \(error)") }
    }

    /// Validates `wasm` as a contract and prepares its first warm instance.
    public static func prepare(wasm: [UInt8]) throws -> InkCode {
        let inspector = try ModuleInspector(wasm)
        for name in ["deploy", "call"] where !inspector.exports.contains(where: { $0.name == name && $0.kind == 0 }) {
            throw InkCodeError("the module exports no function `\(name)`; a contract exports both `deploy` and `call`")
        }
        guard let memory = inspector.imports.first(where: { $0.kind == 2 }), let limits = memory.memoryLimits else {
            throw InkCodeError("the module imports no memory; a contract imports `env.memory`")
        }
        guard memory.module == "env", memory.name == "memory" else {
            throw InkCodeError("the module imports its memory as `\(memory.module).\(memory.name)`, not `env.memory`")
        }
        guard limits.min <= maxMemoryPages, (limits.max ?? 0) <= maxMemoryPages else {
            throw InkCodeError(
                "the memory import asks for \(limits.min)…\(limits.max.map(String.init) ?? "∞") pages; at most \(maxMemoryPages) are allowed")
        }
        if let other = inspector.imports.first(where: { $0.kind == 1 || $0.kind == 3 }) {
            throw InkCodeError(
                "the module imports a \(other.kind == 1 ? "table" : "global") `\(other.module).\(other.name)`; contracts may import only functions and env.memory"
            )
        }
        let unknown = inspector.imports.filter { $0.kind == 0 && HostFunctions.definition(module: $0.module, name: $0.name) == nil }
        guard unknown.isEmpty else {
            throw InkCodeError(
                "the module imports functions this host does not provide: \(unknown.map { "\($0.module).\($0.name)" }.joined(separator: ", "))")
        }
        try InstructionCheck.check(wasm)
        let module: Module
        do { module = try parseWasm(bytes: inspector.exportingMutableGlobals(), features: Self.features) } catch {
            throw InkCodeError("the module does not parse: \(error)")
        }
        let code = InkCode(module: module, memoryLimits: limits, mutableGlobals: inspector.mutableGlobalExportNames)
        let first: WarmInstance
        do { first = try code.makeInstance() } catch let error as InkCodeError { throw error } catch {
            throw InkCodeError("the module does not validate: \(error)")
        }
        code.pool.append(first)
        return code
    }

    /// One instance with what is needed to put it back to its initial state.
    final class WarmInstance {
        let store: Store
        let instance: Instance
        let context: InstanceContext
        let memory: Memory
        let deploy: Function
        let call: Function
        let initialMemory: [UInt8]
        let globals: [(Global, Value)]
        var dirty = false

        init(store: Store, instance: Instance, context: InstanceContext, memory: Memory, mutableGlobals: [String]) throws {
            self.store = store
            self.instance = instance
            self.context = context
            self.memory = memory
            guard let deploy = instance.exports[function: "deploy"], let call = instance.exports[function: "call"] else {
                throw InkCodeError("the module's `deploy` or `call` export is not a function")
            }
            self.deploy = deploy
            self.call = call
            initialMemory = memory.data
            globals = mutableGlobals.compactMap { name in instance.exports[global: name].map { ($0, $0.value) } }
        }

        func reset() -> Bool {
            guard dirty else { return true }
            guard memory.byteCount == initialMemory.count else { return false }
            memory.withUnsafeMutableBufferPointer(offset: 0, count: initialMemory.count) { $0.copyBytes(from: initialMemory) }
            for (global, value) in globals { try? global.assign(value) }
            context.inputTaken = false
            dirty = false
            return true
        }

        func discard() { context.memory = nil }
    }

    private func makeInstance() throws -> WarmInstance {
        let store = Store(engine: Self.engine)
        let context = InstanceContext()
        let memory: Memory
        do {
            memory = try Memory(store: store, type: MemoryType(min: memoryLimits.min, max: memoryLimits.max ?? Self.maxMemoryPages))
        } catch { throw InkCodeError("cannot allocate the contract's memory: \(error)") }
        context.memory = memory
        var imports = Imports()
        imports.define(module: "env", name: "memory", memory)
        for entry in module.imports {
            guard case .function = entry.descriptor, let definition = HostFunctions.definition(module: entry.module, name: entry.name) else {
                continue
            }
            imports.define(module: entry.module, name: entry.name, definition.function(store: store, context: context))
        }
        let instance = try module.instantiate(store: store, imports: imports)
        return try WarmInstance(store: store, instance: instance, context: context, memory: memory, mutableGlobals: mutableGlobals)
    }

    /// Makes an instance of the compiled module and drops it: what every call would cost a host
    /// that kept the module but no warm instances (for the benchmarks).
    public func instantiateAfresh() throws {
        try makeInstance().discard()
    }

    private func take() throws -> WarmInstance {
        lock.lock()
        while let warm = pool.popLast() {
            lock.unlock()
            if warm.reset() { return warm }
            warm.discard()
            lock.lock()
        }
        lock.unlock()
        return try makeInstance()
    }

    private func giveBack(_ warm: WarmInstance) {
        lock.lock()
        defer { lock.unlock() }
        if pool.count < Self.maxPooledInstances { pool.append(warm) } else { warm.discard() }
    }

    /// Runs `entry` with `input`. Returns the output (from `seal_return`, or empty when the export
    /// simply returns) and whether it reverted; throws `InkTrap` for a trap or running out of gas.
    public func execute(_ entry: InkEntry, input: [UInt8], environment: InkEnvironment, gasLimit: UInt64) throws -> InkExecution {
        let warm = try take()
        warm.dirty = true
        warm.context.environment = environment
        warm.context.input = input
        warm.store.fuel = Fuel(remaining: gasLimit)
        var healthy = true
        defer {
            warm.context.environment = nil
            if healthy { giveBack(warm) } else { warm.discard() }
        }
        func used() -> UInt64 { gasLimit - min(gasLimit, warm.store.fuel?.remaining ?? 0) }
        // A query's deadline empties the fuel from outside (see DeadlineWatch); the watch ends
        // before the instance can go back to the pool.
        let watch = environment.deadline.map { DeadlineWatch.shared.watch(warm.store, until: $0) }
        var fuelAtDeadline: UInt64?
        var stoppedAtDeadline: Bool { fuelAtDeadline != nil }
        func endWatch() {
            if let watch { fuelAtDeadline = DeadlineWatch.shared.end(watch) }
        }
        func pastDeadline() -> InkTrap {
            InkTrap(reason: "past the deadline", isPastDeadline: true, gasUsed: fuelAtDeadline.map { gasLimit - min(gasLimit, $0) } ?? used())
        }
        do {
            _ = try (entry == .deploy ? warm.deploy : warm.call).invoke([])
            endWatch()
            return InkExecution(output: [], reverted: false, gasUsed: used())
        } catch let stop as HostStop {
            endWatch()
            switch stop {
            case let .returned(flags, data):
                return InkExecution(output: data, reverted: flags & 1 != 0, gasUsed: used())
            case .terminated:
                return InkExecution(output: [], reverted: false, gasUsed: used())
            case let .trap(reason):
                healthy = false
                throw InkTrap(reason: reason, gasUsed: used())
            case .outOfGas:
                healthy = false
                if stoppedAtDeadline { throw pastDeadline() }
                throw InkTrap(reason: "out of gas", isOutOfGas: true, gasUsed: gasLimit)
            case .pastDeadline:
                healthy = false
                throw pastDeadline()
            }
        } catch let trap as InkTrap {
            endWatch()
            healthy = false
            throw trap
        } catch {
            endWatch()
            healthy = false
            // WasmKit appends a backtrace with host addresses; receipts keep only the reason.
            let text = String(String(describing: error).split(separator: "\n").first ?? "")
            if text.contains("out of fuel") {
                if stoppedAtDeadline { throw pastDeadline() }
                throw InkTrap(reason: "out of gas", isOutOfGas: true, gasUsed: gasLimit)
            }
            throw InkTrap(reason: text, gasUsed: used())
        }
    }
}
