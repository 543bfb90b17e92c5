/// The software's name and version, declared in one place: `journey --version`, every dump's
/// manifest and data package, and every audit entry name it. (A release tags the repository
/// with the same version.)
public enum SoftwareVersion {
    public static let name = "journey"
    public static let version = "0.11.0"
    /// `journey 0.11.0`.
    public static var description: String { name + " " + version }
}
