import FatCapabilities
import FatHTTPTesting

/// A fresh loopback server and a client allowed to reach it.
struct LoopbackFixture {
    let server: LoopbackHTTPServer
    let client: HTTPClient

    init(policy: (String) -> HTTPPolicy = { host in HTTPPolicy(allowedHosts: [host], allowPrivateAddresses: true) }) throws {
        server = try LoopbackHTTPServer()
        client = HTTPClient(policy: policy("127.0.0.1"))
    }

    func url(_ path: String) -> String { server.baseURL + path }

    func get(_ path: String, within seconds: Double = 5) -> Result<HTTPResponse, HTTPError> {
        client.perform(HTTPRequest(url: url(path)), deadline: .seconds(seconds))
    }
}

extension ContinuousClock.Instant {
    /// The instant `seconds` from now.
    static func seconds(_ seconds: Double) -> ContinuousClock.Instant {
        .now + .milliseconds(Int(seconds * 1000))
    }
}

extension Result {
    var value: Success? { try? get() }

    var error: Failure? {
        if case let .failure(error) = self { return error }
        return nil
    }
}

extension HTTPResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
}
