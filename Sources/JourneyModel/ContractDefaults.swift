/// The contract's default windows (`spec/contract.md`), in one place for every command, report
/// and dump.
public enum ContractDefaults {
    /// Days an experience may follow its expectation and still pair with it.
    public static let pairingWindowDays = 7
    /// Days after a referral within which a contact with the receiving institution is expected
    /// (otherwise the referral is a dead end).
    public static let followUpDays = 30
    /// Days between two dates of an institution's contacts that still keep them in one episode
    /// (contract 4.4).
    public static let episodeGapDays = 90
}
