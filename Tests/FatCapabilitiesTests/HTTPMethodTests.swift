import FatCapabilities
import FatHTTPTesting
import Foundation
import Testing

@Suite struct HTTPMethodTests {
    @Test(arguments: ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
    func eachMethodReachesTheServerWithItsBody(method: String) throws {
        let fixture = try LoopbackFixture()
        let request = HTTPRequest(method: method, url: fixture.url("/echo"), body: Array("payload".utf8))
        let response = try fixture.client.perform(request, deadline: .seconds(5)).get()
        #expect(response.statusCode == 200)
        #expect(HTTPHeader.named("x-echo-method", in: response.headers) == method)
        #expect(response.text.hasPrefix("\(method) /echo HTTP/1.1\r\n"))
        #expect(response.text.hasSuffix("\r\n\r\npayload"))
        #expect(response.text.contains("Content-Length: 7\r\n"))
    }

    /// One client reuses its handles: nothing of one request (method, body, headers) may carry
    /// over to the next.
    @Test func requestsInTurnOnOneClientCarryNothingOver() throws {
        let fixture = try LoopbackFixture()
        let sequence: [(String, [UInt8], [HTTPHeader])] = [
            ("POST", Array("first".utf8), [HTTPHeader(name: "X-Only-First", value: "1")]),
            ("GET", [], []),
            ("PUT", Array("third".utf8), []),
            ("HEAD", [], []),
            ("DELETE", [], []),
            ("GET", [], []),
            ("PATCH", Array("last".utf8), []),
        ]
        for (method, body, headers) in sequence {
            let response = try fixture.client.perform(
                HTTPRequest(method: method, url: fixture.url("/echo"), headers: headers, body: body),
                deadline: .seconds(5)
            ).get()
            #expect(response.statusCode == 200)
            #expect(HTTPHeader.named("x-echo-method", in: response.headers) == method)
            if method == "HEAD" {
                #expect(response.body.isEmpty)
                continue
            }
            #expect(response.text.hasPrefix("\(method) /echo HTTP/1.1\r\n"), "\(response.text)")
            #expect(response.text.hasSuffix("\r\n\r\n" + String(decoding: body, as: UTF8.self)), "\(method): \(response.text)")
            #expect(response.text.contains("X-Only-First") == (method == "POST"), "\(method): \(response.text)")
            if method == "GET" || method == "DELETE" { #expect(!response.text.contains("Content-Length"), "\(method): \(response.text)") }
        }
        #expect(fixture.server.connectionCount == 1)
    }

    @Test func headSendsNoBodyAndReceivesNone() throws {
        let fixture = try LoopbackFixture()
        let response = try fixture.client.perform(HTTPRequest(method: "HEAD", url: fixture.url("/json")), deadline: .seconds(5)).get()
        #expect(response.statusCode == 200)
        #expect(response.body.isEmpty)
        #expect(HTTPHeader.named("Content-Length", in: response.headers) == String(LoopbackRoutes.jsonDocument.utf8.count))
    }

    @Test(arguments: ["get", "CONNECT", "TRACE", "G ET", ""])
    func otherMethodsAreRefusedWithoutIO(method: String) throws {
        let fixture = try LoopbackFixture()
        let result = fixture.client.perform(HTTPRequest(method: method, url: fixture.url("/echo")), deadline: .seconds(5))
        #expect(result.error == .invalidMethod(method))
        #expect(fixture.server.connectionCount == 0)
    }

    @Test func requestHeadersAreSentAsGivenAndNoDefaultsAdded() throws {
        let fixture = try LoopbackFixture()
        let headers = [
            HTTPHeader(name: "X-Custom", value: "one two"), HTTPHeader(name: "X-Custom", value: "again"),
            HTTPHeader(name: "X-Empty", value: ""),
        ]
        let response = try fixture.client.perform(
            HTTPRequest(method: "POST", url: fixture.url("/echo"), headers: headers, body: [1, 2]),
            deadline: .seconds(5)
        ).get()
        let lines = response.text.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
        #expect(lines.contains("X-Custom: one two"))
        #expect(lines.contains("X-Custom: again"))
        #expect(lines.contains("X-Empty:"))
        let names = Set(lines.dropFirst().compactMap { $0.split(separator: ":").first.map { $0.lowercased() } })
        #expect(names == ["host", "x-custom", "x-empty", "content-length"])
    }

    @Test func responseHeadersStatusAndReasonAreReturned() throws {
        let fixture = try LoopbackFixture()
        let response = try fixture.get("/json").get()
        #expect(response.statusCode == 200)
        #expect(response.reasonPhrase == "OK")
        #expect(response.headers.first == HTTPHeader(name: "Content-Type", value: "application/json"))
        #expect(HTTPHeader.named("content-length", in: response.headers) == String(response.body.count))
    }

    @Test func aJSONDocumentArrivesIntact() throws {
        let fixture = try LoopbackFixture()
        let response = try fixture.get("/json").get()
        #expect(response.text == LoopbackRoutes.jsonDocument)
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        #expect(object?["name"] as? String == "fat")
        #expect(object?["values"] as? [Int] == [1, 2, 3])
    }

    @Test(arguments: [404, 500, 503, 204])
    func errorStatusesAreResponsesNotErrors(status: Int) throws {
        let fixture = try LoopbackFixture()
        let response = try fixture.get("/status?code=\(status)").get()
        #expect(response.statusCode == UInt16(status))
        #expect(response.body.isEmpty)
    }

    @Test func unknownRouteGivesTheServer404AndItsReason() throws {
        let fixture = try LoopbackFixture()
        let response = try fixture.get("/nowhere").get()
        #expect(response.statusCode == 404)
        #expect(response.reasonPhrase == "Not Found")
        #expect(response.text == "no route for /nowhere")
    }

    @Test func anEmptyPostBodyIsSentWithContentLengthZero() throws {
        let fixture = try LoopbackFixture()
        let response = try fixture.client.perform(HTTPRequest(method: "POST", url: fixture.url("/echo")), deadline: .seconds(5)).get()
        #expect(response.text.hasPrefix("POST /echo HTTP/1.1\r\n"))
        #expect(response.text.contains("Content-Length: 0\r\n"))
        #expect(response.text.hasSuffix("\r\n\r\n"))
    }

    @Test func anEmptyResponseBodyIsEmpty() throws {
        let fixture = try LoopbackFixture()
        let response = try fixture.get("/bytes?n=0").get()
        #expect(response.statusCode == 200)
        #expect(response.body == [])
    }

    @Test func aOneMebibyteRequestBodyArrivesWhole() throws {
        let fixture = try LoopbackFixture()
        let body = (0 ..< 1 << 20).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let response = try fixture.client.perform(HTTPRequest(method: "POST", url: fixture.url("/length"), body: body), deadline: .seconds(10)).get()
        #expect(response.text == String(1 << 20))
        let echoed = try fixture.client.perform(HTTPRequest(method: "PUT", url: fixture.url("/echo"), body: body), deadline: .seconds(10)).get()
        #expect(Array(echoed.body.suffix(body.count)) == body)
    }

    @Test func aBodyOfExactlyTheLimitIsAccepted() throws {
        let fixture = try LoopbackFixture { host in HTTPPolicy(allowedHosts: [host], allowPrivateAddresses: true, maxResponseBytes: 1000) }
        #expect(try fixture.get("/bytes?n=1000").get().body.count == 1000)
        #expect(try fixture.get("/bytes?n=1000&chunked=1").get().body.count == 1000)
    }

    @Test func headersWithLineBreaksAreRefusedWithoutIO() throws {
        let fixture = try LoopbackFixture()
        for header in [
            HTTPHeader(name: "X-A", value: "1\r\nX-Injected: 2"), HTTPHeader(name: "Bad Name", value: "1"),
            HTTPHeader(name: "", value: "1"), HTTPHeader(name: "X-B:", value: "1"),
        ] {
            let result = fixture.client.perform(HTTPRequest(url: fixture.url("/echo"), headers: [header]), deadline: .seconds(5))
            #expect(result.error == .invalidHeader(header.name))
        }
        #expect(fixture.server.connectionCount == 0)
    }
}
