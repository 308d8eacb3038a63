import FatHTTPTesting
import Synchronization

/// A loopback server that answers each request with the next reply of its script, written as it
/// is (`LoopbackResponse.verbatim`): for responses no real server would send (a bad status line,
/// a huge `Content-Length`, an endless header line, a connection closed mid-body). Once the
/// script is done, it closes the connection.
final class ScriptedPeer: Sendable {
    typealias Reply = LoopbackResponse

    /// The replies still to send and the requests seen, shared with the server's threads.
    private final class Script: Sendable {
        let state: Mutex<(replies: [Reply], requests: [String])>
        init(_ replies: [Reply]) { state = Mutex((replies, [])) }
    }

    private let server: LoopbackHTTPServer
    private let script: Script

    init(_ replies: [Reply]) throws {
        let script = Script(replies)
        server = try LoopbackHTTPServer { request in
            script.state.withLock { state in
                state.requests.append("\(request.method) \(request.path)")
                return state.replies.isEmpty ? .verbatim("", close: true) : state.replies.removeFirst()
            }
        }
        self.script = script
    }

    var port: Int { server.port }

    /// The requests received so far, as `METHOD /path`.
    var requests: [String] { script.state.withLock { $0.requests } }

    /// Connections accepted so far.
    var connections: Int { server.connectionCount }
}
