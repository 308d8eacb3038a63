/// Decodes a hexadecimal test vector; a malformed literal is a bug in the test itself.
func hex(_ text: String) -> [UInt8] {
    guard let bytes = [UInt8](hex: text) else { fatalError("malformed hex literal in test: \(text)") }
    return bytes
}

/// `count` bytes of the sequence 0, 1, 2, …, 255, 0, … used by the BLAKE2 and Keccak vectors.
func countingBytes(_ count: Int) -> [UInt8] {
    (0 ..< count).map { UInt8(truncatingIfNeeded: $0) }
}
