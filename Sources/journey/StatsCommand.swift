import ArgumentParser
import Foundation
import JourneyModel
import Projections

/// `journey stats`
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Institution counts over the coding scheme, like the study's results section.",
        discussion: "--format json prints the stats.json of a dump."
    )

    @Option(help: "How many institutions to list by number of participants.") var top = 15
    @OptionGroup var episodes: EpisodeGapOption
    @OptionGroup var withdrawal: WithdrawalOption
    @OptionGroup var options: ProjectionOptions

    func run() throws {
        let state = try options.open()
        let (_, stats, reach, directory) = try CohortRun.stats(state, upto: options.upto, windows: options.windows(ProjectionWindows(episodeGapDays: episodes.episodeGapDays)),
                                                                   excludeWithdrawn: withdrawal.excludeWithdrawn)
        if options.format == .json {
            print(stats.json(), terminator: "")
            return
        }
        let n = stats.institutions
        func share(_ k: Int) -> String { n == 0 ? "" : String(format: " (%.0f%%)", Double(k) * 100 / Double(n)) }
        let p = stats.perParticipant
        print("\(stats.participants) participants named \(n) unique institutions.")
        if let min = p.min, let max = p.max, let mean = p.mean, let median = p.median {
            print("Unique institutions per participant: \(min) to \(max), mean \(mean), median \(median); \(p.atLeast10) of \(stats.participants) met at least 10.")
        }
        print("\nBy chain:")
        for (chain, k) in stats.byChain { print("  \(chain.padded(to: 24)) \(k)\(share(k))") }
        print("\nBy level:")
        for (c, k) in stats.byLevelClass { print("  \(c.padded(to: 24)) \(k)\(share(k))") }
        print("\nBy category (institutions / participants):")
        let taxonomy = Taxonomy.shared
        for ((code, k), (_, people)) in zip(stats.byCategory, stats.participantsByCategory) {
            let label = taxonomy.category(code).map { "\($0.number). \($0.en)" } ?? code
            print("  \(label.padded(to: 48)) \(k) / \(people)")
        }
        print("\nBy kind of organisation (institutions / participants):")
        let kindLabels = Dictionary(uniqueKeysWithValues: taxonomy.kinds.map { ($0.code, $0.en) })
        let people = Dictionary(uniqueKeysWithValues: stats.participantsByKind)
        for (kind, k) in stats.byKind where k > 0 || kind == "uncoded" {
            print("  \((kindLabels[kind] ?? "not given").padded(to: 48)) \(k)" + (people[kind].map { " / \($0)" } ?? ""))
        }
        print("\nProfessional groups (participants / contacts / without an organisation named):")
        let professionalLabels = Dictionary(uniqueKeysWithValues: taxonomy.professionals.map { ($0.code, $0.en) })
        for chain in ["legal", "both", "help"] {
            let groups = stats.professionals.filter { $0.group.chain == chain && $0.contacts > 0 }
            guard !groups.isEmpty else { continue }
            print("  \(chain) chain:")
            for p in groups {
                print("    \((professionalLabels[p.group.rawValue] ?? p.group.rawValue).padded(to: 46)) \(p.participants) / \(p.contacts) / \(p.unnamedContacts)")
            }
        }
        if let c = stats.concurrency {
            print("\nConcurrency (episodes open on one day, gap \(episodes.episodeGapDays) days): at most \(c.max), mean of the participants' largest \(c.mean).")
        }
        let busiest = reach.busiest(top: top)
        if !busiest.isEmpty {
            print("\nParticipants per institution (top \(busiest.count)):")
            let width = String(stats.participants).count
            for (id, k) in busiest {
                print("  " + String(String(k).reversed()).padded(to: width).reversed() + " of \(stats.participants)  " + describe(id, directory))
            }
        }
    }
}
