import FatAPI

/// The first byte picks what the rest is: a command body, a query body, a staging body, an
/// `Authorization` header, or a query-string value; each is read as `fat serve` reads it.
enum RequestTarget {
    static func run(_ bytes: [UInt8]) -> Bool {
        guard let kind = bytes.first else { return false }
        let rest = Array(bytes.dropFirst())
        switch kind % 5 {
        case 0: return (try? CommandRequest(rest)) != nil
        case 1: return (try? QueryRequest(rest)) != nil
        case 2: return (try? CodeRequest(rest)) != nil
        case 3: return (try? RequestSigner(authorization: String(decoding: rest, as: UTF8.self))) != nil
        default: return (try? QueryParameter.unsigned(Substring(String(decoding: rest, as: UTF8.self)), name: "from")) != nil
        }
    }
}
