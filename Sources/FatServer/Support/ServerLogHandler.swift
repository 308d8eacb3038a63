import Foundation
import Logging

/// The server's log: warnings and errors to standard error, one line each. Unlike swift-log's
/// stream handler it does no work when metadata is attached (the HTTP server attaches a request
/// id to every request) — metadata is only formatted when a line is written.
struct ServerLogHandler: LogHandler {
    var logLevel: Logger.Level = .warning
    var metadata: Logger.Metadata = [:]
    let label: String

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        let merged = metadata.merging(extra ?? [:]) { $1 }
        let details = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        FileHandle.standardError.write(Data("\(label) \(level): \(message)\(details)\n".utf8))
    }

    /// A logger that writes through this handler.
    static func logger(_ label: String) -> Logger {
        Logger(label: label) { ServerLogHandler(label: $0) }
    }
}
