// SwiftCounter — Contracts/counter/counter.c written in Swift against the same header.
//
// Same messages, same typed calling convention, same storage ("count" → u64 little-endian), so the
// host cannot tell the two builds apart except by the descriptor's name. Swift has no static C
// array initialiser, so the message table and the descriptor are built once, on first use, in
// memory that is never freed: the header requires them to outlive every call into the contract.

import FatContractABI

// MARK: - Storage

private func loadCount(_ ctx: UnsafeMutablePointer<fat_ctx>?) -> UInt64 {
    var stored: UInt64 = 0
    var length = MemoryLayout<UInt64>.size
    guard fat_get(ctx, "count", 5, &stored, &length) == FAT_OK, length == MemoryLayout<UInt64>.size
    else { return 0 }  // never set: the count starts at 0
    return UInt64(littleEndian: stored)
}

private func storeCount(_ ctx: UnsafeMutablePointer<fat_ctx>?, _ count: UInt64) {
    var stored = count.littleEndian
    _ = fat_set(ctx, "count", 5, &stored, MemoryLayout<UInt64>.size)
}

// MARK: - Messages (typed: the host decodes the arguments and encodes the result)

/// new(initial: u64)
private func new(_ ctx: UnsafeMutablePointer<fat_ctx>?, _ initial: UInt64) {
    storeCount(ctx, initial)
}

/// get() -> u64
private func get(_ ctx: UnsafeMutablePointer<fat_ctx>?) -> UInt64 {
    loadCount(ctx)
}

/// increment(by: u32) -> u64 — overflow reverts rather than wrapping the count.
private func increment(_ ctx: UnsafeMutablePointer<fat_ctx>?, _ by: UInt32) -> UInt64 {
    let count = loadCount(ctx)
    let (next, overflow) = count.addingReportingOverflow(UInt64(by))
    if overflow {
        _ = fat_revert(ctx, "counter overflow", 16)
        return count
    }
    storeCount(ctx, next)
    return next
}

/// reset()
private func reset(_ ctx: UnsafeMutablePointer<fat_ctx>?) {
    storeCount(ctx, 0)
}

// MARK: - Descriptor

private typealias AnyFunction = @convention(c) () -> Void

/// A NUL-terminated copy of `string` that is never freed, as descriptor strings must be.
private func permanentCString(_ string: String) -> UnsafePointer<CChar> {
    let utf8 = string.utf8CString
    let buffer = UnsafeMutableBufferPointer<CChar>.allocate(capacity: utf8.count)
    _ = buffer.initialize(from: utf8)
    return UnsafePointer(buffer.baseAddress!)
}

private func message(_ name: String, _ signature: String, _ flags: UInt32, _ function: AnyFunction)
    -> fat_message
{
    var message = fat_message()  // zeroed: selector derived from the name, no doc
    message.name = permanentCString(name)
    message.signature = permanentCString(signature)
    message.flags = flags
    message.function = function
    return message
}

/// Built once by Swift's thread-safe lazy global initialisation and immutable afterwards, which is
/// what makes sharing it across the host's threads sound despite the raw pointers.
nonisolated(unsafe) private let descriptor: UnsafePointer<fat_contract_descriptor> = {
    typealias Ctx = UnsafeMutablePointer<fat_ctx>?
    let new: @convention(c) (Ctx, UInt64) -> Void = new
    let get: @convention(c) (Ctx) -> UInt64 = get
    let increment: @convention(c) (Ctx, UInt32) -> UInt64 = increment
    let reset: @convention(c) (Ctx) -> Void = reset

    let constructor = FAT_MSG_TYPED | FAT_MSG_MUTATES | FAT_MSG_CONSTRUCTOR
    let table = [
        message("new", "new(initial: u64)", constructor, unsafeBitCast(new, to: AnyFunction.self)),
        message("get", "get() -> u64", FAT_MSG_TYPED, unsafeBitCast(get, to: AnyFunction.self)),
        message(
            "increment", "increment(by: u32) -> u64", FAT_MSG_TYPED | FAT_MSG_MUTATES,
            unsafeBitCast(increment, to: AnyFunction.self)),
        message(
            "reset", "reset()", FAT_MSG_TYPED | FAT_MSG_MUTATES,
            unsafeBitCast(reset, to: AnyFunction.self)),
    ]
    let messages = UnsafeMutablePointer<fat_message>.allocate(capacity: table.count)
    messages.initialize(from: table, count: table.count)

    var descriptor = fat_contract_descriptor()  // zeroed: no init, fini or dispatch
    descriptor.struct_size = UInt32(MemoryLayout<fat_contract_descriptor>.size)
    descriptor.abi_major = UInt16(FAT_ABI_VERSION_MAJOR)
    descriptor.abi_minor = UInt16(FAT_ABI_VERSION_MINOR)
    descriptor.name = permanentCString("swift_counter")
    descriptor.version = permanentCString("1.0.0")
    descriptor.messages = UnsafePointer(messages)
    descriptor.message_count = UInt32(table.count)
    let pointer = UnsafeMutablePointer<fat_contract_descriptor>.allocate(capacity: 1)
    pointer.initialize(to: descriptor)
    return UnsafePointer(pointer)
}()

// MARK: - Entry

/// The negotiated entry point, with the same rules as the header's FAT_DEFINE_ENTRY: accept any
/// offer whose major range includes ours, refuse the rest with a status, never crash.
@_cdecl("fat_contract_entry")
public func fatContractEntry(
    _ offer: UnsafePointer<fat_negotiation>?,
    _ out: UnsafeMutablePointer<UnsafePointer<fat_contract_descriptor>?>?
) -> fat_status {
    guard let offer, let out else { return FAT_ERR_INVALID_ARGUMENT }
    // Read struct_size alone first: an older, shorter offer must not be read past its end.
    let size = UnsafeRawPointer(offer).load(as: UInt32.self)
    guard size >= MemoryLayout<fat_negotiation>.size else { return FAT_ERR_INVALID_ARGUMENT }
    let major = UInt16(FAT_ABI_VERSION_MAJOR)
    guard offer.pointee.min_major <= major, major <= offer.pointee.max_major else {
        return FAT_ERR_VERSION_MISMATCH
    }
    out.pointee = descriptor
    return FAT_OK
}
