/// The routes the loopback server answers by default.
///
/// - `/json`: a small JSON document (`LoopbackRoutes.jsonDocument`).
/// - `/echo`: the request's head and body, verbatim, as text; `X-Echo-Method` repeats the method.
/// - `/length`: the request body's length in decimal.
/// - `/bytes?n=N[&chunked=1]`: N bytes of "x", generated while sent.
/// - `/slow?ms=M`: "slow" after M milliseconds.
/// - `/headers?n=N`: a response with N extra headers `X-Header-1` … `X-Header-N`.
/// - `/redirect?to=URL[&status=S]`: a redirect (302 by default) to URL, which may be relative.
/// - `/chain?n=N`: N redirects in a row, then "end of chain".
/// - `/loop`: redirects to itself forever.
/// - `/status?code=C`: an empty response with that status.
/// - anything else: 404.
public enum LoopbackRoutes {
    public static let jsonDocument = #"{"name":"fat","values":[1,2,3],"ok":true}"#

    @Sendable
    public static func handle(_ request: LoopbackRequest) -> LoopbackResponse {
        let number = { (name: String) in request.query[name].flatMap { Int($0) } ?? 0 }
        switch request.path {
        case "/json":
            return LoopbackResponse(headers: [("Content-Type", "application/json")], body: .bytes(Array(jsonDocument.utf8)))
        case "/echo":
            return LoopbackResponse(headers: [("X-Echo-Method", request.method)], body: .bytes(request.head + request.body))
        case "/length":
            return LoopbackResponse(text: String(request.body.count))
        case "/bytes":
            return LoopbackResponse(body: .generated(count: number("n"), chunked: request.query["chunked"] == "1"))
        case "/slow":
            return LoopbackResponse(text: "slow", delayMilliseconds: number("ms"))
        case "/headers":
            let count = number("n")
            return LoopbackResponse(headers: count > 0 ? (1 ... count).map { ("X-Header-\($0)", "value \($0)") } : [], text: "headers")
        case "/redirect":
            let status = number("status") == 0 ? 302 : number("status")
            return LoopbackResponse(status: status, reason: "Redirect", headers: [("Location", request.query["to"] ?? "/")])
        case "/chain":
            let left = number("n")
            guard left > 0 else { return LoopbackResponse(text: "end of chain") }
            return LoopbackResponse(status: 302, reason: "Found", headers: [("Location", "/chain?n=\(left - 1)")])
        case "/loop":
            return LoopbackResponse(status: 302, reason: "Found", headers: [("Location", "/loop")])
        case "/status":
            return LoopbackResponse(status: number("code"), reason: reasonPhrase(number("code")))
        default:
            return LoopbackResponse(status: 404, reason: "Not Found", text: "no route for \(request.path)")
        }
    }

    private static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 204: return "No Content"
        case 404: return "Not Found"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status \(status)"
        }
    }
}
