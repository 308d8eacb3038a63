import CCurl

/// Makes HTTP requests for contracts under one `HTTPPolicy`, through libcurl.
///
/// **An `HTTPClient` can be used from any thread**, by several threads at once. It keeps idle
/// libcurl handles (and with them open connections) for reuse, so repeated requests to the same
/// origin skip the TCP and TLS handshakes. Every call is bounded by its deadline: libcurl is
/// given the time remaining, and a deadline already passed fails with `HTTPError.timedOut`
/// without I/O. Cookies are never stored or sent unless a request carries them; proxies,
/// including those set by environment variables, are never used.
public final class HTTPClient: Sendable {
    /// Enough idle handles for a full batch plus a few concurrent single requests.
    private static let pooledHandles = 16

    public let policy: HTTPPolicy
    private let rules: PolicyRules
    private let easyHandles: HandlePool<EasyHandle>
    private let multiHandles: HandlePool<MultiHandle>

    public init(policy: HTTPPolicy) {
        self.policy = policy
        rules = PolicyRules(policy)
        easyHandles = HandlePool(capacity: Self.pooledHandles) { EasyHandle() }
        multiHandles = HandlePool(capacity: 2) { MultiHandle() }
    }

    /// Makes one request, following redirects as `HTTPPolicy` allows, and returns the final
    /// response or why there is none.
    public func perform(_ request: HTTPRequest, deadline: ContinuousClock.Instant) -> Result<HTTPResponse, HTTPError> {
        var exchange: Exchange
        do { exchange = try Exchange(request, rules: rules) } catch { return .failure(error) }
        guard let handle = easyHandles.take() else { return .failure(.network("libcurl could not allocate a handle")) }
        defer { easyHandles.give(handle) }
        while true {
            guard let timeout = millisecondsRemaining(until: deadline) else { return .failure(.timedOut) }
            handle.prepare(exchange, rules: rules, timeoutMilliseconds: timeout)
            let hop: EasyHandle.Hop
            switch handle.outcome(curl_easy_perform(handle.curl)) {
            case let .failure(error): return .failure(error)
            case let .success(done): hop = done
            }
            do {
                guard try exchange.follow(hop.response, location: hop.location, rules: rules) else { return .success(hop.response) }
            } catch {
                return .failure(error)
            }
        }
    }

    /// Runs the requests concurrently (curl multi); one result per request, in order.
    ///
    /// Fails as a whole only when there are more than `HTTPPolicy.maxBatch` requests; otherwise
    /// each request succeeds or fails on its own (a refused URL fails that request alone, before
    /// any I/O), and requests still unanswered at `deadline` fail with `HTTPError.timedOut`.
    public func performBatch(_ requests: [HTTPRequest], deadline: ContinuousClock.Instant) -> Result<[Result<HTTPResponse, HTTPError>], HTTPError> {
        guard requests.count <= policy.maxBatch else { return .failure(.batchTooLarge(limit: policy.maxBatch)) }
        var results = [Result<HTTPResponse, HTTPError>](repeating: .failure(.timedOut), count: requests.count)
        var exchanges: [(index: Int, exchange: Exchange)] = []
        for (index, request) in requests.enumerated() {
            do { exchanges.append((index, try Exchange(request, rules: rules))) } catch { results[index] = .failure(error) }
        }
        guard !exchanges.isEmpty else { return .success(results) }
        guard let multi = multiHandles.take() else { return .failure(.network("libcurl could not allocate a multi handle")) }
        defer { multiHandles.give(multi) }
        var handles: [EasyHandle] = []
        defer { handles.forEach(easyHandles.give) }
        for _ in exchanges {
            guard let handle = easyHandles.take() else { return .failure(.network("libcurl could not allocate a handle")) }
            handles.append(handle)
        }
        let outcomes = multi.run(exchanges.map(\.exchange), on: handles, rules: rules, deadline: deadline)
        for (position, outcome) in outcomes.enumerated() {
            results[exchanges[position].index] = outcome
        }
        return .success(results)
    }
}
