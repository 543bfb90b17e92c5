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
            let summary = try state.view(upto: upto) { view -> Summary in
                let participantsCSV = try CSVWriter(path: path(DumpTables.participants), header: DumpTables.participants.header)
                let timelineCSV = try CSVWriter(path: path(DumpTables.timeline), header: DumpTables.timeline.header)
                let pairsCSV = try CSVWriter(path: path(DumpTables.pairs), header: DumpTables.pairs.header)
                let referralsCSV = try CSVWriter(path: path(DumpTables.referrals), header: DumpTables.referrals.header)
                temporary = [participantsCSV.path, timelineCSV.path, pairsCSV.path, referralsCSV.path]

                let participants = try view.participants()
                var facts: [ParticipantFacts] = []
                facts.reserveCapacity(participants.count)
                var items: [(String, String, PairItem)] = []
                var audited: [AuditedReferral] = []
                var mentioning: [String: Int] = [:], contacting: [String: Int] = [:]

                for participant in participants {
                    let journey = try view.journey(of: participant)
                    let f = ParticipantFacts(participant: participant, journey: journey)
                    facts.append(f)
                    for i in f.mentioned { mentioning[i, default: 0] += 1 }
                    for i in f.contacted { contacting[i, default: 0] += 1 }
                    participantsCSV.row([
                        participant, f.enrolledOn?.description, f.exitedOn?.description, f.exitReason?.rawValue,
                        String(f.events), String(f.contacts), String(f.referrals), String(f.expectations),
                        String(f.experiences), String(f.mentioned.count), String(f.contacted.count),
                    ])
                    for logged in journey {
                        let e = logged.event
                        timelineCSV.row([participant, e.at.text, String(logged.seq), e.id, e.type.name, e.source.rawValue,
                                         e.institution, e.counterpart, e.detail])
                    }
                    for pair in Pairing.pairs(participant: participant, journey: journey, windowDays: windowDays) {
                        pairsCSV.row([
                            participant, pair.institution, pair.status.rawValue, pair.expectation?.id, pair.experience?.id,
                            pair.expectation?.data.plannedFor.description, pair.experience?.data.contactOn.description,
                            pair.dayOffset.map(String.init), pair.expectation?.data.expectedFulfilment.map(String.init),
                        ])
                        if let e = pair.expectation, let x = pair.experience {
                            for item in pair.items { items.append((e.id, x.id, item)) }
                        }
                    }
                    let audit = ReferralAudit.audit(participant: participant, journey: journey, followUpDays: followUpDays)
                    for a in audit {
                        referralsCSV.row([
                            participant, a.logged.event.at.text, String(a.logged.seq), a.logged.event.id, a.referral.from,
                            a.referral.to, a.referral.outcome.rawValue, String(a.refused), String(a.deadEnd),
                            String(a.chainDepth), String(a.inCycle),
                        ])
                    }
                    audited.append(contentsOf: audit)
                }
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
                for edge in ReferralAudit.network(audited) {
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
                return Summary(directory: directory, upto: view.upto, participants: participants.count, files: [])
            }
            var files: [String] = []
            for tmp in temporary {
                let final = String(tmp.dropLast(suffix.count))
                if fm.fileExists(atPath: final) { try fm.removeItem(atPath: final) }
                try fm.moveItem(atPath: tmp, toPath: final)
                files.append((final as NSString).lastPathComponent)
            }
            return Summary(directory: directory, upto: summary.upto, participants: summary.participants, files: files.sorted())
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
