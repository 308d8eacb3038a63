import FatClient
import FatCodec
import Synchronization

/// A transport answered by a closure, keeping every request it carried: for what the client
/// does with an answer, whatever sent it.
final class StubTransport: HTTPTransport {
    private let answer: @Sendable (HTTPRequest) -> HTTPResponse
    private let sent = Mutex<[HTTPRequest]>([])

    init(_ answer: @escaping @Sendable (HTTPRequest) -> HTTPResponse) { self.answer = answer }

    /// Answers every request with `status` and `json`.
    convenience init(status: Int = 200, json: JSONValue) {
        self.init { _ in HTTPResponse(status: status, headers: [("content-type", "application/json")], body: Array(json.serialized().utf8)) }
    }

    var requests: [HTTPRequest] { sent.withLock { $0 } }

    func send(_ request: HTTPRequest) throws -> HTTPResponse {
        sent.withLock { $0.append(request) }
        return answer(request)
    }
}
