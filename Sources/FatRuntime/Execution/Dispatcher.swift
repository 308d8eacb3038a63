import FatCodec
import FatCrypto
import FatStore

/// The one path every call takes, whatever the kind of either contract: top-level commands and
/// queries, native→native, native→ink!, ink!→native and ink!→ink! calls.
///
/// A call runs in a fresh frame on top of a checkpoint of the transaction; if the callee reverts
/// or fails, the transaction returns to the checkpoint, so the callee's writes and events vanish
/// while the caller's survive. **Thread-safe**: it holds no per-call state.
package final class Dispatcher: Sendable {
    /// Frames deeper than this fail with `depth_exceeded` (the top-level call is depth 1).
    public static let maxDepth = 8
    /// Gas charged for entering a frame, whatever the engine.
    static let callBaseGas: UInt64 = 10_000
    let codes: CodeCache
    let capabilities: Capabilities

    /// Reads committed code for queries.
    let fetchCommitted: @Sendable (CodeHash) throws -> CodeRecord?

    init(codes: CodeCache, capabilities: Capabilities, fetchCommitted: @escaping @Sendable (CodeHash) throws -> CodeRecord?) {
        self.codes = codes
        self.capabilities = capabilities
        self.fetchCommitted = fetchCommitted
    }

    /// Calls `callee` with `input` (selector + SCALE args).
    func call(
        _ tx: Transaction, caller: AccountId?, callee: AccountId, input: [UInt8], value: UInt128, depth: Int,
        gasLimit: UInt64?
    ) -> CallResult {
        let gasBefore = tx.gasUsed
        func fail(_ error: FatError) -> CallResult {
            CallResult(output: [], outcome: .failed(error), gasUsed: tx.gasUsed - gasBefore)
        }
        guard depth <= Self.maxDepth else {
            return fail(FatError(.depthExceeded, "call depth limit of \(Self.maxDepth) reached calling \(callee)"))
        }
        // No frame starts after a query's deadline, the first one included.
        if let deadline = tx.deadline, ContinuousClock.now > deadline {
            return fail(FatError(.deadlineExceeded, "the query ran past its deadline"))
        }
        guard let contract = tx.world.contract(callee) else {
            return fail(FatError(.unknownContract, "no contract at \(callee)"))
        }
        let code: PreparedCode
        do { code = try loadCode(contract.codeHash, in: tx, ofAContract: true) } catch { return fail(FatError(wrapping: error)) }
        let frame = CallFrame(
            transaction: tx, dispatcher: self, address: callee, codeHash: contract.codeHash, caller: caller,
            value: value, depth: depth, entry: .message)
        return run(code, .message, input: input, frame: frame, gasLimit: gasLimit, gasBefore: gasBefore)
    }

    /// Deploys code `codeHash` by running its constructor; the address follows pallet-contracts.
    func instantiate(
        _ tx: Transaction, deployer: AccountId, codeHash: CodeHash, metadataHash: MetadataHash? = nil, input: [UInt8],
        salt: [UInt8], value: UInt128, depth: Int, gasLimit: UInt64?
    ) -> (address: AccountId, result: CallResult) {
        let address = Self.contractAddress(deployer: deployer, codeHash: codeHash, input: input, salt: salt)
        let gasBefore = tx.gasUsed
        func fail(_ error: FatError) -> (AccountId, CallResult) {
            (address, CallResult(output: [], outcome: .failed(error), gasUsed: tx.gasUsed - gasBefore))
        }
        guard depth <= Self.maxDepth else {
            return fail(FatError(.depthExceeded, "call depth limit of \(Self.maxDepth) reached deploying code \(codeHash.hexString)"))
        }
        guard tx.world.contract(address) == nil else {
            return fail(FatError(.alreadyExists, "a contract already exists at \(address) (same deployer, code, input and salt); use another salt"))
        }
        let code: PreparedCode
        do { code = try loadCode(codeHash, in: tx) } catch { return fail(FatError(wrapping: error)) }
        let checkpoint = tx.checkpoint()
        tx.world.setContract(address, ContractState(codeHash: codeHash, deployer: deployer, deployedAt: tx.seq, metadataHash: metadataHash))
        let frame = CallFrame(
            transaction: tx, dispatcher: self, address: address, codeHash: codeHash, caller: deployer,
            value: value, depth: depth, entry: .constructor)
        let result = run(code, .constructor, input: input, frame: frame, gasLimit: gasLimit, gasBefore: gasBefore)
        if !result.outcome.isSuccess { tx.restore(checkpoint) }
        return (address, result)
    }

    func run(
        _ code: PreparedCode, _ entry: Entry, input: [UInt8], frame: CallFrame, gasLimit: UInt64?,
        gasBefore: UInt64
    ) -> CallResult {
        let tx = frame.transaction
        let checkpoint = tx.checkpoint()
        tx.stack.append(frame.address)
        defer { tx.stack.removeLast() }
        do {
            try tx.charge(Self.callBaseGas)
            let result = try execute(code, entry, input: input, frame: frame)
            let used = tx.gasUsed - gasBefore
            if let gasLimit, used > gasLimit {
                throw FatError(.outOfGas, "the call used \(used) gas, over the limit of \(gasLimit) its caller gave it")
            }
            if result.reverted || frame.revertRequested {
                tx.restore(checkpoint)
                return CallResult(output: result.output, outcome: .reverted, gasUsed: used)
            }
            return CallResult(output: result.output, outcome: .success, gasUsed: used)
        } catch {
            tx.restore(checkpoint)
            return CallResult(output: frame.output, outcome: .failed(FatError(wrapping: error)), gasUsed: tx.gasUsed - gasBefore)
        }
    }

    /// Runs the code. A native call in a command whose outcome the machine decided (a crash, a
    /// deadline) is recorded for the log entry; in a replay, a recorded outcome is taken instead
    /// of running the call (see `MachineOutcomes`).
    private func execute(_ code: PreparedCode, _ entry: Entry, input: [UInt8], frame: CallFrame) throws -> ExecutionResult {
        let tx = frame.transaction
        guard code.kind == .native, tx.kind == .command else { return try code.execute(entry, input: input, frame: frame) }
        let (number, recorded) = tx.machineOutcomes.startCall()
        if let recorded { throw recorded }
        do {
            return try code.execute(entry, input: input, frame: frame)
        } catch let error as FatError where error.dependsOnTheMachine {
            tx.machineOutcomes.record(error, forCall: number)
            throw error
        }
    }

    /// The prepared code for `hash`, which the transaction's world must hold: code known to this
    /// process but not stored by a logged command (code only staged, say) does not run, so a
    /// replay from the log finds everything the live run found.
    ///
    /// `ofAContract`: a contract runs `hash`, and a contract exists only with stored code, so
    /// cached code is taken as it is (the hot path of every call skips the state lookup): the
    /// bytes of a hash load as one kind of code or none.
    func loadCode(_ hash: CodeHash, in tx: Transaction, ofAContract: Bool = false) throws -> PreparedCode {
        if ofAContract, let code = codes.cached(hash) { return code }
        guard let info = tx.world.code(hash) else {
            throw FatError(.unknownCode, "no code with hash 0x\(hash.hexString) is stored")
        }
        if let code = codes.cached(hash, kind: info.kind) { return code }
        if let attached = tx.attachedCode, attached.kind == info.kind, attached.codeHash == hash {
            return try codes.prepare(kind: attached.kind, hash: hash, bytes: attached.bytes)
        }
        guard let record = try FatHost.wrapStore({ try (tx.fetchCode ?? fetchCommitted)(hash) }) else {
            throw FatError(.storeCorrupt, "code 0x\(hash.hexString) is in the state but not in the store")
        }
        guard record.kind == info.kind.rawValue else {
            throw FatError(.storeCorrupt, "code 0x\(hash.hexString) is stored as \(record.kind) but the state says \(info.kind.rawValue)")
        }
        return try codes.code(record)
    }

    /// `BLAKE2b-256(SCALE(b"contract_addr_v1", deployer, code_hash, input, salt))`, pallet-contracts'
    /// default address generator, so ink! tooling computes the same addresses.
    public static func contractAddress(deployer: AccountId, codeHash: CodeHash, input: [UInt8], salt: [UInt8]) -> AccountId {
        var encoder = ScaleEncoder()
        encoder.appendBytes(Array("contract_addr_v1".utf8))
        encoder.appendBytes(deployer.bytes)
        encoder.appendBytes(codeHash)
        encoder.appendByteVector(input)
        encoder.appendByteVector(salt)
        return AccountId(unchecked: Blake2b.hash256(encoder.bytes))
    }
}
