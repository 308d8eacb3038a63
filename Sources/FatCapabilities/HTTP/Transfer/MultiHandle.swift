import CCurl

/// A libcurl multi handle that runs several exchanges at once, each with its own easy handle.
///
/// **Used by one thread at a time**, like `EasyHandle`; kept in a pool so that connections it
/// opened serve later batches.
final class MultiHandle: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer

    init?() {
        CurlLibrary.initialize()
        guard let multi = curl_multi_init() else { return nil }
        self.multi = multi
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    /// Runs every exchange to its final response or failure, following redirects per exchange,
    /// and stops waiting at `deadline`. Returns one result per exchange, in order.
    func run(
        _ exchanges: [Exchange], on handles: [EasyHandle], rules: PolicyRules,
        deadline: ContinuousClock.Instant
    ) -> [Result<HTTPResponse, HTTPError>] {
        var exchanges = exchanges
        var results = [Result<HTTPResponse, HTTPError>?](repeating: nil, count: exchanges.count)
        var active = Set<Int>()

        func start(_ index: Int) {
            guard let timeout = millisecondsRemaining(until: deadline) else {
                results[index] = .failure(.timedOut)
                return
            }
            handles[index].prepare(exchanges[index], rules: rules, timeoutMilliseconds: timeout)
            curl_multi_add_handle(multi, handles[index].curl)
            active.insert(index)
        }

        func finish(_ index: Int, _ code: CURLcode) {
            curl_multi_remove_handle(multi, handles[index].curl)
            active.remove(index)
            switch handles[index].outcome(code) {
            case let .failure(error):
                results[index] = .failure(error)
            case let .success(hop):
                do {
                    if try exchanges[index].follow(hop.response, location: hop.location, rules: rules) {
                        start(index)
                    } else {
                        results[index] = .success(hop.response)
                    }
                } catch {
                    results[index] = .failure(error)
                }
            }
        }

        exchanges.indices.forEach(start)
        while !active.isEmpty, let timeout = millisecondsRemaining(until: deadline) {
            var running: Int32 = 0
            guard curl_multi_perform(multi, &running) == CURLM_OK else { break }
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE,
                    let index = active.first(where: { handles[$0].curl == message.pointee.easy_handle })
                else { continue }
                finish(index, message.pointee.data.result)
            }
            if !active.isEmpty {
                curl_multi_poll(multi, nil, 0, Int32(min(timeout, 1000)), nil)
            }
        }
        for index in active {
            curl_multi_remove_handle(multi, handles[index].curl)
        }
        return results.map { $0 ?? .failure(.timedOut) }
    }
}
