import FatCodec
import FatCrypto
import FatRuntime

extension SubstrateNode {
    /// `author_submitExtrinsic` / `author_submitAndWatchExtrinsic`: checks the extrinsic as a
    /// node's pool would (format, era, signature, nonce, call) and refuses it with 1010 and the
    /// reason before anything is logged; otherwise it becomes a command. Watching, the session
    /// gets `"ready"`, then `{"inBlock": hash}` and `{"finalized": hash}` once the command is
    /// durable and applied (every block is final when it exists), or `"dropped"` when the log
    /// refused it after all (a race on the nonce).
    func submit(_ p: Parameters, session: NodeSession, watch: Bool) async throws -> Reply {
        let bytes = try p.requiredBytes(0, "extrinsic", limit: maxRequestBytes)
        let command = try await run { try self.accept(bytes) }
        let hash = Blake2b.hash256(bytes)
        guard watch else {
            _ = try await commit(command, session: session)
            return Reply(result: Hex.json(hash))
        }
        let id = try session.subscribe()
        return Reply(result: .string(id)) { [self] in
            session.notify("author_extrinsicUpdate", subscription: id, result: .string("ready"))
            guard let receipt = try? await commit(command, session: session),
                let block = try? await run({ try self.chain.hash(UInt32(clamping: receipt.seq)) })
            else {
                session.notify("author_extrinsicUpdate", subscription: id, result: .string("dropped"))
                return
            }
            session.notify("author_extrinsicUpdate", subscription: id, result: .object([("inBlock", Hex.json(block))]))
            session.notify("author_extrinsicUpdate", subscription: id, result: .object([("finalized", Hex.json(block))]))
        }
    }

    private func commit(_ command: Command, session: NodeSession) async throws -> Receipt {
        do {
            let receipt = try await host.submit(command)
            session.submitted(receipt.seq)
            return receipt
        } catch {
            throw Self.invalid(error)
        }
    }

    /// The command an extrinsic asks for, once the pool's checks pass.
    func accept(_ bytes: [UInt8]) throws -> Command {
        let extrinsic: Extrinsic
        do { extrinsic = try Extrinsic.decode(bytes) } catch { throw RPCError.invalid("Could not decode the extrinsic: \(error.description)") }
        // A node validates a transaction as if in the next block.
        let current = UInt64(chain.bestNumber) + 1
        if extrinsic.era.death(current: current) <= current { throw RPCError.invalid("Transaction is outdated: its mortal era has ended") }
        let birth = extrinsic.era.birth(current: current)
        guard let birthHash = try chain.hash(UInt32(clamping: birth)) else {
            throw RPCError(
                RPCError.unknownTransaction, "Unknown Transaction Validity",
                data: "its era starts at block \(birth), which this chain does not have yet")
        }
        // The signature is checked once, by the host, when the command is submitted (and once more
        // before that when it brings code to prepare, as on /v1).
        let proof = ExtrinsicProof(extrinsic: extrinsic, additional: ExtrinsicProof.additional(genesisHash: chain.genesisHash, birthHash: birthHash))
        let next = try host.lastNonce(of: extrinsic.signer)
        if UInt64(extrinsic.nonce) < next {
            throw RPCError.invalid("Transaction is outdated: nonce \(extrinsic.nonce) was used; the account's next is \(next)")
        }
        if UInt64(extrinsic.nonce) > next {
            throw RPCError.invalid("Transaction will be valid in the future: nonce \(extrinsic.nonce), but the account's next is \(next)")
        }
        let command: Command
        do { command = try proof.command(gasCap: host.limits.maxCommandGas) } catch {
            throw RPCError.invalid("Transaction call is not expected: \(error.description)")
        }
        if command.code != nil {
            do { try host.check(command) } catch { throw Self.invalid(error) }
        }
        return command
    }

    static func invalid(_ error: Error) -> RPCError {
        if let rpc = error as? RPCError { return rpc }
        let fat = FatError(wrapping: error)
        if fat.code == .workerUnavailable || fat.code == .internalError || fat.code == .store {
            return RPCError(RPCError.poolFull, "Transaction could not be accepted now", data: fat.message)
        }
        return RPCError.invalid(fat.message)
    }
}
