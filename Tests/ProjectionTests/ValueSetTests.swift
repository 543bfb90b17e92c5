import Testing
@testable import Dumps

/// The labels SPSS and Stata files and the data package carry for coded columns.
struct ValueSetTests {
    /// Every value of every value set has an English and a Dutch label (`--labels nl` translates
    /// them all), values and numbers distinct within a set.
    @Test func everyValueHasAnEnglishAndADutchLabel() {
        for set in ValueSet.all {
            for v in set.values {
                #expect(!v.en.isEmpty, "\(set.name).\(v.value)")
                #expect(!(v.nl ?? "").isEmpty, "\(set.name).\(v.value) has no Dutch label")
                #expect(v.label(.nl) == v.nl && v.label(.en) == v.en)
            }
            #expect(Set(set.values.map(\.value)).count == set.values.count, "\(set.name)")
            #expect(Set(set.values.map(\.code)).count == set.values.count, "\(set.name)")
        }
    }
}
