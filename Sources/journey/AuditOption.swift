import ArgumentParser
import Foundation
import JourneyStore

/// `--by NAME`: who is acting, for the store's audit trail.
struct AuditOption: ParsableArguments {
    @Option(help: ArgumentHelp("Who is acting, for the audit trail.", discussion: "Default: $JOURNEY_USER, else the login name.", valueName: "NAME"))
    var by: String?

    /// The name recorded.
    var who: String {
        if let by, !by.isEmpty { return by }
        return AuditRequest.currentUser
    }

    /// An audit entry for `action` by whoever is acting.
    func request(_ action: String, _ detail: [String: String] = [:]) -> AuditRequest {
        AuditRequest(action: action, by: who, detail: detail)
    }

    /// Records `action` in `store`'s audit trail.
    func record(_ action: String, in store: EventStore, _ detail: [String: String]) throws {
        try store.recordAudit(action: action, by: who, detail: detail)
    }
}
