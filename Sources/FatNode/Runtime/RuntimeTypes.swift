/// The runtime the node face declares, as scale-info types with the standard paths Substrate
/// clients look for (`sp_core::crypto::AccountId32`, `sp_runtime::MultiSignature`,
/// `frame_system::EventRecord`, `pallet_contracts::primitives::ContractResult`, …) and ink!'s
/// default environment (Balance u128, BlockNumber u32, Hash H256, Timestamp u64). Pallets:
/// System (0), Balances (4, declared so clients find a currency; nothing moves), TransactionPayment
/// (6) and Contracts (8), numbered as a contracts node numbers them.
///
/// Built once; `RuntimeMetadata` encodes it as metadata V14 and V15.
struct RuntimeTypes {
    static let runtimePath = "fat_runtime"

    var registry = PortableRegistry()
    // Primitives and basic shapes.
    let bool, u8, u16, u32, u64, u128, str, unit: UInt32
    let bytes, accountId, h256, vecH256: UInt32
    let compactU32, compactU64, compactU128: UInt32
    // Dispatch.
    let weight, optionWeight, dispatchInfo, dispatchError, moduleError, phase: UInt32
    // Events.
    let systemEvent, balancesEvent, paymentEvent, contractsEvent, contractsOrigin, runtimeEvent, eventRecord, eventRecords: UInt32
    // Calls and extrinsics.
    let multiAddress, multiSignature, era, determinism, systemCall, balancesCall, contractsCall, runtimeCall: UInt32
    let systemError, balancesError, contractsError, runtimeError: UInt32
    var signedExtensions: [(identifier: String, type: UInt32, additional: UInt32)] = []
    let extra, uncheckedExtrinsic, runtime: UInt32
    // Storage values.
    let accountInfo, codeInfo, contractInfo, pristineCode: UInt32
    // Constants.
    let environment, apiVersion, blockWeights: UInt32
    // Runtime API types.
    let opaqueMetadata, optionOpaqueMetadata, vecU32, optionU128, execResult, instantiateResult, code, uploadResult, storageResult: UInt32
    let runtimeVersion, runtimeDispatchInfo, feeDetails: UInt32

    static let contractsErrors = [
        "InvalidSchedule", "InvalidCallFlags", "OutOfGas", "OutputBufferTooSmall", "TransferFailed", "MaxCallDepthReached",
        "ContractNotFound", "CodeTooLarge", "CodeNotFound", "CodeInfoNotFound", "OutOfBounds", "DecodingFailed", "ContractTrapped",
        "ValueTooLarge", "TerminatedWhileReentrant", "InputForwarded", "RandomSubjectTooLong", "TooManyTopics", "NoChainExtension",
        "XCMDecodeFailed", "DuplicateContract", "TerminatedInConstructor", "ReentranceDenied", "StateChangeDenied",
        "StorageDepositNotEnoughFunds", "StorageDepositLimitExhausted", "CodeInUse", "ContractReverted", "CodeRejected", "Indeterministic",
        "MigrationInProgress", "NoMigrationPerformed", "MaxDelegateDependenciesReached", "DelegateDependencyNotFound",
        "DelegateDependencyAlreadyExists", "CannotAddSelfAsDelegateDependency", "OutOfTransientStorage",
    ]

    /// The index of a Contracts error (what `ModuleError.error[0]` holds).
    static func contractsError(_ name: String) -> UInt8 { UInt8(contractsErrors.firstIndex(of: name)!) }

    init() {
        var r = PortableRegistry()
        typealias F = PortableRegistry.Field
        typealias V = PortableRegistry.Variant
        let tNone: [(String, UInt32?)] = [("T", nil)]
        func field(_ name: String?, _ type: UInt32, _ typeName: String?) -> F { F(name: name, type: type, typeName: typeName) }
        func simpleEnum(_ path: [String], _ names: [String], parameters: [(String, UInt32?)] = []) -> UInt32 {
            r.add(path, parameters: parameters, .variant(names.enumerated().map { V(name: $1, fields: [], index: UInt8($0)) }))
        }
        func option(_ t: UInt32) -> UInt32 {
            r.add(
                ["Option"], parameters: [("T", t)],
                .variant([V(name: "None", fields: [], index: 0), V(name: "Some", fields: [field(nil, t, nil)], index: 1)]))
        }
        func result(_ t: UInt32, _ e: UInt32) -> UInt32 {
            r.add(
                ["Result"], parameters: [("T", t), ("E", e)],
                .variant([V(name: "Ok", fields: [field(nil, t, nil)], index: 0), V(name: "Err", fields: [field(nil, e, nil)], index: 1)]))
        }

        bool = r.add(.primitive(.bool))
        u8 = r.add(.primitive(.u8))
        u16 = r.add(.primitive(.u16))
        u32 = r.add(.primitive(.u32))
        u64 = r.add(.primitive(.u64))
        u128 = r.add(.primitive(.u128))
        str = r.add(.primitive(.str))
        unit = r.add(.tuple([]))
        let a32 = r.add(.array(length: 32, u8))
        let a4 = r.add(.array(length: 4, u8))
        let a20 = r.add(.array(length: 20, u8))
        let a64 = r.add(.array(length: 64, u8))
        let a65 = r.add(.array(length: 65, u8))
        let a8 = r.add(.array(length: 8, u8))
        bytes = r.add(.sequence(u8))
        compactU32 = r.add(.compact(u32))
        compactU64 = r.add(.compact(u64))
        compactU128 = r.add(.compact(u128))
        let compactUnit = r.add(.compact(unit))
        accountId = r.add(["sp_core", "crypto", "AccountId32"], .composite([field(nil, a32, "[u8; 32]")]))
        h256 = r.add(["primitive_types", "H256"], .composite([field(nil, a32, "[u8; 32]")]))
        vecH256 = r.add(.sequence(h256))
        runtime = r.add([Self.runtimePath, "Runtime"], .composite([]))

        weight = r.add(
            ["sp_weights", "weight_v2", "Weight"], .composite([field("ref_time", compactU64, "u64"), field("proof_size", compactU64, "u64")]))
        optionWeight = option(weight)
        let dispatchClass = simpleEnum(["frame_support", "dispatch", "DispatchClass"], ["Normal", "Operational", "Mandatory"])
        let pays = simpleEnum(["frame_support", "dispatch", "Pays"], ["Yes", "No"])
        dispatchInfo = r.add(
            ["frame_support", "dispatch", "DispatchInfo"],
            .composite([field("weight", weight, "Weight"), field("class", dispatchClass, "DispatchClass"), field("pays_fee", pays, "Pays")]))
        moduleError = r.add(
            ["sp_runtime", "ModuleError"], .composite([field("index", u8, "u8"), field("error", a4, "[u8; MAX_MODULE_ERROR_ENCODED_SIZE]")]))
        let tokenError = simpleEnum(
            ["sp_runtime", "TokenError"],
            [
                "FundsUnavailable", "OnlyProvider", "BelowMinimum", "CannotCreate", "UnknownAsset", "Frozen", "Unsupported", "CannotCreateHold",
                "NotExpendable", "Blocked",
            ])
        let arithmeticError = simpleEnum(["sp_arithmetic", "ArithmeticError"], ["Underflow", "Overflow", "DivisionByZero"])
        let transactionalError = simpleEnum(["sp_runtime", "TransactionalError"], ["LimitReached", "NoLayer"])
        dispatchError = r.add(
            ["sp_runtime", "DispatchError"],
            .variant([
                V(name: "Other", fields: [], index: 0), V(name: "CannotLookup", fields: [], index: 1), V(name: "BadOrigin", fields: [], index: 2),
                V(name: "Module", fields: [field(nil, moduleError, "ModuleError")], index: 3),
                V(name: "ConsumerRemaining", fields: [], index: 4), V(name: "NoProviders", fields: [], index: 5),
                V(name: "TooManyConsumers", fields: [], index: 6), V(name: "Token", fields: [field(nil, tokenError, "TokenError")], index: 7),
                V(name: "Arithmetic", fields: [field(nil, arithmeticError, "ArithmeticError")], index: 8),
                V(name: "Transactional", fields: [field(nil, transactionalError, "TransactionalError")], index: 9),
                V(name: "Exhausted", fields: [], index: 10), V(name: "Corruption", fields: [], index: 11),
                V(name: "Unavailable", fields: [], index: 12), V(name: "RootNotAllowed", fields: [], index: 13),
            ]))
        phase = r.add(
            ["frame_system", "Phase"],
            .variant([
                V(name: "ApplyExtrinsic", fields: [field(nil, u32, "u32")], index: 0), V(name: "Finalization", fields: [], index: 1),
                V(name: "Initialization", fields: [], index: 2),
            ]))

        // Events.
        let ai = "T::AccountId"
        let hh = "T::Hash"
        let bt = "BalanceOf<T>"
        systemEvent = r.add(
            ["frame_system", "pallet", "Event"], parameters: tNone,
            .variant([
                V(name: "ExtrinsicSuccess", fields: [field("dispatch_info", dispatchInfo, "DispatchInfo")], index: 0),
                V(
                    name: "ExtrinsicFailed",
                    fields: [field("dispatch_error", dispatchError, "DispatchError"), field("dispatch_info", dispatchInfo, "DispatchInfo")], index: 1),
                V(name: "CodeUpdated", fields: [], index: 2), V(name: "NewAccount", fields: [field("account", accountId, ai)], index: 3),
                V(name: "KilledAccount", fields: [field("account", accountId, ai)], index: 4),
                V(name: "Remarked", fields: [field("sender", accountId, ai), field("hash", h256, hh)], index: 5),
            ]))
        balancesEvent = r.add(
            ["pallet_balances", "pallet", "Event"], parameters: [("T", nil), ("I", nil)],
            .variant([
                V(name: "Endowed", fields: [field("account", accountId, ai), field("free_balance", u128, "T::Balance")], index: 0),
                V(
                    name: "Transfer", fields: [field("from", accountId, ai), field("to", accountId, ai), field("amount", u128, "T::Balance")],
                    index: 2),
            ]))
        paymentEvent = r.add(
            ["pallet_transaction_payment", "pallet", "Event"], parameters: tNone,
            .variant([
                V(name: "TransactionFeePaid", fields: [field("who", accountId, ai), field("actual_fee", u128, bt), field("tip", u128, bt)], index: 0)
            ]))
        contractsOrigin = r.add(
            ["pallet_contracts", "Origin"], parameters: [("T", runtime)],
            .variant([V(name: "Root", fields: [], index: 0), V(name: "Signed", fields: [field(nil, accountId, ai)], index: 1)]))
        contractsEvent = r.add(
            ["pallet_contracts", "pallet", "Event"], parameters: tNone,
            .variant([
                V(name: "Instantiated", fields: [field("deployer", accountId, ai), field("contract", accountId, ai)], index: 0),
                V(name: "Terminated", fields: [field("contract", accountId, ai), field("beneficiary", accountId, ai)], index: 1),
                V(
                    name: "CodeStored", fields: [field("code_hash", h256, hh), field("deposit_held", u128, bt), field("uploader", accountId, ai)],
                    index: 2),
                V(name: "ContractEmitted", fields: [field("contract", accountId, ai), field("data", bytes, "Vec<u8>")], index: 3),
                V(
                    name: "CodeRemoved",
                    fields: [field("code_hash", h256, hh), field("deposit_released", u128, bt), field("remover", accountId, ai)], index: 4),
                V(
                    name: "ContractCodeUpdated",
                    fields: [field("contract", accountId, ai), field("new_code_hash", h256, hh), field("old_code_hash", h256, hh)], index: 5),
                V(name: "Called", fields: [field("caller", contractsOrigin, "Origin<T>"), field("contract", accountId, ai)], index: 6),
                V(name: "DelegateCalled", fields: [field("contract", accountId, ai), field("code_hash", h256, "CodeHash<T>")], index: 7),
            ]))
        runtimeEvent = r.add(
            [Self.runtimePath, "RuntimeEvent"],
            .variant([
                V(name: "System", fields: [field(nil, systemEvent, "frame_system::Event<Runtime>")], index: 0),
                V(name: "Balances", fields: [field(nil, balancesEvent, "pallet_balances::Event<Runtime>")], index: 4),
                V(name: "TransactionPayment", fields: [field(nil, paymentEvent, "pallet_transaction_payment::Event<Runtime>")], index: 6),
                V(name: "Contracts", fields: [field(nil, contractsEvent, "pallet_contracts::Event<Runtime>")], index: 8),
            ]))
        eventRecord = r.add(
            ["frame_system", "EventRecord"], parameters: [("E", runtimeEvent), ("T", h256)],
            .composite([field("phase", phase, "Phase"), field("event", runtimeEvent, "E"), field("topics", vecH256, "Vec<T>")]))
        eventRecords = r.add(.sequence(eventRecord))

        // Calls.
        multiAddress = r.add(
            ["sp_runtime", "multiaddress", "MultiAddress"], parameters: [("AccountId", accountId), ("AccountIndex", unit)],
            .variant([
                V(name: "Id", fields: [field(nil, accountId, "AccountId")], index: 0),
                V(name: "Index", fields: [field(nil, compactUnit, "AccountIndex")], index: 1),
                V(name: "Raw", fields: [field(nil, bytes, "Vec<u8>")], index: 2),
                V(name: "Address32", fields: [field(nil, a32, "[u8; 32]")], index: 3),
                V(name: "Address20", fields: [field(nil, a20, "[u8; 20]")], index: 4),
            ]))
        multiSignature = r.add(
            ["sp_runtime", "MultiSignature"],
            .variant([
                V(name: "Ed25519", fields: [field(nil, a64, "ed25519::Signature")], index: 0),
                V(name: "Sr25519", fields: [field(nil, a64, "sr25519::Signature")], index: 1),
                V(name: "Ecdsa", fields: [field(nil, a65, "ecdsa::Signature")], index: 2),
            ]))
        let byte = u8
        era = r.add(
            ["sp_runtime", "generic", "era", "Era"],
            .variant(
                [V(name: "Immortal", fields: [], index: 0)]
                    + (1 ... 255).map { V(name: "Mortal\($0)", fields: [field(nil, byte, nil)], index: UInt8($0)) }))
        determinism = simpleEnum(["pallet_contracts", "wasm", "Determinism"], ["Enforced", "Relaxed"])
        let optionCompactBalance = option(compactU128)
        let sdl = "Option<<BalanceOf<T> as codec::HasCompact>::Type>"
        let lookup = "AccountIdLookupOf<T>"
        let codeHash = "CodeHash<T>"
        systemCall = r.add(
            ["frame_system", "pallet", "Call"], parameters: tNone,
            .variant([V(name: "remark", fields: [field("remark", bytes, "Vec<u8>")], index: 0)]))
        balancesCall = r.add(
            ["pallet_balances", "pallet", "Call"], parameters: [("T", nil), ("I", nil)],
            .variant([
                V(name: "transfer_allow_death", fields: [field("dest", multiAddress, lookup), field("value", compactU128, "T::Balance")], index: 0)
            ]))
        contractsCall = r.add(
            ["pallet_contracts", "pallet", "Call"], parameters: tNone,
            .variant([
                // Declared without pallet-contracts' later `determinism` (every Wasm code here runs
                // deterministically in commands): py-substrate-interface composes it so.
                V(
                    name: "upload_code", fields: [field("code", bytes, "Vec<u8>"), field("storage_deposit_limit", optionCompactBalance, sdl)],
                    index: 3),
                V(
                    name: "call",
                    fields: [
                        field("dest", multiAddress, lookup), field("value", compactU128, bt), field("gas_limit", weight, "Weight"),
                        field("storage_deposit_limit", optionCompactBalance, sdl), field("data", bytes, "Vec<u8>"),
                    ], index: 6),
                V(
                    name: "instantiate_with_code",
                    fields: [
                        field("value", compactU128, bt), field("gas_limit", weight, "Weight"),
                        field("storage_deposit_limit", optionCompactBalance, sdl),
                        field("code", bytes, "Vec<u8>"), field("data", bytes, "Vec<u8>"), field("salt", bytes, "Vec<u8>"),
                    ], index: 7),
                V(
                    name: "instantiate",
                    fields: [
                        field("value", compactU128, bt), field("gas_limit", weight, "Weight"),
                        field("storage_deposit_limit", optionCompactBalance, sdl),
                        field("code_hash", h256, codeHash), field("data", bytes, "Vec<u8>"), field("salt", bytes, "Vec<u8>"),
                    ], index: 8),
            ]))
        let hidden = "self::sp_api_hidden_includes_construct_runtime::hidden_include::dispatch\n::CallableCallFor<%, Runtime>"
        func callable(_ pallet: String) -> String { hidden.replacingOccurrences(of: "%", with: pallet) }
        runtimeCall = r.add(
            [Self.runtimePath, "RuntimeCall"],
            .variant([
                V(name: "System", fields: [field(nil, systemCall, callable("System"))], index: 0),
                V(name: "Balances", fields: [field(nil, balancesCall, callable("Balances"))], index: 4),
                V(name: "Contracts", fields: [field(nil, contractsCall, callable("Contracts"))], index: 8),
            ]))

        // Errors.
        systemError = simpleEnum(
            ["frame_system", "pallet", "Error"],
            [
                "InvalidSpecName", "SpecVersionNeedsToIncrease", "FailedToExtractRuntimeVersion", "NonDefaultComposite", "NonZeroRefCount",
                "CallFiltered",
            ],
            parameters: tNone)
        balancesError = simpleEnum(
            ["pallet_balances", "pallet", "Error"], ["VestingBalance", "LiquidityRestrictions", "InsufficientBalance", "ExistentialDeposit"],
            parameters: [("T", nil), ("I", nil)])
        contractsError = simpleEnum(["pallet_contracts", "pallet", "Error"], Self.contractsErrors, parameters: tNone)
        runtimeError = r.add(
            [Self.runtimePath, "RuntimeError"],
            .variant([
                V(name: "System", fields: [field(nil, systemError, "frame_system::Error<Runtime>")], index: 0),
                V(name: "Balances", fields: [field(nil, balancesError, "pallet_balances::Error<Runtime>")], index: 4),
                V(name: "Contracts", fields: [field(nil, contractsError, "pallet_contracts::Error<Runtime>")], index: 8),
            ]))

        // Signed extensions and the extrinsic.
        var extensions: [(String, UInt32, UInt32)] = []
        func ext(_ identifier: String, _ module: String?, _ fields: [F], additional: UInt32) {
            let path = module.map { ["frame_system", "extensions", $0, identifier] } ?? ["pallet_transaction_payment", identifier]
            extensions.append((identifier, r.add(path, parameters: tNone, .composite(fields)), additional))
        }
        ext("CheckNonZeroSender", "check_non_zero_sender", [], additional: unit)
        ext("CheckSpecVersion", "check_spec_version", [], additional: u32)
        ext("CheckTxVersion", "check_tx_version", [], additional: u32)
        ext("CheckGenesis", "check_genesis", [], additional: h256)
        ext("CheckMortality", "check_mortality", [field(nil, era, "Era")], additional: h256)
        ext("CheckNonce", "check_nonce", [field(nil, compactU32, "T::Nonce")], additional: unit)
        ext("CheckWeight", "check_weight", [], additional: unit)
        ext("ChargeTransactionPayment", nil, [field(nil, compactU128, "BalanceOf<T>")], additional: unit)
        signedExtensions = extensions.map { (identifier: $0.0, type: $0.1, additional: $0.2) }
        extra = r.add(.tuple(extensions.map(\.1)))
        uncheckedExtrinsic = r.add(
            ["sp_runtime", "generic", "unchecked_extrinsic", "UncheckedExtrinsic"],
            parameters: [("Address", multiAddress), ("Call", runtimeCall), ("Signature", multiSignature), ("Extra", extra)],
            .composite([field(nil, bytes, nil)]))

        // Storage values.
        let flags = r.add(["pallet_balances", "types", "ExtraFlags"], .composite([field(nil, u128, "u128")]))
        let accountData = r.add(
            ["pallet_balances", "types", "AccountData"], parameters: [("Balance", u128)],
            .composite([
                field("free", u128, "Balance"), field("reserved", u128, "Balance"), field("frozen", u128, "Balance"),
                field("flags", flags, "ExtraFlags"),
            ]))
        accountInfo = r.add(
            ["frame_system", "AccountInfo"], parameters: [("Nonce", u32), ("AccountData", accountData)],
            .composite([
                field("nonce", u32, "Nonce"), field("consumers", u32, "RefCount"), field("providers", u32, "RefCount"),
                field("sufficients", u32, "RefCount"), field("data", accountData, "AccountData"),
            ]))
        pristineCode = r.add(
            ["bounded_collections", "bounded_vec", "BoundedVec"], parameters: [("T", u8), ("S", nil)], .composite([field(nil, bytes, "Vec<T>")]))
        codeInfo = r.add(
            ["pallet_contracts", "wasm", "CodeInfo"], parameters: tNone,
            .composite([
                field("owner", accountId, "AccountIdOf<T>"), field("deposit", compactU128, "BalanceOf<T>"), field("refcount", compactU64, "u64"),
                field("determinism", determinism, "Determinism"), field("code_len", u32, "u32"),
            ]))
        let hashBalance = r.add(.tuple([h256, u128]))
        let btreeMap = r.add(["BTreeMap"], parameters: [("K", h256), ("V", u128)], .composite([field(nil, r.add(.sequence(hashBalance)), nil)]))
        let boundedMap = r.add(
            ["bounded_collections", "bounded_btree_map", "BoundedBTreeMap"], parameters: [("K", h256), ("V", u128), ("S", nil)],
            .composite([field(nil, btreeMap, "BTreeMap<K, V>")]))
        contractInfo = r.add(
            ["pallet_contracts", "storage", "ContractInfo"], parameters: tNone,
            .composite([
                field("trie_id", pristineCode, "TrieId"), field("code_hash", h256, "CodeHash<T>"), field("storage_bytes", u32, "u32"),
                field("storage_items", u32, "u32"), field("storage_byte_deposit", u128, bt), field("storage_item_deposit", u128, bt),
                field("storage_base_deposit", u128, bt),
                field("delegate_dependencies", boundedMap, "BoundedBTreeMap<CodeHash<T>, BalanceOf<T>, T::MaxDelegateDependencies>"),
            ]))

        // Constants.
        func environmentType(_ t: UInt32) -> UInt32 { r.add(["pallet_contracts", "EnvironmentType"], parameters: [("T", t)], .composite([])) }
        let blake = r.add(["sp_runtime", "traits", "BlakeTwo256"], .composite([]))
        environment = r.add(
            ["pallet_contracts", "Environment"], parameters: tNone,
            .composite([
                field("account_id", environmentType(accountId), "EnvironmentType<AccountIdOf<T>>"),
                field("balance", environmentType(u128), "EnvironmentType<BalanceOf<T>>"),
                field("hash", environmentType(h256), "EnvironmentType<<T as frame_system::Config>::Hash>"),
                field("hasher", environmentType(blake), "EnvironmentType<<T as frame_system::Config>::Hashing>"),
                field("timestamp", environmentType(u64), "EnvironmentType<MomentOf<T>>"),
                field("block_number", environmentType(u32), "EnvironmentType<BlockNumberFor<T>>"),
            ]))
        apiVersion = r.add(["pallet_contracts", "ApiVersion"], .composite([field(nil, u16, "u16")]))
        let perClassWeights = r.add(
            ["frame_system", "limits", "WeightsPerClass"],
            .composite([
                field("base_extrinsic", weight, "Weight"), field("max_extrinsic", optionWeight, "Option<Weight>"),
                field("max_total", optionWeight, "Option<Weight>"), field("reserved", optionWeight, "Option<Weight>"),
            ]))
        let perDispatchClass = r.add(
            ["frame_support", "dispatch", "PerDispatchClass"], parameters: [("T", perClassWeights)],
            .composite([field("normal", perClassWeights, "T"), field("operational", perClassWeights, "T"), field("mandatory", perClassWeights, "T")]))
        blockWeights = r.add(
            ["frame_system", "limits", "BlockWeights"],
            .composite([
                field("base_block", weight, "Weight"), field("max_block", weight, "Weight"),
                field("per_class", perDispatchClass, "PerDispatchClass<WeightsPerClass>"),
            ]))

        // Runtime API types.
        opaqueMetadata = r.add(["sp_core", "OpaqueMetadata"], .composite([field(nil, bytes, "Vec<u8>")]))
        optionOpaqueMetadata = option(opaqueMetadata)
        vecU32 = r.add(.sequence(u32))
        optionU128 = option(u128)
        let storageDeposit = r.add(
            ["pallet_contracts", "primitives", "StorageDeposit"], parameters: [("Balance", u128)],
            .variant([
                V(name: "Refund", fields: [field(nil, u128, "Balance")], index: 0),
                V(name: "Charge", fields: [field(nil, u128, "Balance")], index: 1),
            ]))
        let returnFlags = r.add(["pallet_contracts_uapi", "flags", "ReturnFlags"], .composite([field("bits", u32, "u32")]))
        let execReturnValue = r.add(
            ["pallet_contracts", "primitives", "ExecReturnValue"],
            .composite([field("flags", returnFlags, "ReturnFlags"), field("data", bytes, "Vec<u8>")]))
        let optionEvents = option(eventRecords)
        let weightType = weight
        let balance = u128
        let record = eventRecord
        let byteVector = bytes
        func contractResult(_ inner: UInt32) -> UInt32 {
            r.add(
                ["pallet_contracts", "primitives", "ContractResult"], parameters: [("R", inner), ("Balance", balance), ("EventRecord", record)],
                .composite([
                    field("gas_consumed", weightType, "Weight"), field("gas_required", weightType, "Weight"),
                    field("storage_deposit", storageDeposit, "StorageDeposit<Balance>"), field("debug_message", byteVector, "Vec<u8>"),
                    field("result", inner, "R"), field("events", optionEvents, "Option<Vec<EventRecord>>"),
                ]))
        }
        execResult = contractResult(result(execReturnValue, dispatchError))
        let instantiateReturnValue = r.add(
            ["pallet_contracts", "primitives", "InstantiateReturnValue"], parameters: [("AccountId", accountId)],
            .composite([field("result", execReturnValue, "ExecReturnValue"), field("account_id", accountId, "AccountId")]))
        instantiateResult = contractResult(result(instantiateReturnValue, dispatchError))
        code = r.add(
            ["pallet_contracts", "primitives", "Code"], parameters: [("Hash", h256)],
            .variant([
                V(name: "Upload", fields: [field(nil, bytes, "Vec<u8>")], index: 0),
                V(name: "Existing", fields: [field(nil, h256, "Hash")], index: 1),
            ]))
        let codeUploadReturnValue = r.add(
            ["pallet_contracts", "primitives", "CodeUploadReturnValue"], parameters: [("CodeHash", h256), ("Balance", u128)],
            .composite([field("code_hash", h256, "CodeHash"), field("deposit", u128, "Balance")]))
        uploadResult = result(codeUploadReturnValue, dispatchError)
        let accessError = simpleEnum(
            ["pallet_contracts", "primitives", "ContractAccessError"], ["DoesntExist", "KeyDecodingFailed", "MigrationInProgress"])
        storageResult = result(option(bytes), accessError)
        let apis = r.add(.sequence(r.add(.tuple([a8, u32]))))
        let cowApis = r.add(["Cow"], parameters: [("T", apis)], .composite([field(nil, apis, nil)]))
        let cowStr = r.add(["Cow"], parameters: [("T", str)], .composite([field(nil, str, nil)]))
        runtimeVersion = r.add(
            ["sp_version", "RuntimeVersion"],
            .composite([
                field("spec_name", cowStr, "RuntimeString"), field("impl_name", cowStr, "RuntimeString"), field("authoring_version", u32, "u32"),
                field("spec_version", u32, "u32"), field("impl_version", u32, "u32"), field("apis", cowApis, "ApisVec"),
                field("transaction_version", u32, "u32"), field("state_version", u8, "u8"),
            ]))
        let classType = dispatchClass
        runtimeDispatchInfo = r.add(
            ["pallet_transaction_payment", "types", "RuntimeDispatchInfo"], parameters: [("Balance", balance), ("Weight", weightType)],
            .composite([field("weight", weightType, "Weight"), field("class", classType, "DispatchClass"), field("partial_fee", balance, "Balance")]))
        let inclusionFee = r.add(
            ["pallet_transaction_payment", "types", "InclusionFee"], parameters: [("Balance", balance)],
            .composite([
                field("base_fee", balance, "Balance"), field("len_fee", balance, "Balance"), field("adjusted_weight_fee", balance, "Balance"),
            ]))
        feeDetails = r.add(
            ["pallet_transaction_payment", "types", "FeeDetails"], parameters: [("Balance", balance)],
            .composite([field("inclusion_fee", option(inclusionFee), "Option<InclusionFee<Balance>>"), field("tip", balance, "Balance")]))
        registry = r
    }
}
