import Foundation

/// The members of an event's envelope (contract 1.1) and the store's fields (1.4), matched from
/// raw bytes without making a String. (The members of `data` are each type's declaration's.)
enum EnvelopeField: UInt8 {
    case id, type, participant, at, recorded, source, by, data
    /// Store fields: ignored on import.
    case seq, appended, hash

    /// Its bit, for telling repeated members.
    var bit: UInt16 { 1 << UInt16(rawValue) }

    /// The field named by the UTF-8 bytes `k`, if there is one.
    @inline(__always)
    init?(_ k: UnsafeRawBufferPointer) {
        @inline(__always) func is_(_ s: StaticString) -> Bool {
            k.count == s.utf8CodeUnitCount && memcmp(k.baseAddress!, s.utf8Start, k.count) == 0
        }
        switch k.count {
        case 2: if is_("id") { self = .id } else if is_("at") { self = .at } else if is_("by") { self = .by } else { return nil }
        case 3: if is_("seq") { self = .seq } else { return nil }
        case 4: if is_("type") { self = .type } else if is_("data") { self = .data } else if is_("hash") { self = .hash } else { return nil }
        case 6: if is_("source") { self = .source } else { return nil }
        case 8: if is_("recorded") { self = .recorded } else if is_("appended") { self = .appended } else { return nil }
        case 11: if is_("participant") { self = .participant } else { return nil }
        default: return nil
        }
    }

    /// The field named `name`, if there is one.
    init?(named name: String) {
        var name = name
        guard let f = name.withUTF8({ EnvelopeField(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = f
    }
}
