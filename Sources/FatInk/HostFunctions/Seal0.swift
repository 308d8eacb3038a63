import FatCrypto
import WasmKit

/// `seal0`: the original pallet-contracts host API (fixed 32-byte storage keys).
enum Seal0 {
    static func storageKey32(_ context: InstanceContext, _ pointer: UInt32) throws -> [UInt8] { try context.read(pointer, 32) }

    static func variableKey(_ context: InstanceContext, _ pointer: UInt32, _ length: UInt32) throws -> [UInt8] {
        guard length <= UInt32(HostFunctions.maxStorageKeyLength) else {
            throw HostStop.trap("storage key of \(length) bytes exceeds \(HostFunctions.maxStorageKeyLength)")
        }
        return try context.read(pointer, length)
    }

    /// Writes a SCALE value through the output protocol: (out_ptr, out_len_ptr).
    static func output(_ value: @escaping @Sendable (InkEnvironment) throws -> [UInt8]) -> HostDefinition {
        define([i32, i32]) { context, args, _ in
            try context.writeOutput(args.u32(0), args.u32(1), try value(try context.env()))
            return []
        }
    }

    static func hash(_ function: @escaping @Sendable ([UInt8]) -> [UInt8]) -> HostDefinition {
        define([i32, i32, i32], weight: 2_000) { context, args, _ in
            let input = try context.read(args.u32(0), args.u32(1))
            try context.charge(HostWeights.hashed(input.count))
            try context.write(args.u32(2), function(input))
            return []
        }
    }

    /// Runs a call and reports it the pallet's way: a return code, and the output written on
    /// success or revert.
    static func report(_ result: InkCallResult, _ context: InstanceContext, _ store: Store, out: UInt32, outLength: UInt32) throws -> [Value] {
        try HostFunctions.charge(store, result.gasUsed)
        switch result.status {
        case .returned:
            try context.writeOutput(out, outLength, result.output, allowSkip: true)
            return code(.success)
        case .reverted:
            try context.writeOutput(out, outLength, result.output, allowSkip: true)
            return code(.calleeReverted)
        case let .trapped(reason):
            context.environment?.debugMessage("callee failed: \(reason)")
            return code(.calleeTrapped)
        }
    }

    static func remainingGas(_ store: Store, _ requested: UInt64) -> UInt64 {
        let left = store.fuel?.remaining ?? .max
        return requested == 0 ? left : min(requested, left)
    }

    static let functions: [String: HostDefinition] = [
        "input": define([i32, i32]) { context, args, _ in
            guard !context.inputTaken else { throw HostStop.trap("the input was already read (input can be read once)") }
            context.inputTaken = true
            try context.writeOutput(args.u32(0), args.u32(1), context.input)
            return []
        },
        "return": define([i32, i32, i32]) { context, args, _ in
            throw HostStop.returned(flags: args.u32(0), data: try context.read(args.u32(1), args.u32(2)))
        },
        "set_storage": define([i32, i32, i32], weight: 5_000) { context, args, _ in
            _ = try context.storageSet(try storageKey32(context, args.u32(0)), try context.read(args.u32(1), args.u32(2)))
            return []
        },
        "get_storage": define([i32, i32, i32], [i32], weight: 5_000) { context, args, _ in
            guard let value = try context.env().storageGet(try storageKey32(context, args.u32(0))) else { return code(.keyNotFound) }
            try context.writeOutput(args.u32(1), args.u32(2), value)
            return code(.success)
        },
        "clear_storage": define([i32], weight: 5_000) { context, args, _ in
            _ = try context.storageSet(try storageKey32(context, args.u32(0)), nil)
            return []
        },
        "contains_storage": define([i32], [i32], weight: 5_000) { context, args, _ in
            let size = try context.env().storageGet(try storageKey32(context, args.u32(0)))?.count
            return [.i32(size.map { UInt32($0) } ?? HostFunctions.sentinel)]
        },
        "take_storage": define([i32, i32, i32, i32], [i32], weight: 5_000) { context, args, _ in
            let environment = try context.env()
            let key = try variableKey(context, args.u32(0), args.u32(1))
            guard let value = environment.storageGet(key) else { return code(.keyNotFound) }
            _ = environment.storageSet(key, nil)
            try context.writeOutput(args.u32(2), args.u32(3), value)
            return code(.success)
        },
        "caller": output { $0.caller },
        "address": output { $0.address },
        "value_transferred": output { le($0.valueTransferred) },
        "balance": output { le($0.balance) },
        "minimum_balance": output { le($0.minimumBalance()) },
        "block_number": output { le(UInt32(truncatingIfNeeded: $0.blockNumber)) },
        "now": output { le($0.timestampMs) },
        "gas_left": define([i32, i32]) { context, args, store in
            try context.writeOutput(args.u32(0), args.u32(1), le(store.fuel?.remaining ?? 0))
            return []
        },
        "weight_to_fee": define([i64, i32, i32]) { context, args, _ in
            try context.writeOutput(args.u32(1), args.u32(2), le(UInt128(0)))
            return []
        },
        "own_code_hash": output { $0.codeHash },
        "caller_is_origin": define([], [i32]) { context, _, _ in [.i32(try context.env().callerIsOrigin ? 1 : 0)] },
        "is_contract": define([i32], [i32]) { context, args, _ in
            [.i32(try context.env().isContract(try context.read(args.u32(0), 32)) ? 1 : 0)]
        },
        "code_hash": define([i32, i32, i32], [i32]) { context, args, _ in
            guard let hash = try context.env().codeHash(of: try context.read(args.u32(0), 32)) else { return code(.keyNotFound) }
            try context.writeOutput(args.u32(1), args.u32(2), hash)
            return code(.success)
        },
        "set_code_hash": define([i32], [i32]) { context, args, _ in
            do { try context.env().setCodeHash(try context.read(args.u32(0), 32)) } catch HostStop.trap {
                throw HostStop.trap("set_code_hash: bad pointer")
            } catch {
                return code(.codeNotFound)
            }
            return code(.success)
        },
        "hash_blake2_256": hash { Blake2b.hash256($0) },
        "hash_blake2_128": hash { Blake2b.hash128($0) },
        "hash_sha2_256": hash { SHA256.hash($0) },
        "hash_keccak_256": hash { Keccak256.hash($0) },
        "deposit_event": define([i32, i32, i32, i32], weight: 5_000) { context, args, _ in
            let encoded = try context.read(args.u32(0), args.u32(1))
            var topics: [[UInt8]] = []
            if !encoded.isEmpty {
                // A SCALE Vec<[u8; 32]>: compact count, then the topics.
                let count: Int
                var offset: Int
                switch encoded[0] & 3 {
                case 0: (count, offset) = (Int(encoded[0] >> 2), 1)
                case 1 where encoded.count >= 2: (count, offset) = (Int((UInt16(encoded[0]) | UInt16(encoded[1]) << 8) >> 2), 2)
                default: throw HostStop.trap("deposit_event: malformed topic list")
                }
                guard count <= HostFunctionLimits.maxEventTopics, encoded.count == offset + count * 32 else {
                    throw HostStop.trap(
                        "deposit_event: \(count) topics do not fit the \(encoded.count)-byte list (at most \(HostFunctionLimits.maxEventTopics))")
                }
                for _ in 0 ..< count {
                    topics.append(Array(encoded[offset ..< offset + 32]))
                    offset += 32
                }
            }
            try HostFunctionLimits.checkPayload(Int(args.u32(3)), "deposit_event: a payload")
            let data = try context.read(args.u32(2), args.u32(3))
            try context.charge(HostWeights.emitted(encoded.count + data.count))
            try context.env().depositEvent(topics: topics, data: data)
            return []
        },
        "debug_message": define([i32, i32], [i32]) { context, args, _ in
            let bytes = try context.read(args.u32(0), args.u32(1))
            guard let text = String(validating: bytes, as: UTF8.self) else { throw HostStop.trap("debug_message: the message is not valid UTF-8") }
            try context.env().debugMessage(text)
            return code(.success)
        },
        "random": define([i32, i32, i32, i32]) { context, args, _ in
            let subject = try context.read(args.u32(0), args.u32(1))
            try context.writeOutput(args.u32(2), args.u32(3), try context.env().random(subject: subject))
            return []
        },
        "reentrance_count": define([], [i32]) { context, _, _ in [.i32(try context.env().reentranceCount())] },
        "account_reentrance_count": define([i32], [i32]) { context, args, _ in
            [.i32(try context.env().accountReentranceCount(try context.read(args.u32(0), 32)))]
        },
        "transfer": define([i32, i32, i32, i32], [i32]) { context, args, _ in
            let to = try context.read(args.u32(0), args.u32(1))
            let value = try context.read(args.u32(2), args.u32(3)).enumerated().reduce(UInt128(0)) { $0 | UInt128($1.element) << (8 * $1.offset) }
            do { try context.env().transfer(to: to, value: value) } catch { return code(.transferFailed) }
            return code(.success)
        },
        "terminate": define([i32, i32]) { context, args, _ in
            try context.env().terminate(beneficiary: try context.read(args.u32(0), args.u32(1)))
            throw HostStop.terminated
        },
        "call_chain_extension": define([i32, i32, i32, i32, i32], [i32], weight: 5_000) { context, args, _ in
            let input = try context.read(args.u32(1), args.u32(2))
            // An extension decodes, and may hash or sign, all it is given.
            try context.charge(HostWeights.processed(input.count))
            let (returnCode, output) = try context.env().chainExtension(id: args.u32(0), input: input)
            try context.writeOutput(args.u32(3), args.u32(4), output, allowSkip: true)
            return [.i32(returnCode)]
        },
        "call_runtime": define([i32, i32], [i32]) { _, _, _ in code(.callRuntimeFailed) },
        // ecdsa_recover(signature_ptr (65 bytes), message_hash_ptr (32), output_ptr (33))
        "ecdsa_recover": define([i32, i32, i32], [i32], weight: 50_000) { context, args, _ in
            guard let key = Secp256k1.recover(signature: try context.read(args.u32(0), 65), messageHash: try context.read(args.u32(1), 32)) else {
                return code(.ecdsaRecoverFailed)
            }
            try context.write(args.u32(2), key)
            return code(.success)
        },
        // ecdsa_to_eth_address(key_ptr (33 bytes), output_ptr (20))
        "ecdsa_to_eth_address": define([i32, i32], [i32], weight: 10_000) { context, args, _ in
            guard let address = Secp256k1.ethereumAddress(compressedPublicKey: try context.read(args.u32(0), 33)) else {
                return code(.ecdsaRecoverFailed)
            }
            try context.write(args.u32(1), address)
            return code(.success)
        },
        // sr25519_verify(signature_ptr (64 bytes), pub_key_ptr (32), message_len, message_ptr), in
        // the "substrate" signing context. The message is hashed into the transcript, so it is
        // charged per byte, as pallet-contracts does.
        "sr25519_verify": define([i32, i32, i32, i32], [i32], weight: 50_000) { context, args, store in
            try HostFunctions.charge(store, UInt64(args.u32(2)) * 10)
            let signature = try context.read(args.u32(0), 64)
            let publicKey = try context.read(args.u32(1), 32)
            let message = try context.read(args.u32(3), args.u32(2))
            guard Sr25519.verify(signature: signature, message: message, publicKey: publicKey, context: Sr25519.substrateContext) else {
                return code(.sr25519VerifyFailed)
            }
            return code(.success)
        },
        // call(callee_ptr, callee_len, gas, value_ptr, value_len, input_ptr, input_len, out_ptr, out_len_ptr)
        "call": define([i32, i32, i64, i32, i32, i32, i32, i32, i32], [i32], weight: 10_000) { context, args, store in
            let callee = try context.read(args.u32(0), args.u32(1))
            let value = try context.readU128(args.u32(3))
            let input = try context.read(args.u32(5), args.u32(6))
            // As pallet-contracts: a value beyond the balance is TransferFailed, not a trap.
            if value > (try context.env().balance) { return code(.transferFailed) }
            let result = try context.env().call(
                callee: callee, input: input, value: value, gasLimit: remainingGas(store, args.u64(2)), allowReentry: true)
            return try report(result, context, store, out: args.u32(7), outLength: args.u32(8))
        },
        // instantiate(code_hash_ptr, code_hash_len, gas, value_ptr, value_len, input_ptr, input_len, address_ptr, address_len_ptr, out_ptr, out_len_ptr, salt_ptr, salt_len)
        "instantiate": define([i32, i32, i64, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32], [i32], weight: 20_000) { context, args, store in
            try Seal1.instantiate(
                context, store, codeHash: try context.read(args.u32(0), args.u32(1)), gas: args.u64(2), value: args.u32(3),
                input: args.u32(5), inputLength: args.u32(6), address: args.u32(7), addressLength: args.u32(8),
                out: args.u32(9), outLength: args.u32(10), salt: args.u32(11), saltLength: args.u32(12))
        },
        // delegate_call(flags, code_hash_ptr, input_ptr, input_len, out_ptr, out_len_ptr)
        "delegate_call": define([i32, i32, i32, i32, i32, i32], [i32], weight: 10_000) { context, args, store in
            let hash = try context.read(args.u32(1), 32)
            let input = try context.read(args.u32(2), args.u32(3))
            guard try context.env().codeHashExists(hash) else { return code(.codeNotFound) }
            let result = try context.env().delegateCall(codeHash: hash, input: input, gasLimit: remainingGas(store, 0))
            return try report(result, context, store, out: args.u32(4), outLength: args.u32(5))
        },
    ]
}
