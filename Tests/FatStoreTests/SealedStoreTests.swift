import FatCrypto
import FatStore
import Foundation
import Testing

@Suite("Sealed store")
struct SealedStoreTests {
    func temporaryDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fat-store-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func allFileBytes(_ directory: String) -> Data {
        var data = Data()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix("state.sqlite") {
            data += FileManager.default.contents(atPath: directory + "/" + name) ?? Data()
        }
        return data
    }

    @Test func keysAndValuesAreNeverOnDiskInPlaintext() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SealedStore(directory: dir)
        let contract = [UInt8](repeating: 7, count: 32)
        let key = Array("secret-balance-of-alice".utf8)
        let value = Array("ninety-nine-thousand-gold-coins".utf8)
        try store.write { writer in
            try writer.setStorage(contract: contract, key: key, value: value)
            try writer.appendLog(seq: 1, entry: Array("log entry naming secret-balance-of-alice".utf8))
        }
        let bytes = allFileBytes(dir)
        #expect(bytes.count > 0)
        #expect(bytes.range(of: Data(key)) == nil)
        #expect(bytes.range(of: Data(value)) == nil)
        let read = try store.readOnWriterConnection { try $0.storage(of: contract) }
        #expect(read.count == 1)
        #expect(read.first?.key == key && read.first?.value == value)
    }

    @Test func theMasterKeyFileIsCreatedReadableByItsOwnerOnly() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try SealedStore(directory: dir)
        let mode = try FileManager.default.attributesOfItem(atPath: dir + "/master.key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        chmod(dir + "/master.key", 0o644)
        #expect(throws: StoreError.self) { _ = try SealedStore(directory: dir) }
    }

    @Test func aWrongMasterKeyIsRefusedBeforeAnythingIsWritten() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let store = try SealedStore(directory: dir)
            try store.write { try $0.setStorage(contract: [UInt8](repeating: 1, count: 32), key: [1], value: [2]) }
        }
        let before = allFileBytes(dir)
        let otherKey = dir + "/other.key"
        _ = try MasterKey.loadOrCreate(at: otherKey)
        do {
            _ = try SealedStore(directory: dir, masterKeyPath: otherKey)
            Issue.record("a wrong key opened the store")
        } catch let error as StoreError {
            guard case .wrongMasterKey = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(error.description.contains("does not open"))
        }
        #expect(allFileBytes(dir) == before)
    }

    @Test func aTruncatedDatabaseIsAnErrorAndIsNotReset() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let store = try SealedStore(directory: dir)
            try store.write { writer in
                for index in 0 ..< 500 {
                    try writer.setStorage(contract: [UInt8](repeating: 1, count: 32), key: le(index), value: [UInt8](repeating: 9, count: 200))
                }
            }
        }
        let path = dir + "/state.sqlite"
        let full = try #require(FileManager.default.contents(atPath: path))
        try full.prefix(full.count / 2).write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.self) {
            let store = try SealedStore(directory: dir)
            _ = try store.readOnWriterConnection { try $0.storage(of: [UInt8](repeating: 1, count: 32)) }
        }
        #expect(FileManager.default.contents(atPath: path)?.count == full.count / 2)
    }

    @Test func aFileThatIsNotADatabaseIsAnError() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try MasterKey.loadOrCreate(at: dir + "/master.key")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: dir + "/state.sqlite"))
        do {
            _ = try SealedStore(directory: dir)
            Issue.record("garbage opened as a store")
        } catch let error as StoreError {
            #expect(error.description.contains("damaged or not a FatContract store"))
        }
    }

    @Test func aRecordMovedToAnotherPlaceFailsToOpen() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SealedStore(directory: dir)
        try store.write { writer in
            try writer.appendLog(seq: 1, entry: [1, 2, 3])
            try writer.appendLog(seq: 2, entry: [4, 5, 6])
        }
        // Swap the two sealed log rows with plain SQL: each is bound to its sequence number.
        let raw = try SQLiteConnection(path: dir + "/state.sqlite")
        try raw.execute("UPDATE log SET seq = 3 WHERE seq = 1; UPDATE log SET seq = 1 WHERE seq = 2; UPDATE log SET seq = 2 WHERE seq = 3;")
        #expect(throws: StoreError.self) { _ = try store.readOnWriterConnection { try $0.logEntries(from: 1) } }
    }

    func le(_ value: Int) -> [UInt8] { withUnsafeBytes(of: UInt32(value).littleEndian) { Array($0) } }
}
