import CCurl

/// One libcurl easy handle configured once and performed again and again on the same URL: the
/// least any HTTP client over libcurl can cost per request.
final class CurlBaseline {
    private let handle: UnsafeMutableRawPointer
    private var body: [UInt8] = []

    init(url: String) {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        handle = curl_easy_init()!
        fat_curl_easy_setopt_string(handle, CURLOPT_URL, url)
        fat_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        fat_curl_easy_setopt_write_function(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let baseline = Unmanaged<CurlBaseline>.fromOpaque(context!).takeUnretainedValue()
            baseline.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        fat_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit { curl_easy_cleanup(handle) }

    /// Performs the request and returns the body received.
    func get() -> [UInt8] {
        body = []
        precondition(curl_easy_perform(handle) == CURLE_OK)
        return body
    }
}
