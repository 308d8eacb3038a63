import FatCodec
import Testing

@testable import FatRuntime

/// What a worker writes into its channel is hostile input: whatever the bytes, decoding them
/// answers a message or an error, never a trap, and lengths are checked before anything is read.
@Suite struct WorkerMessageTests {
    static let samples: [WorkerMessage] = [
        .request(.storageGet(key: Array("count".utf8))),
        .request(.storageWrite(key: [1, 2], value: [UInt8](repeating: 7, count: 300))),
        .request(.emitEvent(topics: [[UInt8](repeating: 1, count: 32)], data: [9])),
        .request(.call(callee: AccountId(unchecked: [UInt8](repeating: 3, count: 32)), input: [0, 1, 2, 3])),
        .request(.moduleCall(name: "json", functionId: 2, input: [1])),
        .done(.finished(output: [1, 2, 3], reverted: true)),
        .done(.failed(FatError(.trapped, "no"))),
        .ready(name: "c", version: "1", messages: [NativeMessageDecl(name: "get", signature: "get() -> u64", mutates: false)]),
    ]

    @Test func everyMessageRoundTrips() throws {
        for message in Self.samples {
            let bytes = message.encoded()
            #expect(try WorkerMessage.decode(bytes).encoded() == bytes)
        }
    }

    @Test func truncatedExtendedAndCorruptedMessagesAreRefusedWithoutATrap() {
        var generator = SystemRandomNumberGenerator()
        for message in Self.samples {
            let bytes = message.encoded()
            for cut in 0 ..< bytes.count {
                #expect(throws: (any Error).self) { try WorkerMessage.decode(Array(bytes.prefix(cut))) }
            }
            #expect(throws: (any Error).self) { try WorkerMessage.decode(bytes + [0]) }
            for _ in 0 ..< 500 {
                var corrupted = bytes
                corrupted[Int.random(in: 0 ..< corrupted.count, using: &generator)] = UInt8.random(in: 0 ... 255, using: &generator)
                _ = try? WorkerMessage.decode(corrupted)
            }
        }
    }

    @Test func aLengthPastTheMessageIsRefusedBeforeAnythingIsReserved() {
        // A storage read claiming a key of 2^30 bytes, in a message of a few bytes.
        var encoder = ScaleEncoder()
        encoder.append(UInt8(6))
        encoder.append(UInt8(0))
        encoder.appendCompact(1 << 30)
        #expect(throws: (any Error).self) { try WorkerMessage.decode(encoder.bytes) }
        for tag: UInt8 in [0, 7, 200, 255] {
            #expect(throws: (any Error).self) { try WorkerMessage.decode([tag]) }
        }
        #expect(throws: (any Error).self) { try WorkerMessage.decode([]) }
    }
}
