extension FatHost {
    /// Benchmarks only: puts `count` storage entries (`entry(i)` for i in 0..<count) into
    /// `contract`'s storage, in store transactions of `chunk` entries, through the same path a
    /// command's writes take (digest, seal, cache) — but logs nothing, so `verify` reports that
    /// the state no longer follows from the log. What builds a state of millions of keys in
    /// minutes rather than replaying millions of commands.
    package func fillStorage(of contract: AccountId, count: Int, chunk: Int = 20_000, entry: (Int) -> (key: [UInt8], value: [UInt8])) throws {
        guard try self.contract(contract) != nil else { throw FatError(.unknownContract, "no contract at \(contract)") }
        var done = 0
        while done < count {
            let end = min(count, done + max(1, chunk))
            try committed.write { _, world in
                var world = world
                for index in done ..< end {
                    let (key, value) = entry(index)
                    world.setStorage(contract, key, value)
                }
                return ((), world)
            }
            done = end
        }
    }
}
