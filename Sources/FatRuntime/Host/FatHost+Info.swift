/// What a host tells about itself to clients.
extension FatHost {
    /// The native contract ABI this host offers, as `MAJOR.MAXMINOR`.
    public static var nativeABIVersion: String { "\(NativeContractLoader.offeredMajor).\(NativeContractLoader.offeredMaxMinor)" }

    /// The highest nonce logged for `account` (0 when it has none): its next command needs more.
    public func lastNonce(of account: AccountId) -> UInt64 { snapshot.nonces[account] ?? 0 }
}
