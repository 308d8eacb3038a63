import CCurl

extension EasyHandle {
    /// A response to one hop, and where it redirects to (resolved against the hop's URL) if it does.
    struct Hop {
        var response: HTTPResponse
        var location: String?
    }

    /// The result of the transfer that ended with `code`, naming the cause when it failed.
    func outcome(_ code: CURLcode) -> Result<Hop, HTTPError> {
        if let stop { return .failure(stop) }
        if code == CURLE_COULDNT_CONNECT, let refusedAddress { return .failure(.privateAddress(refusedAddress)) }
        switch code {
        case CURLE_OK:
            break
        case CURLE_FILESIZE_EXCEEDED:
            return .failure(.responseTooLarge(limit: limits.responseBytes))
        case CURLE_OPERATION_TIMEDOUT:
            return .failure(.timedOut)
        default:
            return .failure(.network(errorText(code)))
        }
        var status = 0
        fat_curl_easy_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &status)
        var location: UnsafeMutablePointer<CChar>? = nil
        fat_curl_easy_getinfo_string(curl, CURLINFO_REDIRECT_URL, &location)
        let response = HTTPResponse(statusCode: UInt16(clamping: status), reasonPhrase: reasonPhrase, headers: headers, body: body)
        return .success(Hop(response: response, location: location.map { String(cString: $0) }))
    }
}
