import CCurl

/// A libcurl easy handle and what one transfer on it has received so far.
///
/// **Used by one thread at a time**: the pool hands it to a single caller, which configures it
/// with `prepare`, runs it (alone or in a `MultiHandle`) and reads the result with `outcome`.
/// The handle owns its `CURL *`, its error buffer and its header list; libcurl's callbacks reach
/// this object through an unretained pointer that is valid while the caller holds the handle.
final class EasyHandle: @unchecked Sendable {
    let curl: UnsafeMutableRawPointer
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
    private var headerList: UnsafeMutablePointer<curl_slist>? = nil
    /// Whether the options that stay the same for every request under this handle's policy are
    /// set (a handle belongs to one client, so to one policy).
    private var policyOptionsSet = false

    // State of the transfer in progress, written by the callbacks.
    private(set) var target: RequestTarget? = nil
    var limits = Limits(responseBytes: 0, headers: 0, privateAddresses: false, allowedPrivate: [])
    var reasonPhrase = ""
    var headers: [HTTPHeader] = []
    var body: [UInt8] = []
    /// Set by a callback that stopped the transfer, naming why.
    var stop: HTTPError? = nil
    /// The first address the socket callback refused.
    var refusedAddress: String? = nil

    struct Limits {
        var responseBytes: Int
        var headers: Int
        var privateAddresses: Bool
        var allowedPrivate: Set<String>
    }

    init?() {
        CurlLibrary.initialize()
        guard let curl = curl_easy_init() else { return nil }
        self.curl = curl
    }

    deinit {
        curl_easy_cleanup(curl)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Configures the handle for the exchange's current hop, to finish within `timeoutMilliseconds`.
    ///
    /// The first time, every option is reset and the policy's options are set: protocols, no
    /// proxy (including those named by environment variables), no signals, the size cap, the
    /// error buffer and the callbacks. Cookies, automatic redirects and content decoding stay off.
    /// Later requests keep those (and the connections and DNS cache) and set only what differs
    /// per request, returning the method to GET first so nothing of the last request's carries over.
    func prepare(_ exchange: Exchange, rules: PolicyRules, timeoutMilliseconds: Int) {
        let request = exchange.request
        target = exchange.target
        limits = Limits(
            responseBytes: rules.policy.maxResponseBytes, headers: rules.policy.maxHeaders,
            privateAddresses: rules.policy.allowPrivateAddresses, allowedPrivate: rules.policy.allowedPrivateAddresses)
        reasonPhrase = ""
        headers = []
        body = []
        stop = nil
        refusedAddress = nil
        errorBuffer[0] = 0

        if policyOptionsSet {
            setLong(CURLOPT_HTTPGET, 1)  // also clears NOBODY and UPLOAD
            fat_curl_easy_setopt_pointer(curl, CURLOPT_CUSTOMREQUEST, nil)
        } else {
            curl_easy_reset(curl)
            setString(CURLOPT_PROTOCOLS_STR, rules.curlProtocols)
            setString(CURLOPT_REDIR_PROTOCOLS_STR, rules.curlProtocols)
            setString(CURLOPT_PROXY, "")
            setLong(CURLOPT_NOSIGNAL, 1)
            fat_curl_easy_setopt_off_t(curl, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(rules.policy.maxResponseBytes))
            fat_curl_easy_setopt_pointer(curl, CURLOPT_ERRORBUFFER, errorBuffer)
            installCallbacks()
            policyOptionsSet = true
        }
        setString(CURLOPT_URL, exchange.target.url)
        setLong(CURLOPT_TIMEOUT_MS, timeoutMilliseconds)
        setMethodAndBody(request)
        setHeaders(request.headers)
    }

    private func setMethodAndBody(_ request: HTTPRequest) {
        switch request.method {
        case "HEAD":
            setLong(CURLOPT_NOBODY, 1)
        case let method where !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(method):
            fat_curl_easy_setopt_off_t(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            // COPYPOSTFIELDS copies at once, so the body need not outlive this call; an empty body
            // still needs a valid pointer.
            (request.body.isEmpty ? [0] : request.body).withUnsafeBytes {
                _ = fat_curl_easy_setopt_pointer(curl, CURLOPT_COPYPOSTFIELDS, $0.baseAddress)
            }
            if method != "POST" { setString(CURLOPT_CUSTOMREQUEST, method) }
        case "GET":
            setLong(CURLOPT_HTTPGET, 1)
        case let method:
            setString(CURLOPT_CUSTOMREQUEST, method)
        }
    }

    /// Sends the caller's headers as given, and keeps libcurl from adding `Accept`,
    /// `Content-Type` or `Expect` headers of its own.
    private func setHeaders(_ requested: [HTTPHeader]) {
        curl_slist_free_all(headerList)
        headerList = nil
        for header in requested {
            // "Name:" would remove the header; libcurl sends an empty value for "Name;".
            headerList = curl_slist_append(headerList, header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)")
        }
        for (suppressed, lowercased) in Self.suppressedHeaders where !requested.contains(where: { asciiLowercased($0.name) == lowercased }) {
            headerList = curl_slist_append(headerList, suppressed)
        }
        fat_curl_easy_setopt_pointer(curl, CURLOPT_HTTPHEADER, headerList)
    }

    /// Headers libcurl would add by itself, as removal lines, with their lowercased names.
    private static let suppressedHeaders = [("Accept:", "accept"), ("Content-Type:", "content-type"), ("Expect:", "expect")]

    func setLong(_ option: CURLoption, _ value: Int) {
        fat_curl_easy_setopt_long(curl, option, value)
    }

    func setString(_ option: CURLoption, _ value: String) {
        fat_curl_easy_setopt_string(curl, option, value)
    }

    /// What libcurl last wrote into the error buffer, or its generic text for `code`.
    func errorText(_ code: CURLcode) -> String {
        let detail = String(cString: errorBuffer)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }
}
