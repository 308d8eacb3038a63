import CCurl

/// One libcurl easy handle configured once and performed again and again on the same URL: the
/// least any HTTP client over libcurl can cost per request.
final class CurlBaseline {
    private let handle: UnsafeMutableRawPointer
    private var body: [UInt8] = []

    private var headers: UnsafeMutablePointer<curl_slist>?

    /// `header` ("Name: value") is sent with every request, as the client under test sends it.
    init(url: String, header: String) {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        handle = curl_easy_init()!
        fat_curl_easy_setopt_string(handle, CURLOPT_URL, url)
        headers = curl_slist_append(nil, header)
        fat_curl_easy_setopt_pointer(handle, CURLOPT_HTTPHEADER, headers)
        fat_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        fat_curl_easy_setopt_write_function(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let baseline = Unmanaged<CurlBaseline>.fromOpaque(context!).takeUnretainedValue()
            baseline.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        fat_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headers)
    }

    /// Performs the request and returns the body received.
    func get() -> [UInt8] {
        body = []
        precondition(curl_easy_perform(handle) == CURLE_OK)
        return body
    }
}
