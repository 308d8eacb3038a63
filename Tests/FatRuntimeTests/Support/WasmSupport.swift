import FatCodec
import FatCrypto
import FatInk
import FatRuntime
import FatTesting
import Foundation
import Testing

/// A Wasm contract deployed in a test, with its metadata for JSON arguments and results.
struct WasmContract {
    let address: AccountId
    let metadata: ContractMetadata
}

extension FatHost {
    /// Deploys a `.contract` bundle, `.wasm` + `.json`, or `.wat` (+ `.json`), by constructor name and JSON args.
    func deployWasm(_ path: String, metadataPath: String? = nil, constructor: String, args: String = "[]", as caller: TestAccount = .alice) throws
        -> (WasmContract, Receipt)
    {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let wasm: [UInt8]
        let metadataBytes: [UInt8]
        if path.hasSuffix(".contract") || path.hasSuffix(".contract.json") {
            let parsed = try ContractMetadata.parse(json: bytes)
            wasm = try #require(parsed.wasm)
            metadataBytes = bytes
        } else {
            wasm = path.hasSuffix(".wat") ? try InkCode.compileWAT(String(decoding: bytes, as: UTF8.self)) : bytes
            let metadataFile = metadataPath ?? (path.replacingOccurrences(of: ".wat", with: ".json").replacingOccurrences(of: ".wasm", with: ".json"))
            metadataBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: metadataFile)))
        }
        let upload = CodeUpload(kind: .wasm, bytes: wasm, metadata: metadataBytes)
        let code = try prepare(upload)
        let spec = try #require(code.metadata.constructors.first { $0.label == constructor }, "no constructor \(constructor)")
        let input = spec.selector + (try ValueCodec(registry: code.metadata.registry).encodeArguments(try JSONValue.parse(args), for: spec))
        let receipt = try submit(caller.signed(Command.deploy(upload, input: input, salt: SecureRandom.bytes(8), caller: caller.account), for: self))
        return (WasmContract(address: receipt.contract, metadata: code.metadata), receipt)
    }

    func encode(_ contract: WasmContract, _ message: String, _ args: String) throws -> (MessageSpec, [UInt8]) {
        let spec = try #require(
            contract.metadata.messages.first { $0.label == message || $0.label.hasSuffix("::" + message) }, "no message \(message)")
        let resolver: (String) -> [UInt8]? = { ["alice": TestAccount.alice.account.bytes, "bob": TestAccount.bob.account.bytes][$0] }
        return (
            spec,
            spec.selector
                + (try ValueCodec(registry: contract.metadata.registry, resolveAccount: resolver).encodeArguments(
                    try JSONValue.parse(args), for: spec))
        )
    }

    /// Sends a command; returns the receipt and its decoded output: nil when the call failed;
    /// when it returned or reverted (ink! reverts with the message's `Err`), output that does not
    /// decode as the message's return type is an error.
    func send(_ contract: WasmContract, _ message: String, _ args: String = "[]", as caller: TestAccount = .alice) throws -> (Receipt, JSONValue?) {
        let (spec, input) = try encode(contract, message, args)
        let receipt = try submit(caller.signed(Command(caller: caller.account, action: .call(contract: contract.address, input: input)), for: self))
        if case .failed = receipt.outcome { return (receipt, nil) }
        return (receipt, try ValueCodec(registry: contract.metadata.registry).decodeReturn(receipt.output, for: spec))
    }

    /// Asks a query; returns the decoded output.
    func read(_ contract: WasmContract, _ message: String, _ args: String = "[]", as caller: TestAccount? = nil) throws -> JSONValue {
        let (spec, input) = try encode(contract, message, args)
        let result = try query(contract.address, input: input, origin: caller?.account)
        #expect(result.outcome == .success, "\(message): \(result.outcome) \(result.logs)")
        return try ValueCodec(registry: contract.metadata.registry).decodeReturn(result.output, for: spec)
    }
}

/// Unwraps ink! 4+'s `{"Ok": v}` around message results.
func unwrapped(_ value: JSONValue?) -> JSONValue? {
    if case let .object(fields)? = value, fields.count == 1, fields[0].0 == "Ok" { return fields[0].1 }
    return value
}
