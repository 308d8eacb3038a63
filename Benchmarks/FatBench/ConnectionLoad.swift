import FatClient
import Foundation
import Synchronization

/// Sends prepared requests from one thread per connection, all starting together: connection i
/// sends `requests[i]` in order on its own keep-alive connection to `targets[i % targets.count]`.
/// Answers the wall time of the whole run, every accepted request's latency in µs, and what the
/// refused ones answered (`accept` decides).
func connectionLoad(
    targets: [String], requests: [[HTTPRequest]], accept: @escaping @Sendable (HTTPResponse) -> Bool = { $0.status == 200 }
) throws -> (seconds: Double, latencies: [Double], failures: [String]) {
    let failures = Mutex<[String]>([])
    let latencies = Mutex<[Double]>([])
    let ready = DispatchGroup()
    let done = DispatchGroup()
    let start = DispatchSemaphore(value: 0)
    for (thread, batch) in requests.enumerated() {
        ready.enter()
        done.enter()
        let transport = try SocketTransport(url: targets[thread % targets.count])
        Thread {
            let connection = try! HTTPConnection(host: transport.host, port: transport.port)
            ready.leave()
            start.wait()
            var mine: [Double] = []
            mine.reserveCapacity(batch.count)
            let clock = ContinuousClock()
            for request in batch {
                let began = clock.now
                guard let response = try? connection.send(request), accept(response) else {
                    failures.withLock { $0.append((try? connection.send(request).text) ?? "no answer") }
                    continue
                }
                mine.append(nanoseconds(clock.now - began) / 1000)
            }
            latencies.withLock { $0 += mine }
            done.leave()
        }.start()
    }
    ready.wait()
    let clock = ContinuousClock()
    let began = clock.now
    for _ in requests { start.signal() }
    done.wait()
    return (nanoseconds(clock.now - began) / 1e9, latencies.withLock { $0 }, failures.withLock { $0 })
}
