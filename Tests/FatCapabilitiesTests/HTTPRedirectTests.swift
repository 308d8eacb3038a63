import FatCapabilities
import FatHTTPTesting
import Testing

@Suite struct HTTPRedirectTests {
    private func redirect(to target: String, status: Int = 302) -> String {
        "/redirect?status=\(status)&to="
            + target.utf8.map { byte in
                let character = Character(UnicodeScalar(byte))
                return character.isLetter || character.isNumber ? String(character) : "%" + String(byte, radix: 16, uppercase: true)
            }.joined()
    }

    @Test func aChainWithinTheLimitIsFollowedToTheEnd() throws {
        let fixture = try LoopbackFixture()
        let response = try fixture.get("/chain?n=5").get()
        #expect(response.statusCode == 200)
        #expect(response.text == "end of chain")
        #expect(fixture.server.requestCount == 6)
    }

    @Test func oneHopMoreThanTheLimitIsRefused() throws {
        let fixture = try LoopbackFixture()
        #expect(fixture.get("/chain?n=6").error == .tooManyRedirects(limit: 5))
        #expect(fixture.server.requestCount == 6)
    }

    @Test func aRedirectLoopEndsWithTooManyRedirects() throws {
        let fixture = try LoopbackFixture { host in HTTPPolicy(allowedHosts: [host], allowPrivateAddresses: true, maxRedirects: 3) }
        #expect(fixture.get("/loop").error == .tooManyRedirects(limit: 3))
        #expect(fixture.server.requestCount == 4)
    }

    @Test func withNoRedirectsAllowedAnyRedirectFails() throws {
        let fixture = try LoopbackFixture { host in HTTPPolicy(allowedHosts: [host], allowPrivateAddresses: true, maxRedirects: 0) }
        #expect(fixture.get(redirect(to: "/json", status: 301)).error == .tooManyRedirects(limit: 0))
    }

    @Test func aRedirectWithoutALocationIsTheResponse() throws {
        let fixture = try LoopbackFixture()
        let response = try fixture.get("/status?code=302").get()
        #expect(response.statusCode == 302)
        #expect(fixture.server.requestCount == 1)
    }

    @Test(arguments: [301, 302, 303, 307, 308])
    func everyRedirectStatusIsFollowed(status: Int) throws {
        let fixture = try LoopbackFixture()
        let response = try fixture.get(redirect(to: "/json", status: status)).get()
        #expect(response.text == LoopbackRoutes.jsonDocument)
    }

    @Test func anAbsoluteRedirectToTheSameServerIsFollowed() throws {
        let fixture = try LoopbackFixture()
        #expect(try fixture.get(redirect(to: fixture.url("/json"))).get().text == LoopbackRoutes.jsonDocument)
    }

    @Test func aRedirectToAHostOutsideTheAllowListIsRefused() throws {
        let fixture = try LoopbackFixture()
        let result = fixture.get(redirect(to: "http://localhost:\(fixture.server.port)/json"))
        #expect(result.error == .hostNotAllowed("localhost:\(fixture.server.port)"))
        #expect(fixture.server.requestCount == 1)
    }

    @Test func aRedirectToAFileURLIsRefused() throws {
        let fixture = try LoopbackFixture()
        #expect(fixture.get(redirect(to: "file:///etc/passwd")).error == .unsupportedScheme("file"))
    }

    @Test func aRedirectToAPrivateAddressIsRefusedWhenTheFirstHopWasAllowed() throws {
        let server = try LoopbackHTTPServer()
        // 127.0.0.1 is the one private address allowed, so the first hop is served; the hop to
        // 127.0.0.2 passes the allow-list but not the address check, before any connection.
        let client = HTTPClient(policy: HTTPPolicy(allowedHosts: ["127.0.0.1", "127.0.0.2"], allowedPrivateAddresses: ["127.0.0.1"]))
        let error = client.perform(HTTPRequest(url: server.baseURL + redirect(to: "http://127.0.0.2:\(server.port)/json")), deadline: .seconds(5))
            .error
        #expect(error == .privateAddress("127.0.0.2"))
        #expect(server.requestCount == 1, "the first hop reached the server")
    }

    @Test(arguments: [303, 302, 301])
    func aPostRedirectedBy301302Or303ContinuesAsABodilessGet(status: Int) throws {
        let fixture = try LoopbackFixture()
        let request = HTTPRequest(
            method: "POST", url: fixture.url(redirect(to: "/echo", status: status)),
            headers: [HTTPHeader(name: "Content-Type", value: "text/plain")], body: Array("form".utf8))
        let response = try fixture.client.perform(request, deadline: .seconds(5)).get()
        #expect(response.text.hasPrefix("GET /echo HTTP/1.1\r\n"))
        #expect(!response.text.contains("Content-Type"))
        #expect(response.text.hasSuffix("\r\n\r\n"))
    }

    @Test func aPutRedirectedBy303BecomesAGet() throws {
        let fixture = try LoopbackFixture()
        let response = try fixture.client.perform(
            HTTPRequest(method: "PUT", url: fixture.url(redirect(to: "/echo", status: 303)), body: [1]),
            deadline: .seconds(5)
        ).get()
        #expect(response.text.hasPrefix("GET /echo HTTP/1.1\r\n"))
    }

    @Test(arguments: [307, 308])
    func a307Or308RepeatsTheMethodAndBody(status: Int) throws {
        let fixture = try LoopbackFixture()
        let request = HTTPRequest(method: "POST", url: fixture.url(redirect(to: "/echo", status: status)), body: Array("kept".utf8))
        let response = try fixture.client.perform(request, deadline: .seconds(5)).get()
        #expect(response.text.hasPrefix("POST /echo HTTP/1.1\r\n"))
        #expect(response.text.hasSuffix("\r\n\r\nkept"))
    }

    @Test func credentialsStayOnTheOriginAndAreDroppedWhenARedirectLeavesIt() throws {
        let fixture = try LoopbackFixture { _ in HTTPPolicy(allowedHosts: ["127.0.0.1", "localhost"], allowPrivateAddresses: true) }
        let headers = [HTTPHeader(name: "Authorization", value: "Bearer secret"), HTTPHeader(name: "X-Kept", value: "yes")]
        let sameOrigin = try fixture.client.perform(HTTPRequest(url: fixture.url(redirect(to: "/echo")), headers: headers), deadline: .seconds(5))
            .get()
        #expect(sameOrigin.text.contains("Authorization: Bearer secret"))
        let elsewhere = HTTPRequest(url: fixture.url(redirect(to: "http://localhost:\(fixture.server.port)/echo")), headers: headers)
        let response = try fixture.client.perform(elsewhere, deadline: .seconds(5)).get()
        #expect(response.text.hasPrefix("GET /echo HTTP/1.1\r\n"))
        #expect(!response.text.contains("Authorization"))
        #expect(response.text.contains("X-Kept: yes"))
    }
}
