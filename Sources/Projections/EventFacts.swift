import JourneyModel

/// The columns the timeline shows for any event (contract section 3, `timeline.csv`).
extension Event {
    /// The event's institution (`referral`: `to`), if it has one.
    public var institution: String? { timelineColumns.institution }

    /// `referral.from` or `expectation.cameVia`.
    public var counterpart: String? { timelineColumns.counterpart }

    /// The outcome, role, reason or exit reason: the first that is present and non-empty (for an
    /// `esm.session`, its status).
    public var detail: String? { timelineColumns.detail }

    /// `institution`, `counterpart` and `detail` together, from one look at the payload (a dump
    /// writes all three for every event).
    public var timelineColumns: (institution: String?, counterpart: String?, detail: String?) {
        func present(_ s: String?) -> String? { s?.isEmpty == false ? s : nil }
        switch payload {
        case .contact(let c): return (c.institution, nil, present(c.role) ?? present(c.reason))
        case .referral(let r): return (r.to, r.from, r.outcome.rawValue)
        case .expectation(let e): return (e.institution, e.cameVia, nil)
        case .experience(let x): return (x.institution, nil, nil)
        case .institutionCoded(let c), .institutionAgreed(let c): return (c.institution, nil, present(c.reason))
        case .exited(let reason): return (nil, nil, reason.rawValue)
        case .retracted(let r): return (nil, nil, present(r.reason))
        case .session(let session): return (nil, nil, session.status.rawValue)
        case .enrolled, .covariateDefined, .described, .statementDefined: return (nil, nil, nil)
        }
    }

    /// The date of `at` as written.
    public var date: CalendarDate { at.date }
}
