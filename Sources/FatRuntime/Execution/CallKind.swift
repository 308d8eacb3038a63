/// Whether a top-level call is a command (ordered, durable, deterministic) or a query (off the
/// log, immediate, writes discarded).
public enum CallKind: Sendable, Equatable {
    case command
    case query
}

/// Which entry of a contract a frame runs.
public enum Entry: Sendable, Equatable {
    case constructor
    case message
}
