import Foundation
import JourneyModel
import Projections

/// Writes every projection as CSV tables, `stats.json` and `datapackage.json` (contract 3).
public enum Dump {
    /// What a dump wrote.
    public struct Summary: Sendable {
        public let directory: String
        public let upto: UInt64
        public let participants: Int
        public let files: [String]
    }

    /// Dumps the projections as of `upto` into `directory` (created if missing). Files are written
    /// under temporary names and renamed at the end, so a failed dump leaves no half-written table.
    public static func write(
        state: ProjectionState, upto: UInt64?, windowDays: Int, followUpDays: Int, to directory: String
    ) throws -> Summary {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: directory, isDirectory: &isDir) {
            guard isDir.boolValue else { throw DumpError("\(directory): exists and is not a directory") }
        } else {
            do {
                try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw DumpError("\(directory): cannot create the dump directory: \(error.localizedDescription)")
            }
        }
        let suffix = ".partial-\(getpid())"
        func path(_ table: DumpTables.Table) -> String { directory + "/" + table.file + suffix }
        var temporary: [String] = []
        do {
            let (seq, participantCount) = try state.view(upto: upto) { view -> (UInt64, Int) in
                let participantsCSV = try CSVWriter(path: path(DumpTables.participants), header: DumpTables.participants.header)
                let timelineCSV = try CSVWriter(path: path(DumpTables.timeline), header: DumpTables.timeline.header)
                let pairsCSV = try CSVWriter(path: path(DumpTables.pairs), header: DumpTables.pairs.header)
                let referralsCSV = try CSVWriter(path: path(DumpTables.referrals), header: DumpTables.referrals.header)
                temporary = [participantsCSV.path, timelineCSV.path, pairsCSV.path, referralsCSV.path]

                let participants = try view.participants()
                var facts: [ParticipantFacts] = []
                facts.reserveCapacity(participants.count)
                var items: [(String, String, PairItem)] = []
                var audited: [ReferralEdge] = []
                var mentioning: [String: Int] = [:], contacting: [String: Int] = [:]

                try ParallelCohort.run(state: state, upto: view.upto, participants: participants, compute: { worker, participant in
                    ParticipantDump(participant: participant, journey: try worker.journey(of: participant),
                                        windowDays: windowDays, followUpDays: followUpDays)
                }, consume: { _, d in
                    facts.append(d.facts)
                    for i in d.facts.mentioned { mentioning[i, default: 0] += 1 }
                    for i in d.facts.contacted { contacting[i, default: 0] += 1 }
                    participantsCSV.raw(d.participantRow)
                    timelineCSV.raw(d.timeline)
                    pairsCSV.raw(d.pairs)
                    referralsCSV.raw(d.referrals)
                    items.append(contentsOf: d.items)
                    audited.append(contentsOf: d.edges)
                })
                try participantsCSV.close()
                try timelineCSV.close()
                try pairsCSV.close()
                try referralsCSV.close()

                let directoryOfCodings = try view.codings()
                let institutionsCSV = try CSVWriter(path: path(DumpTables.institutions), header: DumpTables.institutions.header)
                temporary.append(institutionsCSV.path)
                let institutionIDs = Set(directoryOfCodings.codings.keys).union(mentioning.keys)
                for id in institutionIDs.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                    institutionsCSV.row([
                        id, directoryOfCodings.name(of: id), directoryOfCodings.chain(of: id),
                        directoryOfCodings.categories(of: id).joined(separator: ";"),
                        directoryOfCodings.levels(of: id).joined(separator: ";"),
                        directoryOfCodings.levelClass(of: id), String(mentioning[id] ?? 0), String(contacting[id] ?? 0),
                    ])
                }
                try institutionsCSV.close()

                let itemsCSV = try CSVWriter(path: path(DumpTables.pairItems), header: DumpTables.pairItems.header)
                temporary.append(itemsCSV.path)
                items.sort { a, b in
                    if a.0 != b.0 { return a.0.utf8.lexicographicallyPrecedes(b.0.utf8) }
                    if a.1 != b.1 { return a.1.utf8.lexicographicallyPrecedes(b.1.utf8) }
                    return a.2.item.utf8.lexicographicallyPrecedes(b.2.item.utf8)
                }
                for (e, x, item) in items {
                    itemsCSV.row([e, x, item.item, String(item.expected), String(item.experienced), String(item.delta)])
                }
                try itemsCSV.close()

                let networkCSV = try CSVWriter(path: path(DumpTables.referralNetwork), header: DumpTables.referralNetwork.header)
                temporary.append(networkCSV.path)
                for edge in ReferralEdge.network(audited) {
                    networkCSV.row([edge.from, edge.to, String(edge.referrals), String(edge.refused), String(edge.participants.count)])
                }
                try networkCSV.close()

                let stats = CohortStats(facts: facts, directory: directoryOfCodings)
                let statsPath = directory + "/stats.json" + suffix
                try write(Data(stats.json().utf8), to: statsPath)
                temporary.append(statsPath)
                let packagePath = directory + "/datapackage.json" + suffix
                try write(DataPackage.json() + Data("\n".utf8), to: packagePath)
                temporary.append(packagePath)
                return (view.upto, participants.count)
            }
            var files: [String] = []
            for tmp in temporary {
                let final = String(tmp.dropLast(suffix.count))
                if fm.fileExists(atPath: final) { try fm.removeItem(atPath: final) }
                try fm.moveItem(atPath: tmp, toPath: final)
                files.append((final as NSString).lastPathComponent)
            }
            return Summary(directory: directory, upto: seq, participants: participantCount, files: files.sorted())
        } catch {
            for tmp in temporary { try? fm.removeItem(atPath: tmp) }
            throw error
        }
    }

    private static func write(_ data: Data, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw DumpError("\(path): cannot write the file")
        }
    }
}

/// Everything a dump writes about one participant, rendered on a worker thread.
struct ParticipantDump: Sendable {
    let facts: ParticipantFacts
    var participantRow: [UInt8] = []
    var timeline: [UInt8] = []
    var pairs: [UInt8] = []
    var referrals: [UInt8] = []
    var items: [(String, String, PairItem)] = []
    var edges: [ReferralEdge] = []

    init(participant: String, journey: [LoggedEvent], windowDays: Int, followUpDays: Int) {
        let f = ParticipantFacts(participant: participant, journey: journey)
        facts = f
        participantRow.csvField(participant, first: true)
        participantRow.csvField(f.enrolledOn?.description)
        participantRow.csvField(f.exitedOn?.description)
        participantRow.csvField(f.exitReason?.rawValue)
        for n in [f.events, f.contacts, f.referrals, f.expectations, f.experiences, f.mentioned.count, f.contacted.count] {
            participantRow.csvField(n)
        }
        participantRow.csvEnd()
        timeline.reserveCapacity(journey.count * 100)
        for logged in journey {
            let e = logged.event
            timeline.csvField(participant, first: true)
            timeline.csvField(e.at.text)
            timeline.csvField(Int(logged.seq))
            timeline.csvField(e.id)
            timeline.csvField(e.type.name)
            timeline.csvField(e.source.rawValue)
            timeline.csvField(e.institution)
            timeline.csvField(e.counterpart)
            timeline.csvField(e.detail)
            timeline.csvEnd()
        }
        for pair in Pairing.pairs(participant: participant, journey: journey, windowDays: windowDays) {
            pairs.csvField(participant, first: true)
            pairs.csvField(pair.institution)
            pairs.csvField(pair.status.rawValue)
            pairs.csvField(pair.expectation?.id)
            pairs.csvField(pair.experience?.id)
            pairs.csvField(pair.expectation?.data.plannedFor.description)
            pairs.csvField(pair.experience?.data.contactOn.description)
            pairs.csvField(pair.dayOffset)
            pairs.csvField(pair.expectation?.data.expectedFulfilment)
            pairs.csvEnd()
            if let e = pair.expectation, let x = pair.experience {
                for item in pair.items { items.append((e.id, x.id, item)) }
            }
        }
        for a in ReferralAudit.audit(participant: participant, journey: journey, followUpDays: followUpDays) {
            referrals.csvField(participant, first: true)
            referrals.csvField(a.logged.event.at.text)
            referrals.csvField(Int(a.logged.seq))
            referrals.csvField(a.logged.event.id)
            referrals.csvField(a.referral.from)
            referrals.csvField(a.referral.to)
            referrals.csvField(a.referral.outcome.rawValue)
            referrals.csvField(a.refused)
            referrals.csvField(a.deadEnd)
            referrals.csvField(a.chainDepth)
            referrals.csvField(a.inCycle)
            referrals.csvEnd()
            edges.append(ReferralEdge(participant: participant, from: a.referral.from, to: a.referral.to, refused: a.refused))
        }
    }
}
