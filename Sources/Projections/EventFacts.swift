import JourneyModel

/// The columns the timeline shows for any event (contract section 3, `timeline.csv`).
extension Event {
    /// The event's institution (`referral`: `to`), if it has one.
    public var institution: String? {
        switch payload {
        case .contact(let c): c.institution
        case .referral(let r): r.to
        case .expectation(let e): e.institution
        case .experience(let x): x.institution
        case .institutionCoded(let c): c.institution
        case .enrolled, .exited, .retracted, .session: nil
        }
    }

    /// `referral.from` or `expectation.cameVia`.
    public var counterpart: String? {
        switch payload {
        case .referral(let r): r.from
        case .expectation(let e): e.cameVia
        default: nil
        }
    }

    /// The outcome, role, reason or exit reason: the first that is present and non-empty (for an
    /// `esm.session`, its status).
    public var detail: String? {
        func present(_ s: String?) -> String? { s?.isEmpty == false ? s : nil }
        switch payload {
        case .referral(let r): return r.outcome.rawValue
        case .contact(let c): return present(c.role) ?? present(c.reason)
        case .exited(let reason): return reason.rawValue
        case .institutionCoded(let c): return present(c.reason)
        case .retracted(let r): return present(r.reason)
        case .session(let session): return session.status.rawValue
        case .enrolled, .expectation, .experience: return nil
        }
    }

    /// The date of `at` as written.
    public var date: CalendarDate { at.date }
}
