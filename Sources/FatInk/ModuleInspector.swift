import WasmParser

/// Reads the parts of a Wasm binary the host checks before accepting a contract (imports,
/// exports, mutable globals) and rewrites it to export every mutable global, so that a warm
/// instance can have its globals reset between calls.
struct ModuleInspector {
    struct Import {
        let module: String
        let name: String
        /// 0 function, 1 table, 2 memory, 3 global
        let kind: UInt8
        let memoryLimits: (min: UInt64, max: UInt64?)?
    }

    private(set) var imports: [Import] = []
    private(set) var exports: [(name: String, kind: UInt8, index: UInt32)] = []
    /// Indices (in the global index space) of mutable globals defined by the module.
    private(set) var mutableGlobals: [UInt32] = []
    private var sections: [(id: UInt8, content: ArraySlice<UInt8>)] = []

    init(_ bytes: [UInt8]) throws {
        guard bytes.count >= 8, bytes[0 ..< 4] == [0x00, 0x61, 0x73, 0x6d] else { throw InkCodeError("not a Wasm module (no \\0asm header)") }
        guard bytes[4 ..< 8] == [1, 0, 0, 0] else { throw InkCodeError("unsupported Wasm binary version") }
        var reader = Reader(bytes: bytes, offset: 8)
        while !reader.atEnd {
            let id = try reader.byte()
            let declared = try reader.uleb()
            guard declared <= UInt64(bytes.count - reader.offset) else {
                throw InkCodeError("section \(id) declares \(declared) bytes but only \(bytes.count - reader.offset) remain")
            }
            let size = Int(declared)
            let content = bytes[reader.offset ..< reader.offset + size]
            sections.append((id, content))
            var section = Reader(bytes: bytes, offset: reader.offset, end: reader.offset + size)
            reader.offset += size
            switch id {
            case 2:
                for _ in 0 ..< (try section.uleb()) {
                    let module = try section.name()
                    let name = try section.name()
                    let kind = try section.byte()
                    var limits: (UInt64, UInt64?)?
                    switch kind {
                    case 0: _ = try section.uleb()
                    case 1:
                        _ = try section.byte()
                        _ = try section.limits()
                    case 2: limits = try section.limits()
                    case 3:
                        _ = try section.byte()
                        _ = try section.byte()
                    default: throw InkCodeError("unknown import kind \(kind)")
                    }
                    imports.append(Import(module: module, name: name, kind: kind, memoryLimits: limits))
                }
                guard section.atEnd else { throw InkCodeError("the import section has bytes past its last import") }
            case 7:
                for _ in 0 ..< (try section.uleb()) {
                    let name = try section.name()
                    let kind = try section.byte()
                    exports.append((name, kind, try section.u32("export index")))
                }
                guard section.atEnd else { throw InkCodeError("the export section has bytes past its last export") }
            case 8:
                // A start function would run when an instance is made, before any gas is set,
                // and again with every fresh instance; pallet-contracts refuses it too.
                throw InkCodeError("the module has a start function; contracts may not (it would run unmetered whenever an instance is made)")
            default:
                break
            }
        }
        mutableGlobals = try Self.mutableGlobals(of: bytes)
    }

    /// The mutable globals, read by WasmKit's parser (with the features contracts may use), in the
    /// global index space: imported globals first, then the module's own.
    private static func mutableGlobals(of bytes: [UInt8]) throws -> [UInt32] {
        var parser = WasmParser.Parser(bytes: bytes, features: InkCode.features)
        var imported: UInt32 = 0
        var mutable: [UInt32] = []
        do {
            while let payload = try parser.parseNext() {
                switch payload {
                case let .importSection(imports):
                    for entry in imports { if case .global = entry.descriptor { imported &+= 1 } }
                case let .globalSection(globals):
                    if let wide = globals.firstIndex(where: { $0.type.valueType == .v128 }) {
                        throw InkCodeError("global \(wide) is a v128 (SIMD) value; contracts may not use SIMD")
                    }
                    for (index, global) in globals.enumerated() where global.type.mutability == .variable {
                        let (position, overflow) = imported.addingReportingOverflow(UInt32(truncatingIfNeeded: index))
                        guard !overflow, index < Int(UInt32.max) else { throw InkCodeError("the module has more than 2^32 globals") }
                        mutable.append(position)
                    }
                default:
                    break
                }
            }
        } catch let error as InkCodeError {
            throw error
        } catch {
            throw InkCodeError("the module does not parse: \(error)")
        }
        return mutable
    }

    static func globalExportName(_ index: UInt32) -> String { "__fat_global_\(index)" }

    /// The export name of each global that is exported (the first, when it has several).
    private var globalExports: [UInt32: String] {
        var names: [UInt32: String] = [:]
        for export in exports where export.kind == 3 && names[export.index] == nil { names[export.index] = export.name }
        return names
    }

    /// The export names of every mutable global once `exportingMutableGlobals` has run.
    var mutableGlobalExportNames: [String] {
        let exported = globalExports
        return mutableGlobals.map { exported[$0] ?? Self.globalExportName($0) }
    }

    /// The module with an export for every mutable global that has none.
    func exportingMutableGlobals() -> [UInt8] {
        let exported = globalExports
        let missing = mutableGlobals.filter { exported[$0] == nil }
        if missing.isEmpty { return rebuild(sections) }
        var entries = exports.map { ($0.name, $0.kind, $0.index) }
        for global in missing { entries.append((Self.globalExportName(global), 3, global)) }
        var content: [UInt8] = Writer.uleb(UInt64(entries.count))
        for (name, kind, index) in entries {
            content += Writer.uleb(UInt64(name.utf8.count)) + Array(name.utf8) + [kind] + Writer.uleb(UInt64(index))
        }
        var result = sections
        if let position = result.firstIndex(where: { $0.id == 7 }) {
            result[position].content = content[...]
        } else {
            let position = result.firstIndex { $0.id != 0 && $0.id > 7 && $0.id != 12 } ?? result.count
            result.insert((7, content[...]), at: position)
        }
        return rebuild(result)
    }

    private func rebuild(_ parts: [(id: UInt8, content: ArraySlice<UInt8>)]) -> [UInt8] {
        var out: [UInt8] = [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]
        for part in parts { out += [part.id] + Writer.uleb(UInt64(part.content.count)) + part.content }
        return out
    }
}

private enum Writer {
    static func uleb(_ value: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        var rest = value
        repeat {
            var byte = UInt8(rest & 0x7f)
            rest >>= 7
            if rest != 0 { byte |= 0x80 }
            out.append(byte)
        } while rest != 0
        return out
    }
}

private struct Reader {
    let bytes: [UInt8]
    var offset: Int
    var end: Int

    init(bytes: [UInt8], offset: Int, end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = end ?? bytes.count
    }

    var atEnd: Bool { offset >= end }

    mutating func byte() throws -> UInt8 {
        guard offset < end else { throw InkCodeError("the module ends inside a section") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uleb() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw InkCodeError("an integer in the module is too long") }
            result |= UInt64(next & 0x7f) << shift
            if next & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// A LEB128 value the format declares as u32.
    mutating func u32(_ what: String) throws -> UInt32 {
        let value = try uleb()
        guard let narrow = UInt32(exactly: value) else { throw InkCodeError("the \(what) \(value) does not fit 32 bits") }
        return narrow
    }

    mutating func name() throws -> String {
        let declared = try uleb()
        guard declared <= UInt64(end - offset) else { throw InkCodeError("a name of \(declared) bytes runs past its section") }
        let length = Int(declared)
        defer { offset += length }
        return String(decoding: bytes[offset ..< offset + length], as: UTF8.self)
    }

    mutating func limits() throws -> (UInt64, UInt64?) {
        let flags = try byte()
        let minimum = try uleb()
        return (minimum, flags & 1 != 0 ? try uleb() : nil)
    }
}
