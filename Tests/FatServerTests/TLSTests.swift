import CCurl
import FatAPI
import FatCodec
import FatRuntime
import FatServer
import Foundation
import Testing

/// `fat serve --tls-cert --tls-key`: HTTPS with the given certificate, checked by libcurl against
/// it as the only trusted authority.
@Suite("fat serve: TLS", .serialized)
struct TLSTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let certificate = fixtures.appendingPathComponent("loopback-cert.pem").path
    static let key = fixtures.appendingPathComponent("loopback-key.pem").path

    /// A GET through libcurl that trusts only `authority`: the transfer's result, status and body.
    final class Transfer: @unchecked Sendable {
        var body: [UInt8] = []

        func get(_ url: String, authority: String) -> (code: CURLcode, status: Int, text: String) {
            curl_global_init(Int(CURL_GLOBAL_DEFAULT))
            let handle = curl_easy_init()!
            defer { curl_easy_cleanup(handle) }
            fat_curl_easy_setopt_string(handle, CURLOPT_URL, url)
            fat_curl_easy_setopt_string(handle, CURLOPT_CAINFO, authority)
            fat_curl_easy_setopt_string(handle, CURLOPT_PROXY, "")
            fat_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            fat_curl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, 10_000)
            fat_curl_easy_setopt_write_function(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
                let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
                transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: size * count))
                return size * count
            }
            fat_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(self).toOpaque())
            let code = curl_easy_perform(handle)
            var status = 0
            fat_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            return (code, status, String(decoding: body, as: UTF8.self))
        }
    }

    func tlsConfiguration(certificate: String = certificate, key: String = key) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.tls = ServerConfiguration.TLSFiles(certificateChainPath: certificate, privateKeyPath: key)
        return configuration
    }

    @Test func theServerAnswersOverHTTPSWithItsCertificate() async throws {
        let server = try await TestServer(configuration: tlsConfiguration())
        defer { Task { await server.stop() } }
        let answer = try await blocking { Transfer().get("https://127.0.0.1:\(server.port)/v1/info", authority: Self.certificate) }
        #expect(answer.code == CURLE_OK, "\(String(cString: curl_easy_strerror(answer.code)))")
        #expect(answer.status == 200)
        let info = try JSONValue.parse(Array(answer.text.utf8))
        #expect(info["tls"] == .bool(true))
        // Plain HTTP to the TLS port gets no answer.
        let plain = try await blocking { Transfer().get("http://127.0.0.1:\(server.port)/health", authority: Self.certificate) }
        #expect(plain.code != CURLE_OK || plain.status != 200)
        // A client that does not trust the certificate refuses the connection.
        let untrusted = try await blocking { Transfer().get("https://127.0.0.1:\(server.port)/health", authority: "/dev/null") }
        #expect(untrusted.code != CURLE_OK)
    }

    @Test func anUnreadableCertificateIsAnErrorNamingTheFile() async throws {
        await #expect {
            _ = try await TestServer(configuration: tlsConfiguration(certificate: "/nonexistent/cert.pem"))
        } throws: { error in
            (error as? FatError)?.code == .badArguments && "\(error)".contains("/nonexistent/cert.pem")
        }
        // A certificate where the key should be is no key.
        await #expect {
            _ = try await TestServer(configuration: tlsConfiguration(key: Self.certificate))
        } throws: { error in
            (error as? FatError)?.code == .badArguments && "\(error)".contains("cannot read the TLS private key")
                && "\(error)".contains("loopback-cert.pem")
        }
    }

    /// A real key that belongs to another certificate: refused before anything listens.
    @Test func aKeyThatIsNotTheCertificatesIsRefused() async throws {
        let other = Self.fixtures.appendingPathComponent("other-key.pem").path
        await #expect {
            _ = try await TestServer(configuration: tlsConfiguration(key: other))
        } throws: { error in
            (error as? FatError)?.code == .badArguments && "\(error)".contains("cannot be used together")
                && "\(error)".contains("other-key.pem") && "\(error)".contains("loopback-cert.pem")
        }
    }

    /// An expired certificate (with its own, matching key): refused, with the date it expired.
    @Test func anExpiredCertificateIsRefusedWithItsDate() async throws {
        let certificate = Self.fixtures.appendingPathComponent("expired-cert.pem").path
        let key = Self.fixtures.appendingPathComponent("expired-key.pem").path
        await #expect {
            _ = try await TestServer(configuration: tlsConfiguration(certificate: certificate, key: key))
        } throws: { error in
            (error as? FatError)?.code == .badArguments && "\(error)".contains("expired-cert.pem expired on 2021-01-01T00:00:00Z")
        }
    }
}
