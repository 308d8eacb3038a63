/// Rewrites WebAssembly text from before the 1.0 text format into today's, so that older contract
/// sources (pallet-contracts' own fixtures among them) compile: instruction names (`get_local` →
/// `local.get`, …) and the folded `if` without `then`: `(if C T)` → `(if C (then T))` and
/// `(if C T E)` → `(if C (then T) (else E))`. Today's parser reads a `then`-less `if` as all
/// condition and no branch, so without this the "then" instruction would always run.
enum LegacyWAT {
    static let names: [(String, String)] = [
        ("get_local", "local.get"), ("set_local", "local.set"), ("tee_local", "local.tee"),
        ("get_global", "global.get"), ("set_global", "global.set"),
        ("current_memory", "memory.size"), ("grow_memory", "memory.grow"),
        ("i32.wrap/i64", "i32.wrap_i64"), ("i64.extend_s/i32", "i64.extend_i32_s"), ("i64.extend_u/i32", "i64.extend_i32_u"),
        ("anyfunc", "funcref"),
    ]

    static func modernized(_ text: String) -> String {
        let renamed = names.reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
        return String(decoding: rewriteIfs(Array(renamed.utf8)), as: UTF8.self)
    }

    /// A parenthesised list in the text: where it opens and closes, and its direct sub-lists.
    private struct List {
        var open: Int
        var close = -1
        var children: [(open: Int, close: Int)] = []
    }

    /// Every list of `text`, outermost first, skipping strings and comments.
    private static func lists(_ text: [UInt8]) -> [List] {
        var all: [List] = []
        var stack: [Int] = []
        var i = 0
        while i < text.count {
            switch text[i] {
            case UInt8(ascii: "\""):
                i += 1
                while i < text.count, text[i] != UInt8(ascii: "\"") { i += text[i] == UInt8(ascii: "\\") ? 2 : 1 }
            case UInt8(ascii: ";") where i + 1 < text.count && text[i + 1] == UInt8(ascii: ";"):
                while i < text.count, text[i] != UInt8(ascii: "\n") { i += 1 }
            case UInt8(ascii: "(") where i + 1 < text.count && text[i + 1] == UInt8(ascii: ";"):
                var depth = 0
                repeat {
                    if text[i] == UInt8(ascii: "("), i + 1 < text.count, text[i + 1] == UInt8(ascii: ";") {
                        depth += 1
                        i += 1
                    } else if text[i] == UInt8(ascii: ";"), i + 1 < text.count, text[i + 1] == UInt8(ascii: ")") {
                        depth -= 1
                        i += 1
                    }
                    i += 1
                } while i < text.count && depth > 0
                continue
            case UInt8(ascii: "("):
                stack.append(all.count)
                all.append(List(open: i))
            case UInt8(ascii: ")"):
                if let index = stack.popLast() {
                    all[index].close = i
                    if let parent = stack.last { all[parent].children.append((all[index].open, i)) }
                }
            default:
                break
            }
            i += 1
        }
        return all
    }

    private static func head(_ text: [UInt8], _ open: Int) -> String {
        var end = open + 1
        while end < text.count, !" \t\n\r()".utf8.contains(text[end]) { end += 1 }
        return String(decoding: text[(open + 1) ..< end], as: UTF8.self)
    }

    private static func rewriteIfs(_ text: [UInt8]) -> [UInt8] {
        // Insertions as (position, text), applied from the end so positions stay valid.
        var insertions: [(Int, String)] = []
        for list in lists(text) where list.close > 0 && head(text, list.open) == "if" {
            let heads = list.children.map { head(text, $0.open) }
            guard !heads.contains("then") else { continue }
            let branches = zip(list.children, heads).filter { !["result", "param", "type"].contains($0.1) }.map(\.0)
            guard branches.count == 2 || branches.count == 3 else { continue }
            insertions.append((branches[1].open, "(then "))
            insertions.append((branches[1].close + 1, ")"))
            if branches.count == 3 {
                insertions.append((branches[2].open, "(else "))
                insertions.append((branches[2].close + 1, ")"))
            }
        }
        var result = text
        for (position, insert) in insertions.sorted(by: { $0.0 > $1.0 }) {
            result.insert(contentsOf: Array(insert.utf8), at: position)
        }
        return result
    }
}
