import ArgumentParser
import Foundation
import JourneyModel
import Projections

/// `journey stats`
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "The study's results section: the sample, professional groups, institution counts over the coding scheme, kinds, shelters, referral problems, concurrency, and expectations against experiences.",
        discussion: "--format json prints the stats.json of a dump."
    )

    @Option(help: "How many institutions to list by number of participants.") var top = 15
    @OptionGroup var episodes: EpisodeGapOption
    @OptionGroup var withdrawal: WithdrawalOption
    @OptionGroup var options: ProjectionOptions

    func run() throws {
        let state = try options.open()
        let (upto, stats, reach, directory) = try CohortRun.stats(state, upto: options.upto, windows: options.windows(ProjectionWindows(episodeGapDays: episodes.episodeGapDays)),
                                                                   excludeWithdrawn: withdrawal.excludeWithdrawn)
        if options.format == .json {
            print(stats.json(), terminator: "")
            return
        }
        let codebook = try state.view(upto: upto) { try $0.codebook() }
        let taxonomy = Taxonomy.shared
        let n = stats.institutions
        func share(_ k: Int, of total: Int) -> String { total == 0 ? "" : String(format: " (%.0f%%)", Double(k) * 100 / Double(total)) }
        func number(_ v: Double?) -> String { v.map { $0 == $0.rounded() ? String(Int($0)) : String($0) } ?? "-" }

        print("Sample: \(stats.participants) participants.")
        for c in stats.sample.covariates {
            let d = c.definition
            switch d.kind {
            case .integer, .number:
                print("  \(d.label): \(number(c.min)) to \(number(c.max)), mean \(number(c.mean)) (n = \(c.n))")
            case .boolean:
                print("  \(d.label): \(c.counts.first { $0.0 == "true" }?.1 ?? 0) of \(c.n)")
            case .category:
                let labels = Dictionary(uniqueKeysWithValues: d.categories.map { ($0.code, $0.label) })
                print("  \(d.label) (n = \(c.n)): " + c.counts.map { "\(labels[$0.0] ?? $0.0) \($0.1)" }.joined(separator: ", "))
            case .text:
                print("  \(d.label): \(c.n) answers")
            }
        }
        print("  Abuse reported at enrolment: " + stats.sample.abuse.filter { $0.1 > 0 }.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
        let children = stats.sample.children
        print("  Children with the (ex-)partner: \(children.yes) yes, \(children.no) no\(children.unknown > 0 ? ", \(children.unknown) not known" : "")")

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

        let p = stats.perParticipant
        print("\n\(stats.participants) participants named \(n) unique institutions.")
        if let min = p.min, let max = p.max, let mean = p.mean, let median = p.median {
            print("Unique institutions per participant: \(min) to \(max), mean \(mean), median \(median); \(p.atLeast10) of \(stats.participants) met at least 10.")
        }
        print("\nBy chain:")
        for (chain, k) in stats.byChain { print("  \(chain.padded(to: 24)) \(k)\(share(k, of: n))") }
        print("\nBy level:")
        for (c, k) in stats.byLevelClass { print("  \(c.padded(to: 24)) \(k)\(share(k, of: n))") }
        print("\nBy category (institutions / participants):")
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

        let s = stats.shelter
        print("\nShelters: \(s.askedParticipants) participants asked (\(s.referrals) referrals), \(s.placedParticipants) placed, \(s.refused) referrals refused"
              + (s.reasons.isEmpty ? "." : ": " + s.reasons.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + "."))
        let r = stats.referralProblems
        print("Referral problems: of \(r.referrals) referrals, \(r.refused) refused (\(r.refusedParticipants) participants), \(r.deadEnds) dead ends (\(r.deadEndParticipants) participants), \(r.inCycle) in cycles (\(r.cycleParticipants) participants).")
        if let c = stats.concurrency {
            print("Concurrency (episodes open on one day, gap \(episodes.episodeGapDays) days): at most \(c.max), mean of the participants' largest \(c.mean).")
        }

        print("\nExpected against experienced (pairs' statement items; mean scores 0-5 and mean difference):")
        for (item, d) in stats.pairDeltaByItem {
            let label = codebook.statements[item]?.label ?? item
            print("  \(label.padded(to: 40)) \(String(d.items).padded(to: 5)) expected \(number(d.expected)), experienced \(number(d.experienced)), difference \(number(d.mean))")
        }
        print("  by chain of the organisation:")
        for (chain, d) in stats.pairDeltaByChain where d.items > 0 {
            print("    \(chain.padded(to: 38)) \(String(d.items).padded(to: 5)) difference \(number(d.mean))")
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
