import FatCodec
import Testing

@Suite("SCALE codec")
struct ScaleTests {
    @Test(
        arguments: [
            (UInt128(0), [0x00]), (1, [0x04]), (63, [0xfc]), (64, [0x01, 0x01]), (16383, [0xfd, 0xff]),
            (16384, [0x02, 0x00, 0x01, 0x00]), ((1 << 30) - 1, [0xfe, 0xff, 0xff, 0xff]), (1 << 30, [0x03, 0x00, 0x00, 0x00, 0x40]),
            (UInt128(UInt64.max), [0x13, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
            (UInt128.max, [0x33] + [UInt8](repeating: 0xff, count: 16)),
        ] as [(UInt128, [UInt8])])
    func compactIntegersMatchTheReferenceEncoding(value: UInt128, bytes: [UInt8]) throws {
        var encoder = ScaleEncoder()
        encoder.appendCompact(value)
        #expect(encoder.bytes == bytes)
        var decoder = ScaleDecoder(bytes)
        #expect(try decoder.readCompact() == value)
        #expect(decoder.isAtEnd)
    }

    @Test func nonCanonicalCompactEncodingsAreRejected() {
        var twoByteSmall = ScaleDecoder([0x05, 0x00])
        #expect(throws: ScaleError.self) { try twoByteSmall.readCompact() }
        var padded = ScaleDecoder([0x07, 0x00, 0x00, 0x00, 0x01, 0x00])
        #expect(throws: ScaleError.self) { try padded.readCompact() }
    }

    @Test func fixedIntegersAreLittleEndianAndTruncationIsAnError() throws {
        var encoder = ScaleEncoder()
        encoder.append(UInt32(0x0102_0304))
        encoder.append(Int16(-2))
        encoder.appendString("ok")
        #expect(encoder.bytes == [0x04, 0x03, 0x02, 0x01, 0xfe, 0xff, 0x08, 0x6f, 0x6b])
        var decoder = ScaleDecoder(encoder.bytes)
        #expect(try decoder.readU32() == 0x0102_0304)
        #expect(try decoder.readI16() == -2)
        #expect(try decoder.readString() == "ok")
        var short = ScaleDecoder([1, 2, 3])
        #expect(throws: ScaleError.self) { try short.readU64() }
        var lying = ScaleDecoder([0x10, 1])
        #expect(throws: ScaleError.self) { try lying.readByteVector() }
    }
}
