import FatStore

/// Writes what a batch changed into the store, inside the batch's transaction, and carries the
/// state summary forward: each changed element leaves the digest with its old value and enters
/// it with its new one, so the root costs O(changes), never O(state).
enum StateFlush {
    /// Persists `world`'s changes over its base (the state `summary` describes); answers the
    /// summary after them and the changes the cache must learn of.
    static func flush(_ world: WorldState, from summary: StateSummary, into writer: StoreWriter) throws -> (StateSummary, StateChanges) {
        var next = summary
        next.seq = world.seq
        next.timestampMs = world.timestampMs
        var changes = StateChanges()
        let base = world.base
        let changed = world.changes

        // Contracts first: a removed contract's storage leaves the digest and the store before
        // the batch's own writes (to a contract put again at the same address) go in.
        for (address, change) in changed.contracts {
            let old: ContractState? =
                if case let .contract(state) = base.read(.contract(address)) { state } else { nil }
            if change.cleared, old != nil {
                try base.forEachStorageEntry(of: address) { key, value in
                    next.digest.remove(StateElement.storage(address, key: key, value: value))
                }
                try FatHost.wrapStore { try writer.removeContract(address.bytes) }
                changes.clearedContracts.insert(address)
            }
            if let old {
                next.digest.remove(StateElement.contract(address, codeHash: old.codeHash))
                next.contractCount = next.contractCount > 0 ? next.contractCount - 1 : 0
            }
            if let state = change.state {
                next.digest.insert(StateElement.contract(address, codeHash: state.codeHash))
                next.contractCount += 1
                try FatHost.wrapStore {
                    try writer.putContract(ContractRecord(address: address.bytes, codeHash: state.codeHash, info: state.info))
                }
            } else if old != nil, !change.cleared {
                try FatHost.wrapStore { try writer.removeContract(address.bytes) }
            }
            changes.values.append((.contract(address), .contract(change.state)))
        }

        for (slot, value) in changed.storage {
            let cleared = changes.clearedContracts.contains(slot.contract)
            let old: [UInt8]? =
                if cleared { nil } else if case let .storage(stored) = base.read(.storage(slot.contract, slot.key)) { stored } else { nil }
            if old == value, !cleared { continue }
            if let old { next.digest.remove(StateElement.storage(slot.contract, key: slot.key.bytes, value: old)) }
            if let value { next.digest.insert(StateElement.storage(slot.contract, key: slot.key.bytes, value: value)) }
            try FatHost.wrapStore { try writer.setStorage(contract: slot.contract.bytes, key: slot.key.bytes, value: value) }
            changes.values.append((.storage(slot.contract, slot.key), .storage(value)))
        }

        if let ledger = changed.ledger {
            // Code and metadata rows went in with the commands that brought them (they carry
            // the bytes); here they join the digest and the cache.
            for (hash, info) in ledger.codes {
                next.digest.insert(StateElement.code(hash.bytes, kind: info.kind))
                changes.values.append((.code(hash), .code(info)))
            }
            for hash in ledger.metadata { changes.values.append((.metadata(hash), .metadata(true))) }
            for (account, nonce) in ledger.nonces {
                try FatHost.wrapStore { try writer.putNonce(account: account.bytes, nonce: nonce) }
                changes.values.append((.nonce(account), .nonce(nonce)))
            }
        }
        if let failure = base.failure { throw FatError(wrapping: failure) }
        try FatHost.wrapStore { try writer.setStateSummary(next.encoded) }
        return (next, changes)
    }
}
