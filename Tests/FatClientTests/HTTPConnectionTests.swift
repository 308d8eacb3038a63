import FatHTTPTesting
import Foundation
import Testing

@testable import FatClient

/// The client's HTTP/1.1: what `fat serve` sends is read exactly, and what a broken or hostile
/// peer sends is an error naming the cause, with no unbounded wait or allocation.
@Suite("FatClient: HTTP/1.1 connections")
struct HTTPConnectionTests {
    func connection(_ peer: ScriptedPeer, timeoutSeconds: Int = 60) throws -> HTTPConnection {
        try HTTPConnection(host: "127.0.0.1", port: UInt16(peer.port), timeoutSeconds: timeoutSeconds)
    }

    func transportError(_ error: any Error) -> String? {
        if case let .transport(message) = error as? ClientError { return message }
        return nil
    }

    @Test func aKeptAliveConnectionCarriesSeveralRequests() throws {
        let peer = try ScriptedPeer([
            .verbatim("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Seq: 1\r\n\r\nfirst"),
            .verbatim("HTTP/1.1 404 Not Found\r\ncontent-length: 6\r\n\r\nsecond"),
        ])
        let http = try connection(peer)
        let first = try http.send(HTTPRequest(method: "GET", path: "/a"))
        #expect(first.status == 200 && first.text == "first" && first.header("X-SEQ") == "1")
        let second = try http.send(HTTPRequest(method: "POST", path: "/b", body: Array("{}".utf8)))
        #expect(second.status == 404 && second.text == "second")
        #expect(peer.connections == 1)
        #expect(peer.requests == ["GET /a", "POST /b"])
    }

    @Test func chunkedBodiesWithExtensionsAndTrailersAreJoined() throws {
        let peer = try ScriptedPeer([
            .verbatim("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;name=value\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n"),
            .verbatim("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
        ])
        let http = try connection(peer)
        #expect(try http.send(HTTPRequest(method: "GET", path: "/")).text == "abc0123456789")
        // The trailer was consumed: the next response on the connection reads cleanly.
        #expect(try http.send(HTTPRequest(method: "GET", path: "/")).text == "ok")
    }

    @Test func aLargeChunkedBodyFromARealServerArrivesWhole() throws {
        let server = try LoopbackHTTPServer { _ in LoopbackResponse(body: .generated(count: 5 << 20, chunked: true)) }
        let http = try HTTPConnection(host: "127.0.0.1", port: UInt16(server.port))
        let response = try http.send(HTTPRequest(method: "GET", path: "/big"))
        #expect(response.body.count == 5 << 20 && response.body.allSatisfy { $0 == UInt8(ascii: "x") })
    }

    @Test func aBodyWithoutLengthRunsUntilTheServerCloses() throws {
        let peer = try ScriptedPeer([.verbatim("HTTP/1.1 200 OK\r\n\r\nuntil the end", close: true)])
        #expect(try connection(peer).send(HTTPRequest(method: "GET", path: "/")).text == "until the end")
    }

    @Test func aConnectionClosedWhileIdleIsReopenedOnce() throws {
        // The first answer says nothing of closing, then the peer closes: the next request
        // finds the connection dead before any byte of its answer and is sent again.
        let peer = try ScriptedPeer([
            .verbatim("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none", close: true),
            .verbatim("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\ntwo"),
        ])
        let http = try connection(peer)
        #expect(try http.send(HTTPRequest(method: "GET", path: "/1")).text == "one")
        #expect(try http.send(HTTPRequest(method: "GET", path: "/2")).text == "two")
        #expect(peer.connections == 2)
    }

    @Test func aConnectionClosedMidAnswerIsAnErrorAndTheRequestIsNotSentTwice() throws {
        let peer = try ScriptedPeer([
            .verbatim("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none"),
            .verbatim("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..", close: true),
            .verbatim("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlate"),
        ])
        let http = try connection(peer)
        _ = try http.send(HTTPRequest(method: "GET", path: "/1"))
        #expect(throws: ClientError.closed) { try http.send(HTTPRequest(method: "POST", path: "/commands")) }
        #expect(peer.requests == ["GET /1", "POST /commands"])
    }

    @Test(arguments: [
        ("SSH-2.0-OpenSSH_9.2\r\n\r\n", "not an HTTP response"),
        ("HTTP/1.1 -5 Odd\r\nContent-Length: 0\r\n\r\n", "not an HTTP response"),
        ("HTTP/1.1 99999999999999999999 Big\r\n\r\n", "not an HTTP response"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n", "announced 99999999999 bytes"),
        ("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "bad Content-Length"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\n", "bad Content-Length"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n+5\r\nabcde\r\n0\r\n\r\n", "bad chunk size"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\n", "bad chunk size"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7FFFFFFFFFFFFFFF\r\n", "larger than this client's limit"),
    ])
    func malformedAnswersAreNamedErrors(answer: String, phrase: String) throws {
        let peer = try ScriptedPeer([.verbatim(answer)])
        let http = try connection(peer)
        #expect { try http.send(HTTPRequest(method: "GET", path: "/")) } throws: { error in
            transportError(error)?.contains(phrase) == true
        }
    }

    @Test func anEndlessHeaderLineIsCutAtTheLineLimit() throws {
        let line = "X-Long: " + String(repeating: "a", count: HTTPConnection.maxLineBytes + 10)
        let peer = try ScriptedPeer([.verbatim("HTTP/1.1 200 OK\r\n" + line)])
        #expect { try connection(peer).send(HTTPRequest(method: "GET", path: "/")) } throws: { error in
            transportError(error)?.contains("longer than \(HTTPConnection.maxLineBytes) bytes") == true
        }
    }

    @Test func aPeerThatNeverAnswersTimesOut() throws {
        let peer = try ScriptedPeer([.verbatim("HTTP/1.1 200 OK\r\n")])  // a status line, then silence
        let started = ContinuousClock.now
        #expect { try connection(peer, timeoutSeconds: 1).send(HTTPRequest(method: "GET", path: "/")) } throws: { error in
            transportError(error)?.contains("no answer from 127.0.0.1:\(peer.port) within 1 s") == true
        }
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func aConnectionAttemptNobodyAnswersTimesOut() throws {
        // A listener whose queue is full drops further attempts, as a host that filters them.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 0) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        try #require(listening)
        let port = UInt16(bigEndian: address.sin_port)
        // The first attempt fills the queue (nothing accepts it); the next one gets no answer.
        let first = try HTTPConnection(host: "127.0.0.1", port: port, connectTimeoutSeconds: 1)
        defer { first.close() }
        let started = ContinuousClock.now
        #expect { try HTTPConnection(host: "127.0.0.1", port: port, connectTimeoutSeconds: 1) } throws: { error in
            transportError(error)?.contains("cannot connect to 127.0.0.1:\(port): no answer within 1 s") == true
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func addressesTheTransportCannotReachAreRefusedUpFront() throws {
        for (url, phrase) in [
            ("https://127.0.0.1:8080", "https is not supported"), ("http://127.0.0.1:70000", "no valid port"),
            ("http://127.0.0.1:0", "no valid port"), ("127.0.0.1:8080", "not an http://HOST:PORT"), ("http://", "not an http://"),
        ] {
            #expect(throws: ClientError.self, "\(url)") { try SocketTransport(url: url) }
            #expect { try SocketTransport(url: url) } throws: { transportError($0)?.contains(phrase) == true }
        }
        #expect { try HTTPConnection(host: "example.org", port: 80) } throws: { transportError($0)?.contains("not an IPv4 address") == true }
        // A port bound but not listening refuses connections.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound)
        let port = UInt16(bigEndian: address.sin_port)
        #expect { try HTTPConnection(host: "127.0.0.1", port: port) } throws: { error in
            transportError(error)?.contains("cannot connect to 127.0.0.1:\(port)") == true
        }
    }
}
