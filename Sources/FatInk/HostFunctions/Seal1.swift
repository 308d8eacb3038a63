import WasmKit

/// `seal1`: variable-length storage keys (ink! 4+) and the flag-based `call`.
enum Seal1 {
    /// `call` flags.
    static let forwardInput: UInt32 = 1, cloneInput: UInt32 = 2, tailCall: UInt32 = 4, allowReentry: UInt32 = 8

    /// `call` with flags, shared by `seal1.call` and `seal2.call` (whose extra weight and
    /// deposit limits collapse into one gas limit here).
    static func flaggedCall(
        _ context: InstanceContext, _ store: Store, flags: UInt32, callee calleePointer: UInt32, gas: UInt64, value valuePointer: UInt32,
        input inputPointer: UInt32, inputLength: UInt32, out: UInt32, outLength: UInt32
    ) throws -> [Value] {
        guard flags & ~(forwardInput | cloneInput | tailCall | allowReentry) == 0 else { throw HostStop.trap("call: unknown flags \(flags)") }
        let callee = try context.read(calleePointer, 32)
        let value = try context.readU128(valuePointer)
        var input: [UInt8]
        if flags & forwardInput != 0 {
            guard !context.inputTaken else { throw HostStop.trap("call: the input was already read and cannot be forwarded") }
            context.inputTaken = true
            input = context.input
        } else if flags & cloneInput != 0 {
            input = context.input
        } else {
            input = try context.read(inputPointer, inputLength)
        }
        if value > (try context.env().balance) { return code(.transferFailed) }
        let result = try context.env().call(
            callee: callee, input: input, value: value, gasLimit: Seal0.remainingGas(store, gas),
            allowReentry: flags & allowReentry != 0)
        if flags & tailCall != 0 {
            try HostFunctions.charge(store, result.gasUsed)
            if case let .trapped(reason) = result.status { throw HostStop.trap("tail call failed: \(reason)") }
            throw HostStop.returned(flags: result.status == .reverted ? 1 : 0, data: result.output)
        }
        return try Seal0.report(result, context, store, out: out, outLength: outLength)
    }

    /// `instantiate` in every version: deploys code through the host and reports the new address.
    static func instantiate(
        _ context: InstanceContext, _ store: Store, codeHash: [UInt8], gas: UInt64, value valuePointer: UInt32,
        input inputPointer: UInt32, inputLength: UInt32, address: UInt32, addressLength: UInt32,
        out: UInt32, outLength: UInt32, salt saltPointer: UInt32, saltLength: UInt32
    ) throws -> [Value] {
        let value = try context.readU128(valuePointer)
        let input = try context.read(inputPointer, inputLength)
        let salt = try context.read(saltPointer, saltLength)
        guard try context.env().codeHashExists(codeHash) else { return code(.codeNotFound) }
        if value > (try context.env().balance) { return code(.transferFailed) }
        let (deployed, result) = try context.env().instantiate(
            codeHash: codeHash, input: input, salt: salt, value: value,
            gasLimit: Seal0.remainingGas(store, gas))
        if result.status == .returned { try context.writeOutput(address, addressLength, deployed, allowSkip: true) }
        return try Seal0.report(result, context, store, out: out, outLength: outLength)
    }

    static let functions: [String: HostDefinition] = [
        "set_storage": define([i32, i32, i32], [i32], weight: 5_000) { context, args, _ in
            let previous = try context.storageSet(try Seal0.storageKey32(context, args.u32(0)), try context.read(args.u32(1), args.u32(2)))
            return [.i32(previous.map { UInt32($0) } ?? HostFunctions.sentinel)]
        },
        "get_storage": define([i32, i32, i32, i32], [i32], weight: 5_000) { context, args, _ in
            guard let value = try context.env().storageGet(try Seal0.variableKey(context, args.u32(0), args.u32(1))) else {
                return code(.keyNotFound)
            }
            try context.writeOutput(args.u32(2), args.u32(3), value)
            return code(.success)
        },
        "clear_storage": define([i32, i32], [i32], weight: 5_000) { context, args, _ in
            let previous = try context.storageSet(try Seal0.variableKey(context, args.u32(0), args.u32(1)), nil)
            return [.i32(previous.map { UInt32($0) } ?? HostFunctions.sentinel)]
        },
        "contains_storage": define([i32, i32], [i32], weight: 5_000) { context, args, _ in
            let size = try context.env().storageGet(try Seal0.variableKey(context, args.u32(0), args.u32(1)))?.count
            return [.i32(size.map { UInt32($0) } ?? HostFunctions.sentinel)]
        },
        "terminate": define([i32]) { context, args, _ in
            try context.env().terminate(beneficiary: try context.read(args.u32(0), 32))
            throw HostStop.terminated
        },
        "random": define([i32, i32, i32, i32]) { context, args, _ in
            let environment = try context.env()
            let subject = try context.read(args.u32(0), args.u32(1))
            // (output, block number) as pallet-contracts' second version answers.
            try context.writeOutput(
                args.u32(2), args.u32(3), environment.random(subject: subject) + le(UInt32(truncatingIfNeeded: environment.blockNumber)))
            return []
        },
        "gas_left": define([i32, i32]) { context, args, store in
            try context.writeOutput(args.u32(0), args.u32(1), le(store.fuel?.remaining ?? 0))
            return []
        },
        // call(flags, callee_ptr, gas, value_ptr, input_ptr, input_len, out_ptr, out_len_ptr)
        "call": define([i32, i32, i64, i32, i32, i32, i32, i32], [i32], weight: 10_000) { context, args, store in
            try flaggedCall(
                context, store, flags: args.u32(0), callee: args.u32(1), gas: args.u64(2), value: args.u32(3),
                input: args.u32(4), inputLength: args.u32(5), out: args.u32(6), outLength: args.u32(7))
        },
        // instantiate(code_hash_ptr, gas, value_ptr, input_ptr, input_len, address_ptr, address_len_ptr, out_ptr, out_len_ptr, salt_ptr, salt_len)
        "instantiate": define([i32, i64, i32, i32, i32, i32, i32, i32, i32, i32, i32], [i32], weight: 20_000) { context, args, store in
            try instantiate(
                context, store, codeHash: try context.read(args.u32(0), 32), gas: args.u64(1), value: args.u32(2),
                input: args.u32(3), inputLength: args.u32(4), address: args.u32(5), addressLength: args.u32(6),
                out: args.u32(7), outLength: args.u32(8), salt: args.u32(9), saltLength: args.u32(10))
        },
    ]
}

/// `seal2`: `set_storage` with variable-length keys.
enum Seal2 {
    static let functions: [String: HostDefinition] = [
        // instantiate(code_hash_ptr, ref_time, proof_size, deposit_ptr, value_ptr, input_ptr, input_len, address_ptr, address_len_ptr, out_ptr, out_len_ptr, salt_ptr, salt_len)
        "instantiate": define([i32, i64, i64, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32], [i32], weight: 20_000) { context, args, store in
            try Seal1.instantiate(
                context, store, codeHash: try context.read(args.u32(0), 32), gas: args.u64(1), value: args.u32(4),
                input: args.u32(5), inputLength: args.u32(6), address: args.u32(7), addressLength: args.u32(8),
                out: args.u32(9), outLength: args.u32(10), salt: args.u32(11), saltLength: args.u32(12))
        },
        // call(flags, callee_ptr, ref_time_limit, proof_size_limit, deposit_ptr, value_ptr, input_ptr, input_len, out_ptr, out_len_ptr)
        "call": define([i32, i32, i64, i64, i32, i32, i32, i32, i32, i32], [i32], weight: 10_000) { context, args, store in
            try Seal1.flaggedCall(
                context, store, flags: args.u32(0), callee: args.u32(1), gas: args.u64(2), value: args.u32(5),
                input: args.u32(6), inputLength: args.u32(7), out: args.u32(8), outLength: args.u32(9))
        },
        "set_storage": define([i32, i32, i32, i32], [i32], weight: 5_000) { context, args, _ in
            let previous = try context.storageSet(
                try Seal0.variableKey(context, args.u32(0), args.u32(1)), try context.read(args.u32(2), args.u32(3)))
            return [.i32(previous.map { UInt32($0) } ?? HostFunctions.sentinel)]
        },
    ]
}
