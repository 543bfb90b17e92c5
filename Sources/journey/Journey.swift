import ArgumentParser
import JourneyModel

/// The `journey` command: an event-sourced store of victim journeys on LMDB.
@main
struct Journey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journey",
        abstract: "An append-only store of victims' journeys through the legal and help chains.",
        discussion: """
            Every fact (a contact, a referral, an expectation, an experience) is an immutable event \
            in an LMDB log. The store is a directory: --store DIR, else $JOURNEY_STORE, else \
            ./journey-store.
            """,
        version: SoftwareVersion.description,
        subcommands: [
            DemoCommand.self, InitCommand.self, ImportCommand.self, ImportESMCommand.self, ExportCommand.self, AuditCommand.self, VerifyCommand.self, InfoCommand.self,
            TimelineCommand.self, PairsCommand.self, StatsCommand.self, ReferralsCommand.self, ComplianceCommand.self, DumpCommand.self,
            CodingsCommand.self, AgreementCommand.self, AgreeCommand.self,
            ReportCommand.self, ForgetCommand.self, ClusterCommand.self, SchemaCommand.self,
            BenchCommand.self,
        ]
    )
}
