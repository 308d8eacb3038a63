import CCurl

/// libcurl's process-wide state, initialized exactly once before the first handle is made.
package enum CurlLibrary {
    /// Evaluated once, thread-safely, on first use (Swift initializes globals lazily and once).
    private static let initialization: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    /// Initializes libcurl if no caller has yet. Stops the process if it cannot, because without
    /// it no transfer can be made and the only cause is an exhausted system.
    package static func initialize() {
        precondition(initialization == CURLE_OK, "curl_global_init failed: \(String(cString: curl_easy_strerror(initialization)))")
    }
}
