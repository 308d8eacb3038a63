import WasmKit

/// `seal1`: variable-length storage keys (ink! 4+) and the flag-based `call`.
enum Seal1 {
    /// `call` flags.
    static let forwardInput: UInt32 = 1, cloneInput: UInt32 = 2, tailCall: UInt32 = 4, allowReentry: UInt32 = 8

    static let functions: [String: HostDefinition] = [
        "set_storage": define([i32, i32, i32], [i32], weight: 5_000) { context, args, _ in
            let previous = try context.env().storageSet(try Seal0.storageKey32(context, args.u32(0)), try context.read(args.u32(1), args.u32(2)))
            return [.i32(previous.map { UInt32($0) } ?? HostFunctions.sentinel)]
        },
        "get_storage": define([i32, i32, i32, i32], [i32], weight: 5_000) { context, args, _ in
            guard let value = try context.env().storageGet(try Seal0.variableKey(context, args.u32(0), args.u32(1))) else { return code(.keyNotFound) }
            try context.writeOutput(args.u32(2), args.u32(3), value)
            return code(.success)
        },
        "clear_storage": define([i32, i32], [i32], weight: 5_000) { context, args, _ in
            let previous = try context.env().storageSet(try Seal0.variableKey(context, args.u32(0), args.u32(1)), nil)
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
            try context.writeOutput(args.u32(2), args.u32(3), environment.random(subject: subject) + le(UInt32(truncatingIfNeeded: environment.blockNumber)))
            return []
        },
        "gas_left": define([i32, i32]) { context, args, store in
            try context.writeOutput(args.u32(0), args.u32(1), le(store.fuel?.remaining ?? 0))
            return []
        },
        // call(flags, callee_ptr, gas, value_ptr, input_ptr, input_len, out_ptr, out_len_ptr)
        "call": define([i32, i32, i64, i32, i32, i32, i32, i32], [i32], weight: 10_000) { context, args, store in
            let flags = args.u32(0)
            guard flags & ~(forwardInput | cloneInput | tailCall | allowReentry) == 0 else { throw HostStop.trap("call: unknown flags \(flags)") }
            let callee = try context.read(args.u32(1), 32)
            let value = try context.readU128(args.u32(3))
            var input: [UInt8]
            if flags & forwardInput != 0 {
                guard !context.inputTaken else { throw HostStop.trap("call: the input was already read and cannot be forwarded") }
                context.inputTaken = true
                input = context.input
            } else if flags & cloneInput != 0 {
                input = context.input
            } else {
                input = try context.read(args.u32(4), args.u32(5))
            }
            let result = try context.env().call(callee: callee, input: input, value: value, gasLimit: Seal0.remainingGas(store, args.u64(2)),
                                                 allowReentry: flags & allowReentry != 0)
            if flags & tailCall != 0 {
                try HostFunctions.charge(store, result.gasUsed)
                if case let .trapped(reason) = result.status { throw HostStop.trap("tail call failed: \(reason)") }
                throw HostStop.returned(flags: result.status == .reverted ? 1 : 0, data: result.output)
            }
            return try Seal0.report(result, context, store, out: args.u32(6), outLength: args.u32(7))
        },
        // instantiate(code_hash_ptr, gas, value_ptr, input_ptr, input_len, address_ptr, address_len_ptr, out_ptr, out_len_ptr, salt_ptr, salt_len)
        "instantiate": define([i32, i64, i32, i32, i32, i32, i32, i32, i32, i32, i32], [i32], weight: 20_000) { context, args, store in
            let hash = try context.read(args.u32(0), 32)
            let value = try context.readU128(args.u32(2))
            let input = try context.read(args.u32(3), args.u32(4))
            let salt = try context.read(args.u32(9), args.u32(10))
            guard try context.env().isContract(try context.env().address) || true else { return code(.codeNotFound) }
            let (address, result) = try context.env().instantiate(codeHash: hash, input: input, salt: salt, value: value,
                                                                   gasLimit: Seal0.remainingGas(store, args.u64(1)))
            if result.status == .returned { try context.writeOutput(args.u32(5), args.u32(6), address, allowSkip: true) }
            return try Seal0.report(result, context, store, out: args.u32(7), outLength: args.u32(8))
        },
    ]
}

/// `seal2`: `set_storage` with variable-length keys.
enum Seal2 {
    static let functions: [String: HostDefinition] = [
        "set_storage": define([i32, i32, i32, i32], [i32], weight: 5_000) { context, args, _ in
            let previous = try context.env().storageSet(try Seal0.variableKey(context, args.u32(0), args.u32(1)), try context.read(args.u32(2), args.u32(3)))
            return [.i32(previous.map { UInt32($0) } ?? HostFunctions.sentinel)]
        },
    ]
}
