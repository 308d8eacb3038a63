import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Real etcd members (Debian's `etcd-server`), started on loopback with free ports and data in a
/// temporary directory, for the cluster tests.
public final class EtcdProcesses: @unchecked Sendable {
    /// Where etcd is: `$ETCD`, else the first `etcd` on the PATH.
    public static let binary: String? = {
        if let path = ProcessInfo.processInfo.environment["ETCD"], !path.isEmpty { return path }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(directory)/etcd"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    /// Without etcd the cluster tests are reported skipped, except in CI, where they fail.
    public static var available: Bool { binary != nil || TestEnvironment.isCI }

    public struct Member: Sendable {
        public let name: String
        public let clientPort: Int
        public let peerPort: Int
        let data: String
    }

    public let members: [Member]
    private let root: String
    private let token = "fat-\(UUID().uuidString.prefix(8))"
    private var processes: [Process?]

    /// Starts `count` members forming one etcd cluster and waits until it has a leader.
    public init(count: Int) throws {
        guard Self.binary != nil else { throw MissingTestInput("etcd is not installed (Debian: apt-get install etcd-server)") }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fat-etcd-\(UUID().uuidString)").path
        self.root = root
        members = try (0 ..< count).map { index in
            Member(name: "m\(index)", clientPort: try freePort(), peerPort: try freePort(), data: "\(root)/m\(index)")
        }
        processes = Array(repeating: nil, count: count)
        for index in members.indices { try start(index) }
        try waitForLeader()
    }

    deinit {
        stopAll()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// `etcd://HOST:PORT,…` naming every member.
    public var orderURL: String { "etcd://" + members.map { "127.0.0.1:\($0.clientPort)" }.joined(separator: ",") }

    public func start(_ index: Int) throws {
        let member = members[index]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary!)
        let cluster = members.map { "\($0.name)=http://127.0.0.1:\($0.peerPort)" }.joined(separator: ",")
        process.arguments = [
            "--name", member.name, "--data-dir", member.data,
            "--listen-client-urls", "http://127.0.0.1:\(member.clientPort)", "--advertise-client-urls", "http://127.0.0.1:\(member.clientPort)",
            "--listen-peer-urls", "http://127.0.0.1:\(member.peerPort)", "--initial-advertise-peer-urls", "http://127.0.0.1:\(member.peerPort)",
            "--initial-cluster", cluster, "--initial-cluster-token", token, "--initial-cluster-state", "new",
            "--heartbeat-interval", "50", "--election-timeout", "500",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        processes[index] = process
    }

    /// Stops a member at once (SIGKILL), as a crash would.
    public func kill(_ index: Int) {
        guard let process = processes[index] else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        processes[index] = nil
    }

    public func stopAll() {
        for index in members.indices { kill(index) }
    }

    /// POSTs to a member's JSON gateway; answers the JSON object it returns.
    public func post(_ index: Int, _ path: String, _ body: String) throws -> [String: Any] {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(members[index].clientPort)\(path)")!)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.timeoutInterval = 2
        let box = AnswerBox()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, _, error in
            box.data = data
            box.error = error
            done.signal()
        }.resume()
        done.wait()
        guard let data = box.data, let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw MissingTestInput("etcd member \(index) did not answer \(path): \(box.error.map { "\($0)" } ?? "not a JSON object")")
        }
        return object
    }

    /// The index of the member that leads, if one answers that it does.
    public func leader() -> Int? {
        for index in members.indices where processes[index] != nil {
            guard let status = try? post(index, "/v3/maintenance/status", "{}") else { continue }
            if let leader = status["leader"] as? String, leader == (status["header"] as? [String: Any])?["member_id"] as? String { return index }
        }
        return nil
    }

    public func waitForLeader(timeout: Duration = .seconds(20)) throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if leader() != nil { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw MissingTestInput("etcd elected no leader in \(timeout)")
    }

    /// Compacts the history up to the current revision, as an operator's maintenance would.
    public func compactAll(_ index: Int = 0) throws {
        let revision =
            (try post(index, "/v3/kv/range", #"{"key":"AA==","count_only":true}"#)["header"] as? [String: Any])?["revision"] as? String ?? "0"
        _ = try post(index, "/v3/kv/compaction", #"{"revision":"\#(revision)","physical":true}"#)
    }
}

private final class AnswerBox: @unchecked Sendable {
    var data: Data?
    var error: Error?
}

/// A TCP port nothing listens on now (the kernel's pick for port 0).
public func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    guard bound == 0 else { throw MissingTestInput("cannot bind a loopback socket") }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}
