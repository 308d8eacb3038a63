import FatContractABI

/// Whether a top-level call is a command (ordered, durable, deterministic) or a query (off the
/// log, immediate, writes discarded).
public enum CallKind: Sendable, Equatable {
    case command
    case query
}

extension CallFrame {
    /// The frame's kind as the C ABI names it (`FAT_CALL_*`): a constructor runs as a deploy
    /// (always within a command), a message as its call's kind.
    var abiCallKind: UInt32 {
        if entry == .constructor { return FAT_CALL_DEPLOY }
        return kind == .command ? FAT_CALL_COMMAND : FAT_CALL_QUERY
    }
}

/// Which entry of a contract a frame runs.
public enum Entry: Sendable, Equatable {
    case constructor
    case message
}
