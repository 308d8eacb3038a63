import FatCrypto

/// Host operations beyond storage and calls: code hashes, termination, delegate calls and
/// randomness. They serve ink! contracts today and any engine that needs them.
extension CallFrame {
    /// The code hash `account` runs, or nil when it is not a contract.
    public func codeHash(of account: AccountId) -> CodeHash? {
        transaction.world.contract(account)?.codeHash
    }

    /// Whether code with `hash` is known to the host.
    public func codeExists(_ hash: CodeHash) -> Bool { transaction.world.code(hash) != nil }

    /// Removes this contract and all its storage when the command commits.
    public func terminate() {
        transaction.world.setContract(address, nil)
    }

    /// Replaces the code this contract runs from the next call on. Throws when no such code exists.
    public func setCodeHash(_ hash: CodeHash) throws {
        guard transaction.world.code(hash) != nil else { throw FatError(.unknownCode, "no code with hash 0x\(hash.hexString) is stored") }
        guard var contract = transaction.world.contract(address) else { return }
        contract.codeHash = hash
        transaction.world.setContract(address, contract)
    }

    /// Runs code `hash` in this contract's context: same storage, address and caller.
    public func delegateCall(codeHash hash: CodeHash, input: [UInt8]) -> CallResult {
        let result = dispatcher.delegateCall(transaction, frame: self, codeHash: hash, input: input)
        lastCallOutput = result.output
        return result
    }

    /// 32 random bytes: in a command, derived from the command's sequence number and `subject` so
    /// that replay gives the same bytes; in a query, true randomness.
    public func random(subject: [UInt8]) -> [UInt8] {
        switch kind {
        case .query:
            return SecureRandom.bytes(32)
        case .command:
            let seq = withUnsafeBytes(of: transaction.seq.littleEndian) { Array($0) }
            return Blake2b.hash256(Array("fat/random/v1".utf8) + seq + address.bytes + subject)
        }
    }
}

extension Dispatcher {
    func delegateCall(_ tx: Transaction, frame: CallFrame, codeHash: CodeHash, input: [UInt8]) -> CallResult {
        let gasBefore = tx.gasUsed
        guard frame.depth + 1 <= Self.maxDepth else {
            return CallResult(
                output: [], outcome: .failed(FatError(.depthExceeded, "call depth limit of \(Self.maxDepth) reached in a delegate call")), gasUsed: 0)
        }
        let code: PreparedCode
        do { code = try loadCode(codeHash, in: tx) } catch {
            return CallResult(output: [], outcome: .failed(FatError(wrapping: error)), gasUsed: 0)
        }
        let delegate = CallFrame(
            transaction: tx, dispatcher: self, address: frame.address, codeHash: codeHash, caller: frame.caller,
            value: frame.value, depth: frame.depth + 1, entry: .message)
        return run(code, .message, input: input, frame: delegate, gasLimit: nil, gasBefore: gasBefore)
    }
}
