import FatContractABI
import FatCrypto

/// The host function table given to every native contract (`fat_host_api`, ABI 1.0).
///
/// Each function checks the contract's arguments, then acts on the call's `NativeCallContext`,
/// which it finds through `fat_ctx.host_data` (set by `NativeCallContext.withContext` for the
/// duration of one call): the frame in the host, the channel to the host in a worker process.
/// **The table is immutable and lives for the whole process.**
enum NativeHostTable {
    /// Keys longer than this are refused with FAT_ERR_VALUE_TOO_LARGE.
    static let maxKeyLength = 4096
    /// Values, outputs and event payloads longer than this are refused.
    static let maxValueLength = 16 << 20
    static let maxTopics = 16

    nonisolated(unsafe) static let shared: UnsafePointer<fat_host_api> = {
        let table = UnsafeMutablePointer<fat_host_api>.allocate(capacity: 1)
        table.initialize(
            to: fat_host_api(
                struct_size: UInt32(MemoryLayout<fat_host_api>.size),
                version_major: UInt16(FAT_ABI_VERSION_MAJOR),
                version_minor: UInt16(FAT_ABI_VERSION_MINOR),
                storage_get: storageGet,
                storage_set: storageSet,
                storage_remove: storageRemove,
                storage_contains: storageContains,
                caller: caller,
                self_address: selfAddress,
                call_kind: callKind,
                command_seq: { ctx in context(ctx)?.commandSeq ?? 0 },
                command_timestamp_ms: { ctx in context(ctx)?.commandTimestampMs ?? 0 },
                set_output: setOutput,
                revert: revert,
                emit_event: emitEvent,
                log: log,
                call: call,
                last_output: lastOutput,
                selector: selector,
                capability: NativeCapabilityTables.lookup
            ))
        return UnsafePointer(table)
    }()

    static func context(_ ctx: UnsafeMutablePointer<fat_ctx>?) -> (any NativeCallContext)? {
        guard let data = ctx?.pointee.host_data else { return nil }
        return data.assumingMemoryBound(to: (any NativeCallContext).self).pointee
    }

    /// The bytes a contract passed; nil (an invalid argument) for a NULL pointer with a length,
    /// or a length that is negative as a signed size (a `size_t` past 2^63) or over 16 MiB.
    static func bytes(_ pointer: UnsafePointer<UInt8>?, _ count: Int) -> [UInt8]? {
        if count == 0 { return [] }
        guard let pointer, (0 ... maxBufferLength).contains(count) else { return nil }
        return Array(UnsafeBufferPointer(start: pointer, count: count))
    }

    static let maxBufferLength = 16 << 20

    /// Text a contract passed with its length, under the same rules as `bytes`.
    static func text(_ pointer: UnsafePointer<CChar>?, _ count: Int) -> String? {
        guard let pointer else { return nil }
        return bytes(UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Copies `value` out under the in/out length convention.
    static func copyOut(_ value: [UInt8], _ out: UnsafeMutablePointer<UInt8>?, _ outLength: UnsafeMutablePointer<Int>) -> fat_status {
        let capacity = outLength.pointee
        outLength.pointee = value.count
        guard capacity >= value.count else { return FAT_ERR_BUFFER_TOO_SMALL }
        if !value.isEmpty {
            guard let out else { return FAT_ERR_INVALID_ARGUMENT }
            value.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: value.count) }
        }
        return FAT_OK
    }

    static let storageGet:
        @convention(c) (UnsafeMutablePointer<fat_ctx>?, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<Int>?) ->
            fat_status = { ctx, key, keyLength, out, outLength in
                guard let frame = context(ctx), let outLength, let key = bytes(key, keyLength) else { return FAT_ERR_INVALID_ARGUMENT }
                guard let value = frame.storageGet(key) else { return FAT_ERR_NOT_FOUND }
                return copyOut(value, out, outLength)
            }

    static let storageSet: @convention(c) (UnsafeMutablePointer<fat_ctx>?, UnsafePointer<UInt8>?, Int, UnsafePointer<UInt8>?, Int) -> fat_status = {
        ctx, key, keyLength, value, valueLength in
        guard let frame = context(ctx), let key = bytes(key, keyLength), let value = bytes(value, valueLength) else {
            return FAT_ERR_INVALID_ARGUMENT
        }
        guard key.count <= maxKeyLength, value.count <= maxValueLength else { return FAT_ERR_VALUE_TOO_LARGE }
        frame.storageWrite(key, value)
        return FAT_OK
    }

    static let storageRemove: @convention(c) (UnsafeMutablePointer<fat_ctx>?, UnsafePointer<UInt8>?, Int) -> fat_status = { ctx, key, keyLength in
        guard let frame = context(ctx), let key = bytes(key, keyLength) else { return FAT_ERR_INVALID_ARGUMENT }
        frame.storageWrite(key, nil)
        return FAT_OK
    }

    static let storageContains:
        @convention(c) (UnsafeMutablePointer<fat_ctx>?, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<Int>?) -> fat_status = {
            ctx, key, keyLength, valueLength in
            guard let frame = context(ctx), let key = bytes(key, keyLength) else { return FAT_ERR_INVALID_ARGUMENT }
            guard let value = frame.storageGet(key) else { return FAT_ERR_NOT_FOUND }
            valueLength?.pointee = value.count
            return FAT_OK
        }

    static func write(_ account: AccountId, to out: UnsafeMutablePointer<fat_address>) {
        withUnsafeMutableBytes(of: &out.pointee.bytes) { raw in raw.copyBytes(from: account.bytes) }
    }

    static let caller: @convention(c) (UnsafeMutablePointer<fat_ctx>?, UnsafeMutablePointer<fat_address>?) -> fat_status = { ctx, out in
        guard let frame = context(ctx), let out else { return FAT_ERR_INVALID_ARGUMENT }
        guard let caller = frame.caller else { return FAT_ERR_NOT_FOUND }
        write(caller, to: out)
        return FAT_OK
    }

    static let selfAddress: @convention(c) (UnsafeMutablePointer<fat_ctx>?, UnsafeMutablePointer<fat_address>?) -> fat_status = { ctx, out in
        guard let frame = context(ctx), let out else { return FAT_ERR_INVALID_ARGUMENT }
        write(frame.address, to: out)
        return FAT_OK
    }

    static let callKind: @convention(c) (UnsafeMutablePointer<fat_ctx>?) -> UInt32 = { ctx in
        guard let frame = context(ctx) else { return 0 }
        return frame.abiCallKind
    }

    static let setOutput: @convention(c) (UnsafeMutablePointer<fat_ctx>?, UnsafePointer<UInt8>?, Int) -> fat_status = { ctx, data, length in
        guard let frame = context(ctx), let data = bytes(data, length) else { return FAT_ERR_INVALID_ARGUMENT }
        guard data.count <= maxValueLength else { return FAT_ERR_VALUE_TOO_LARGE }
        frame.setOutput(data)
        return FAT_OK
    }

    static let revert: @convention(c) (UnsafeMutablePointer<fat_ctx>?, UnsafePointer<CChar>?, Int) -> fat_status = { ctx, message, length in
        guard let frame = context(ctx) else { return FAT_ERR_INVALID_ARGUMENT }
        guard message == nil || length == 0 || text(message, length) != nil else { return FAT_ERR_INVALID_ARGUMENT }
        frame.requestRevert(text(message, length))
        return FAT_OK
    }

    static let emitEvent: @convention(c) (UnsafeMutablePointer<fat_ctx>?, UnsafePointer<UInt8>?, Int, UnsafePointer<UInt8>?, Int) -> fat_status = {
        ctx, topics, topicCount, data, length in
        guard (0 ... maxTopics).contains(topicCount) else { return topicCount < 0 ? FAT_ERR_INVALID_ARGUMENT : FAT_ERR_VALUE_TOO_LARGE }
        guard let frame = context(ctx), let flat = bytes(topics, topicCount * 32), let data = bytes(data, length) else {
            return FAT_ERR_INVALID_ARGUMENT
        }
        guard data.count <= maxValueLength else { return FAT_ERR_VALUE_TOO_LARGE }
        let split = stride(from: 0, to: flat.count, by: 32).map { Array(flat[$0 ..< $0 + 32]) }
        frame.emitEvent(topics: split, data: data)
        return FAT_OK
    }

    static let log: @convention(c) (UnsafeMutablePointer<fat_ctx>?, UInt32, UnsafePointer<CChar>?, Int) -> Void = { ctx, level, message, length in
        guard let frame = context(ctx), let text = text(message, length) else { return }
        let name = [FAT_LOG_ERROR: "error", FAT_LOG_WARN: "warn", FAT_LOG_INFO: "info", FAT_LOG_DEBUG: "debug"][level] ?? "log"
        frame.log("[\(name)] \(text)")
    }

    static let call:
        @convention(c) (
            UnsafeMutablePointer<fat_ctx>?, UnsafePointer<fat_address>?, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UInt8>?,
            UnsafeMutablePointer<Int>?
        ) -> fat_status = { ctx, callee, input, inputLength, out, outLength in
            guard let frame = context(ctx), let callee, let input = bytes(input, inputLength) else { return FAT_ERR_INVALID_ARGUMENT }
            let address = AccountId(unchecked: withUnsafeBytes(of: callee.pointee.bytes) { Array($0) })
            let (status, output) = frame.callContract(address, input: input)
            if let outLength {
                // A revert or failure keeps its status even when the output does not fit.
                let copied = copyOut(output, out, outLength)
                if copied != FAT_OK, status == FAT_OK { return copied }
            }
            return status
        }

    static let lastOutput: @convention(c) (UnsafeMutablePointer<fat_ctx>?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<Int>?) -> fat_status = {
        ctx, out, outLength in
        guard let frame = context(ctx), let outLength else { return FAT_ERR_INVALID_ARGUMENT }
        guard let output = frame.lastCallOutput else { return FAT_ERR_NOT_FOUND }
        return copyOut(output, out, outLength)
    }

    static let selector: @convention(c) (UnsafePointer<CChar>?, Int, UnsafeMutablePointer<UInt8>?) -> fat_status = { name, length, out in
        guard let out, let name, let raw = bytes(UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self), length) else {
            return FAT_ERR_INVALID_ARGUMENT
        }
        let hash = Blake2b.hash256(raw)
        for index in 0 ..< 4 { out[index] = hash[index] }
        return FAT_OK
    }
}
