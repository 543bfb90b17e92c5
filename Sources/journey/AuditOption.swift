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
        if let user = ProcessInfo.processInfo.environment["JOURNEY_USER"], !user.isEmpty { return user }
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "uid \(getuid())"
    }

    /// Records `action` in `store`'s audit trail.
    func record(_ action: String, in store: EventStore, _ detail: [String: String]) throws {
        try store.recordAudit(action: action, by: who, detail: detail)
    }
}
