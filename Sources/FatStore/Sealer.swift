import FatCrypto

/// Seals and opens records with AES-256-GCM under one derived key.
///
/// A sealed record is `nonce (12) ‖ ciphertext ‖ tag (16)`. Nonces are random, so they never
/// repeat in practice under one key; the associated data binds a record to its place (its table,
/// sequence number, contract and key), so a record copied to another place fails to open.
/// **Thread-safe.**
package struct Sealer: Sendable {
    private let cipher: AES256GCM

    package init(key: [UInt8]) throws {
        cipher = try AES256GCM(key: key)
    }

    package func seal(_ plaintext: [UInt8], binding aad: [UInt8]) -> [UInt8] {
        let nonce = SecureRandom.bytes(12)
        return nonce + cipher.seal(plaintext, nonce: nonce, authenticating: aad)
    }

    package func open(_ sealed: [UInt8], binding aad: [UInt8], what: @autoclosure () -> String) throws -> [UInt8] {
        guard sealed.count >= 28 else { throw StoreError.tampered(what: what()) }
        do {
            return try cipher.open(Array(sealed[12...]), nonce: Array(sealed[..<12]), authenticating: aad)
        } catch {
            throw StoreError.tampered(what: what())
        }
    }
}

/// The keys one contract's storage is sealed with: a MAC key that hides storage keys and an
/// encryption key for values. Derived from the master key and the contract address.
package struct ContractSealer: Sendable {
    package let address: [UInt8]
    let macKey: [UInt8]
    let sealer: Sealer

    init(master: [UInt8], address: [UInt8]) throws {
        self.address = address
        macKey = HKDF.sha256(inputKey: master, salt: Array("fatcontract.v1".utf8), info: Array("storage-key".utf8) + address, outputLength: 32)
        sealer = try Sealer(
            key: HKDF.sha256(inputKey: master, salt: Array("fatcontract.v1".utf8), info: Array("storage-value".utf8) + address, outputLength: 32))
    }

    /// The storage key as it appears on disk.
    package func diskKey(_ key: [UInt8]) -> [UInt8] {
        HMACSHA256.authenticate(key: macKey, data: key)
    }

    package func sealValue(key: [UInt8], value: [UInt8]) -> [UInt8] {
        // The plaintext key travels inside the sealed value so that a full load can recover it.
        var plain = [UInt8]()
        plain.reserveCapacity(4 + key.count + value.count)
        withUnsafeBytes(of: UInt32(key.count).littleEndian) { plain.append(contentsOf: $0) }
        plain += key
        plain += value
        return sealer.seal(plain, binding: address + diskKey(key))
    }

    package func openValue(diskKey: [UInt8], sealed: [UInt8]) throws -> (key: [UInt8], value: [UInt8]) {
        let plain = try sealer.open(sealed, binding: address + diskKey, what: "storage of contract 0x\(address.hexString)")
        guard plain.count >= 4 else { throw StoreError.tampered(what: "storage of contract 0x\(address.hexString)") }
        let keyLength = Int(UInt32(plain[0]) | UInt32(plain[1]) << 8 | UInt32(plain[2]) << 16 | UInt32(plain[3]) << 24)
        guard plain.count >= 4 + keyLength else { throw StoreError.tampered(what: "storage of contract 0x\(address.hexString)") }
        return (Array(plain[4 ..< 4 + keyLength]), Array(plain[(4 + keyLength)...]))
    }
}
