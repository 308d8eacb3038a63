import CCurl
import FatCapabilities
import FatCodec
import Foundation
import Synchronization

/// A client of etcd's v3 API through its JSON gateway (`/v3/kv/…`, `/v3/watch`), which every etcd
/// from 3.4 serves on its client port: plain HTTP/1.1 over libcurl, keys and values base64 in
/// JSON. It knows the few calls the cluster log makes: create a key only if it is absent, read a
/// key, read a range in revision order, and watch a prefix.
///
/// Several endpoints (the members of an etcd cluster) may be given: a call that cannot reach one,
/// or that a member answers with an error while its cluster elects a leader, moves to the next.
/// **Thread-safe**: each call uses a handle of its own thread's.
package final class EtcdClient: Sendable {
    let endpoints: [String]
    private let current = Atomic<Int>(0)
    /// How long one call may take before it counts as failed.
    let requestTimeout: Duration
    let statistics = EtcdStatistics()

    /// `endpoints` are `host:port` pairs (an `http://` prefix is accepted).
    package init(endpoints: [String], requestTimeout: Duration = .seconds(5)) {
        self.endpoints = endpoints.map { $0.hasPrefix("http://") ? $0 : "http://" + $0 }
        self.requestTimeout = requestTimeout
        CurlLibrary.initialize()
    }

    /// A key-value pair as etcd returns it.
    package struct KeyValue {
        package let key: [UInt8]
        package let value: [UInt8]
        package let createRevision: Int64
        package let modRevision: Int64
        package let version: Int64
    }

    // MARK: Calls

    /// Puts `value` under `key` unless the key exists. Answers whether this call created it and
    /// the revision of the store after the call (the new key's revision when it did).
    package func createIfAbsent(key: [UInt8], value: [UInt8]) throws -> (created: Bool, revision: Int64) {
        let body: JSONValue = .object([
            (
                "compare",
                .array([
                    .object([
                        ("key", Self.base64(key)), ("target", .string("CREATE")), ("result", .string("EQUAL")), ("create_revision", .string("0")),
                    ])
                ])
            ),
            ("success", .array([.object([("request_put", .object([("key", Self.base64(key)), ("value", Self.base64(value))]))])])),
        ])
        let answer = try call("/v3/kv/txn", body)
        return (answer["succeeded"]?.boolValue ?? false, try Self.revision(of: answer))
    }

    /// The value under `key`, if any.
    func get(_ key: [UInt8]) throws -> KeyValue? {
        let answer = try call("/v3/kv/range", .object([("key", Self.base64(key))]))
        return try Self.keyValues(answer).first
    }

    /// Keys from `key` (inclusive) to `end` (exclusive) created after `afterRevision`, in the
    /// order they were created, at most `limit`, as the store was at `revision` (0: now).
    /// Answers the pairs and the revision read at.
    package func range(from key: [UInt8], to end: [UInt8], createdAfter afterRevision: Int64, limit: Int, at revision: Int64 = 0) throws -> (
        [KeyValue], revision: Int64
    ) {
        var fields: [(String, JSONValue)] = [
            ("key", Self.base64(key)), ("range_end", Self.base64(end)), ("limit", .string(String(limit))),
            ("sort_order", .string("ASCEND")), ("sort_target", .string("CREATE")),
            ("min_create_revision", .string(String(afterRevision + 1))),
        ]
        if revision > 0 { fields.append(("revision", .string(String(revision)))) }
        let answer = try call("/v3/kv/range", .object(fields))
        return (try Self.keyValues(answer), try Self.revision(of: answer))
    }

    /// Puts `value` under `key`; answers the revision of the put.
    func put(key: [UInt8], value: [UInt8]) throws -> Int64 {
        try Self.revision(of: try call("/v3/kv/put", .object([("key", Self.base64(key)), ("value", Self.base64(value))])))
    }

    /// The store's current revision.
    func currentRevision() throws -> Int64 {
        try Self.revision(of: try call("/v3/kv/range", .object([("key", Self.base64(Array("\0".utf8))), ("count_only", .bool(true))])))
    }

    /// Asks etcd to forget revisions before `revision` (what an operator's compaction does).
    func compact(to revision: Int64) throws {
        _ = try call("/v3/kv/compaction", .object([("revision", .string(String(revision))), ("physical", .bool(true))]))
    }

    /// One call, tried on each endpoint in turn (from the last that answered) until one answers.
    private func call(_ path: String, _ body: JSONValue) throws -> JSONValue {
        let request = Array(body.serialized().utf8)
        var failures: [String] = []
        for attempt in 0 ..< endpoints.count {
            let index = (current.load(ordering: .relaxed) + attempt) % endpoints.count
            let start = ContinuousClock.now
            do {
                let answer = try EtcdTransfer.post(endpoints[index] + path, body: request, timeout: requestTimeout)
                statistics.record(ContinuousClock.now - start, failed: false)
                if attempt > 0 { current.store(index, ordering: .relaxed) }
                return answer
            } catch let error as EtcdError {
                statistics.record(ContinuousClock.now - start, failed: true)
                failures.append("\(endpoints[index]): \(error)")
            }
        }
        throw EtcdError.unreachable(failures.joined(separator: "; "))
    }

    // MARK: Watch

    /// Streams every change under `[key, end)` from `startRevision` on, calling `deliver` with
    /// each batch of events in revision order. Returns when `shouldStop` answers true (checked
    /// about once a second and on each message); throws when the stream breaks, and
    /// `EtcdError.compacted` when etcd no longer holds `startRevision`.
    func watch(
        from key: [UInt8], to end: [UInt8], startRevision: Int64, shouldStop: @escaping @Sendable () -> Bool,
        deliver: @escaping ([KeyValue]) throws -> Void
    ) throws {
        let body: JSONValue = .object([
            (
                "create_request",
                .object([("key", Self.base64(key)), ("range_end", Self.base64(end)), ("start_revision", .string(String(startRevision)))])
            )
        ])
        let index = current.load(ordering: .relaxed) % endpoints.count
        var failure: Error?
        let stream = EtcdTransfer.Stream(shouldStop: shouldStop) { line in
            do {
                let message = try JSONValue.parse(line)
                guard let result = message["result"] else {
                    throw EtcdError.failed(message["error"]?["message"]?.stringValue ?? "a watch message without a result")
                }
                if let compacted = result["compact_revision"]?.stringValue, let revision = Int64(compacted), revision > 0 {
                    throw EtcdError.compacted(revision)
                }
                if result["canceled"]?.boolValue == true {
                    throw EtcdError.failed("the watch was cancelled: \(result["cancel_reason"]?.stringValue ?? "no reason given")")
                }
                // Deletions are not changes the cluster makes; they carry no value to apply.
                let events = try (result["events"]?.arrayValue ?? []).filter { $0["type"]?.stringValue != "DELETE" }.map { event -> KeyValue in
                    guard let kv = event["kv"] else { throw EtcdError.failed("a watch event without a key") }
                    return try Self.keyValue(kv)
                }
                try deliver(events)
                return true
            } catch {
                failure = error
                return false
            }
        }
        do {
            try EtcdTransfer.stream(endpoints[index] + "/v3/watch", body: Array(body.serialized().utf8), into: stream)
        } catch {
            if let failure { throw failure }
            current.store((index + 1) % endpoints.count, ordering: .relaxed)
            throw EtcdError.unreachable("the watch at \(endpoints[index]) broke: \(error)")
        }
        if let failure { throw failure }
    }

    // MARK: JSON

    static func base64(_ bytes: [UInt8]) -> JSONValue { .string(Data(bytes).base64EncodedString()) }

    static func revision(of answer: JSONValue) throws -> Int64 {
        guard let text = answer["header"]?["revision"]?.stringValue, let revision = Int64(text) else {
            throw EtcdError.failed("an answer without a header revision")
        }
        return revision
    }

    private static func keyValues(_ answer: JSONValue) throws -> [KeyValue] {
        try (answer["kvs"]?.arrayValue ?? []).map(keyValue)
    }

    private static func keyValue(_ kv: JSONValue) throws -> KeyValue {
        func bytes(_ name: String) throws -> [UInt8] {
            guard let text = kv[name]?.stringValue else { return [] }
            guard let data = Data(base64Encoded: text) else { throw EtcdError.failed("`\(name)` is not base64") }
            return [UInt8](data)
        }
        func number(_ name: String) -> Int64 { kv[name]?.stringValue.flatMap { Int64($0) } ?? 0 }
        return KeyValue(
            key: try bytes("key"), value: try bytes("value"), createRevision: number("create_revision"), modRevision: number("mod_revision"),
            version: number("version"))
    }
}

/// Why an etcd call failed.
enum EtcdError: Error, CustomStringConvertible {
    /// No endpoint answered (each one's reason, joined).
    case unreachable(String)
    /// An endpoint answered with an error.
    case failed(String)
    /// The revision asked for is older than what etcd still holds.
    case compacted(Int64)

    var description: String {
        switch self {
        case let .unreachable(reasons): "etcd is unreachable (\(reasons))"
        case let .failed(reason): reason
        case let .compacted(revision): "etcd has compacted its history up to revision \(revision)"
        }
    }
}

/// Calls and their latency, for `/metrics`. **Thread-safe.**
final class EtcdStatistics: Sendable {
    private struct Counts {
        var calls: UInt64 = 0
        var failures: UInt64 = 0
        var nanoseconds: UInt64 = 0
    }

    private let counts = Mutex(Counts())

    func record(_ duration: Duration, failed: Bool) {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = UInt64(clamping: seconds) &* 1_000_000_000 &+ UInt64(clamping: attoseconds / 1_000_000_000)
        counts.withLock {
            $0.calls &+= 1
            if failed { $0.failures &+= 1 }
            $0.nanoseconds &+= nanoseconds
        }
    }

    /// Calls made, calls failed, and the seconds they took in all.
    var totals: (calls: UInt64, failures: UInt64, seconds: Double) {
        counts.withLock { ($0.calls, $0.failures, Double($0.nanoseconds) / 1e9) }
    }
}

/// The HTTP transfers themselves: one reused libcurl handle per thread for calls, one handle
/// per watch.
enum EtcdTransfer {
    /// Answers the JSON body of a 200 answer; anything else (a connection that failed included) is
    /// `EtcdError.failed`.
    static func post(_ url: String, body: [UInt8], timeout: Duration) throws -> JSONValue {
        let handle = Handle.forThisThread()
        let milliseconds = Int(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        fat_curl_easy_setopt_long(handle.curl, CURLOPT_TIMEOUT_MS, milliseconds)
        fat_curl_easy_setopt_long(handle.curl, CURLOPT_CONNECTTIMEOUT_MS, min(milliseconds, 2000))
        let status = try handle.perform(url, body: body)
        let answer: JSONValue
        do { answer = try JSONValue.parse(handle.received) } catch {
            throw EtcdError.failed("etcd answered \(status) with a body that is not JSON")
        }
        guard status == 200 else {
            throw EtcdError.failed("etcd answered \(status): \(answer["message"]?.stringValue ?? answer["error"]?.stringValue ?? "no message")")
        }
        return answer
    }

    /// A watch stream: newline-separated JSON messages, each passed to `line`, which answers
    /// false to end the stream.
    final class Stream {
        let shouldStop: @Sendable () -> Bool
        let line: ([UInt8]) -> Bool
        var pending: [UInt8] = []
        var ended = false

        init(shouldStop: @escaping @Sendable () -> Bool, line: @escaping ([UInt8]) -> Bool) {
            self.shouldStop = shouldStop
            self.line = line
        }

        func receive(_ chunk: UnsafeRawBufferPointer) -> Bool {
            pending.append(contentsOf: chunk)
            while let newline = pending.firstIndex(of: 0x0A) {
                let message = Array(pending[..<newline])
                pending.removeFirst(newline + 1)
                if !message.isEmpty, !line(message) {
                    ended = true
                    return false
                }
            }
            // A message is at most etcd's largest request plus its JSON; more is not etcd.
            guard pending.count <= 64 << 20 else {
                ended = true
                return false
            }
            return !shouldStop()
        }
    }

    static func stream(_ url: String, body: [UInt8], into stream: Stream) throws {
        let handle = Handle()
        handle.stream = stream
        fat_curl_easy_setopt_long(handle.curl, CURLOPT_CONNECTTIMEOUT_MS, 2000)
        fat_curl_easy_setopt_long(handle.curl, CURLOPT_NOPROGRESS, 0)
        fat_curl_easy_setopt_xferinfo_function(handle.curl) { context, _, _, _, _ in
            Unmanaged<Handle>.fromOpaque(context!).takeUnretainedValue().stream?.shouldStop() == true ? 1 : 0
        }
        fat_curl_easy_setopt_pointer(handle.curl, CURLOPT_XFERINFODATA, Unmanaged.passUnretained(handle).toOpaque())
        do {
            let status = try handle.perform(url, body: body)
            guard status == 200 else { throw EtcdError.failed("etcd answered the watch with \(status)") }
            if !stream.ended, !stream.shouldStop() { throw EtcdError.failed("the watch stream ended") }
        } catch {
            if stream.ended || stream.shouldStop() { return }
            throw error
        }
    }

    /// One libcurl easy handle with its body buffers.
    final class Handle {
        let curl: UnsafeMutableRawPointer
        var received: [UInt8] = []
        var stream: Stream?
        private var sending: [UInt8] = []
        private var headers: UnsafeMutablePointer<curl_slist>?

        private static let perThread = ThreadLocalHandles()

        static func forThisThread() -> Handle { perThread.handle() }

        init() {
            guard let curl = curl_easy_init() else { fatalError("curl_easy_init failed: the process is out of memory") }
            self.curl = curl
            headers = curl_slist_append(nil, "Content-Type: application/json")
        }

        deinit {
            curl_easy_cleanup(curl)
            curl_slist_free_all(headers)
        }

        /// Posts `body` to `url`; answers the status.
        func perform(_ url: String, body: [UInt8]) throws -> Int {
            received = []
            sending = body
            let context = Unmanaged.passUnretained(self).toOpaque()
            fat_curl_easy_setopt_string(curl, CURLOPT_URL, url)
            fat_curl_easy_setopt_pointer(curl, CURLOPT_HTTPHEADER, UnsafeRawPointer(headers))
            fat_curl_easy_setopt_long(curl, CURLOPT_POST, 1)
            fat_curl_easy_setopt_long(curl, CURLOPT_NOSIGNAL, 1)
            fat_curl_easy_setopt_off_t(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(sending.count))
            let status: CURLcode = sending.withUnsafeBytes { bytes in
                fat_curl_easy_setopt_pointer(curl, CURLOPT_POSTFIELDS, bytes.baseAddress)
                fat_curl_easy_setopt_write_function(curl, CURLOPT_WRITEFUNCTION) { data, size, count, context in
                    let handle = Unmanaged<Handle>.fromOpaque(context!).takeUnretainedValue()
                    let chunk = UnsafeRawBufferPointer(start: data, count: size * count)
                    if let stream = handle.stream { return stream.receive(chunk) ? size * count : 0 }
                    handle.received.append(contentsOf: chunk)
                    return size * count
                }
                fat_curl_easy_setopt_pointer(curl, CURLOPT_WRITEDATA, context)
                return curl_easy_perform(curl)
            }
            guard status == CURLE_OK else {
                throw EtcdError.failed(String(cString: curl_easy_strerror(status)))
            }
            var code = 0
            fat_curl_easy_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &code)
            return code
        }
    }

    /// A handle for each thread that makes calls (the log's threads), kept for its connection.
    final class ThreadLocalHandles: @unchecked Sendable {
        private let key: pthread_key_t = {
            var key = pthread_key_t()
            pthread_key_create(&key) { pointer in if let pointer { Unmanaged<Handle>.fromOpaque(pointer).release() } }
            return key
        }()

        func handle() -> Handle {
            if let pointer = pthread_getspecific(key) { return Unmanaged<Handle>.fromOpaque(pointer).takeUnretainedValue() }
            let handle = Handle()
            pthread_setspecific(key, Unmanaged.passRetained(handle).toOpaque())
            return handle
        }
    }
}
