import Foundation

extension CaseIterable {
    /// The case whose name (`name(case)`) is exactly the UTF-8 `bytes`, found without making a
    /// String of them: the readers of events match enum values and type names this way.
    static func first(named bytes: UnsafeRawBufferPointer, by name: (Self) -> String) -> Self? {
        for candidate in allCases {
            var caseName = name(candidate)
            guard caseName.utf8.count == bytes.count else { continue }
            let same = caseName.withUTF8 { n in n.isEmpty || memcmp(n.baseAddress!, bytes.baseAddress!, n.count) == 0 }
            if same { return candidate }
        }
        return nil
    }
}
