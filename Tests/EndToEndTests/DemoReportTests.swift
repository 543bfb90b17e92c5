import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `journey demo` and `journey report`, run as a user would: the cohort is deterministic and
/// study-shaped, the report's pages are well-formed XML with one page per participant, and the
/// cohort page's figures equal `journey stats --format json`.
@Suite(.serialized)
struct DemoReportTests {
    /// Every element's attributes, collected by an XML parser (which also proves the page is
    /// well-formed).
    final class Attributes: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append((name, attributes))
        }

        static func of(_ path: String) throws -> Attributes {
            let collector = Attributes()
            let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: path)))
            parser.delegate = collector
            #expect(parser.parse(), "\(path) is not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
            return collector
        }

        /// `data-value` by `data-key` of the elements with `data-figure == figure`.
        func figure(_ figure: String) -> [String: String] {
            var out: [String: String] = [:]
            for e in elements where e.attributes["data-figure"] == figure {
                out[e.attributes["data-key"] ?? ""] = e.attributes["data-value"]
            }
            return out
        }
    }

    @Test func theDemoImportsAStudyShapedCohortAndWritesAReportWhoseFiguresAreTheStats() throws {
        let dir = try Scratch()
        let store = dir.path + "/store", report = dir.path + "/report"
        let r = try CommandRunner.journey(["demo", "--store", store, "--report", report])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Synthetic demo cohort: 29 participants, seed 22"))
        #expect(r.stdout.contains("29 participants named"))
        #expect(r.stdout.contains("Report: open "))
        #expect(try CommandRunner.journey(["verify", "--store", store]).status == 0)

        let statsJSON = try CommandRunner.journey(["stats", "--format", "json", "--store", store]).stdout
        let stats = try #require(JSONSerialization.jsonObject(with: Data(statsJSON.utf8)) as? [String: Any])
        let per = try #require(stats["perParticipant"] as? [String: Any])
        // Shaped like the study: about 11 institutions per participant (4 to 34 in the study),
        // most of the ~130 coded organisations named, most of them in the help chain.
        let mean = try #require(per["mean"] as? Double)
        #expect(mean > 9 && mean < 13.5)
        #expect((per["min"] as? Int ?? 0) >= 3 && (per["max"] as? Int ?? 0) >= 20)
        let institutions = try #require(stats["institutions"] as? Int)
        #expect(institutions >= 90 && institutions <= 134)
        let byChain = try #require(stats["byChain"] as? [String: Int])
        #expect(Double(byChain["help"] ?? 0) / Double(institutions) > 0.7)
        // The study's figures (domain.md) within 10%: organisations, the mean, the kinds met,
        // the sample, and the expectation-experience gap by chain.
        func near(_ value: Double, _ study: Double) -> Bool { abs(value - study) <= 0.1 * abs(study) }
        #expect(near(Double(institutions), 128) && near(mean, 11), "\(institutions) institutions, mean \(mean)")
        let kinds = try #require(stats["participantsByKind"] as? [String: Int])
        for (kind, study) in [("mental-health", 28), ("gp", 24), ("school", 14), ("lawyer-family", 24), ("lawyer-victim", 6),
                              ("youth-protection", 9), ("coaching", 11), ("child-protection-board", 16), ("police", 27), ("veilig-thuis", 25)] {
            #expect(near(Double(kinds[kind] ?? 0), Double(study)), "\(kind): \(kinds[kind] ?? 0), the study \(study)")
        }
        let deltas = try #require(stats["pairDeltaByChain"] as? [String: [String: Any]])
        let legal = try #require(deltas["legal"]?["mean"] as? Double), help = try #require(deltas["help"]?["mean"] as? Double)
        #expect(near(legal, -1.1) && abs(help) < 0.2, "legal \(legal), help \(help)")
        let professionals = try #require(stats["professionals"] as? [String: Int])
        #expect((professionals["psychologist"] ?? 0) > 0 && (professionals["police-officer"] ?? 0) > 0 && (professionals["lawyer"] ?? 0) > 0)
        let dump = dir.path + "/dump"
        #expect(try CommandRunner.journey(["dump", "--out", dump, "--store", store]).status == 0)
        let rows = try String(contentsOfFile: dump + "/participants.csv", encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let header = rows[0].components(separatedBy: ",")
        let values = rows.dropFirst().map { $0.components(separatedBy: ",") }
        let ages = values.compactMap { Int($0[header.firstIndex(of: "age")!]) }
        #expect(ages.count == 29 && ages.min() == 30 && ages.max() == 62 && ages.reduce(0, +) == 40 * 29)
        #expect(values.filter { $0[header.firstIndex(of: "children_with_ex_partner")!] == "true" }.count == 24)
        #expect(values.contains { Int($0[header.firstIndex(of: "unnamed_contacts")!]) ?? 0 > 0 })
        // Every event says when it was recorded; help for a child and refusal reasons are there.
        let timeline = try String(contentsOfFile: dump + "/timeline.csv", encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(timeline.dropFirst().allSatisfy { !$0.hasSuffix(",") }, "an event without recorded")
        #expect(timeline.contains { $0.contains(",shn,") && $0.contains(",child,") })
        let referrals = try String(contentsOfFile: dump + "/referrals.csv", encoding: .utf8)
        #expect(referrals.contains("no place") && referrals.contains("not our task"))
        #expect(try String(contentsOfFile: dump + "/covariates.csv", encoding: .utf8).contains("education,category,Highest completed education,Hoogst afgeronde opleiding,"))

        let cohort = try Attributes.of(report + "/index.html")
        func single(_ key: String) -> String? { cohort.elements.first { $0.attributes["data-figure"] == key }?.attributes["data-value"] }
        #expect(single("participants") == "29")
        #expect(single("institutions") == String(institutions))
        #expect(single("perParticipant.min") == String(per["min"] as? Int ?? -1))
        #expect(single("perParticipant.max") == String(per["max"] as? Int ?? -1))
        #expect(Double(single("perParticipant.mean") ?? "") == mean)
        #expect(Double(single("perParticipant.median") ?? "") == per["median"] as? Double)
        #expect(single("perParticipant.atLeast10") == String(per["atLeast10"] as? Int ?? -1))
        for figure in ["byChain", "byLevelClass", "byCategory", "participantsByCategory"] {
            let expected = try #require(stats[figure] as? [String: Int])
            #expect(cohort.figure(figure) == expected.mapValues(String.init), "\(figure)")
        }
        // The results section's new figures: kinds met, professional groups, the sample, the gap
        // by chain, concurrency - each as stats.json has it.
        #expect(cohort.figure("participantsByKind") == kinds.filter { $0.value > 0 }.mapValues(String.init))
        #expect(cohort.figure("professionals") == professionals.filter { $0.value > 0 }.mapValues(String.init))
        #expect(single("sample.children") == "24" && single("sample.age.mean") == "40")
        #expect(cohort.figure("pairDeltaByChain")["legal"] == String(legal))
        // Two coders who disagree on about one organisation in nine, most disputes settled by a
        // consensus; the cohort page shows the agreement and the disputes left.
        let agreement = try #require(JSONSerialization.jsonObject(with: Data(try CommandRunner.journey(["agreement", "--format", "json", "--bootstrap", "0", "--store", store]).stdout.utf8)) as? [[String: Any]])
        let chainAlpha = try #require(agreement.first { $0["dimension"] as? String == "chain" && $0["coders"] as? String == "all" }?["alpha"] as? Double)
        #expect(chainAlpha > 0.6 && chainAlpha < 0.99, "chain alpha \(chainAlpha)")
        let disputes = try CommandRunner.journey(["codings", "--disputed", "--format", "json", "--store", store]).stdout
        let disputedCount = (try JSONSerialization.jsonObject(with: Data(disputes.utf8)) as? [Any])?.count ?? -1
        #expect(disputedCount > 0 && disputedCount < 10)
        #expect(single("disputed") == String(disputedCount))
        // (Foundation's JSONSerialization on Linux reads doubles a few ulps off.)
        #expect(abs((Double(cohort.figure("alpha")["chain"] ?? "") ?? 0) - chainAlpha) < 1e-12)
        // The app's compliance over study weeks, a cell per participant-week with prompts.
        let complianceWeeks = try #require(JSONSerialization.jsonObject(with: Data(try CommandRunner.journey(["compliance", "--format", "json", "--store", store]).stdout.utf8)) as? [Any])
        #expect(cohort.figure("complianceGrid").count == complianceWeeks.count && complianceWeeks.count > 100)
        // The weekly reports of a contact against the contacts recorded, as journey compliance counts them.
        let complianceText = try CommandRunner.journey(["compliance", "--store", store]).stdout
        let agreeing = try #require(single("weeklyReportsAgree"))
        #expect(complianceText.contains("agree with the contacts recorded: \(agreeing) of "), "\(complianceText)")
        let concurrency = try #require(stats["concurrency"] as? [String: Any])
        #expect(single("concurrency.max") == String(concurrency["max"] as? Int ?? -1))
        // The histogram holds every participant once, and its mean is the stats' mean.
        let histogram = cohort.figure("institutionsPerParticipant").map { (Int($0.key) ?? 0, Int($0.value) ?? 0) }
        #expect(histogram.map(\.1).reduce(0, +) == 29)
        let total = histogram.map { $0.0 * $0.1 }.reduce(0, +)
        #expect(abs(Double(total) / 29 - mean) < 0.006)

        // One page per participant, each well-formed, each linked from the cohort page.
        let pages = try FileManager.default.contentsOfDirectory(atPath: report + "/participants").filter { $0.hasSuffix(".html") }.sorted()
        #expect(pages.count == 29)
        #expect(pages.first == "P01.html" && pages.last == "P29.html")
        let links = Set(cohort.elements.compactMap { $0.attributes["href"] }.filter { $0.hasPrefix("participants/") })
        #expect(links == Set(pages.map { "participants/" + $0 }))
        var referralKinds: Set<String> = [], pairKinds: Set<String> = [], sessionKinds: Set<String> = []
        for page in pages {
            let p = try Attributes.of(report + "/participants/" + page)
            referralKinds.formUnion(p.elements.compactMap { $0.attributes["data-referral"] })
            pairKinds.formUnion(p.elements.compactMap { $0.attributes["data-pair"] })
            sessionKinds.formUnion(p.elements.compactMap { $0.attributes["data-session"] })
            #expect(p.elements.contains { $0.attributes["data-contact"] != nil }, "\(page) shows no contact")
        }
        // The questionnaire app's prompts: in the pages, and on the cohort page as compliance.
        #expect(sessionKinds == ["completed", "expired", "unanswered"])
        let compliance = try CommandRunner.journey(["compliance", "--format", "json", "--store", store]).stdout
        let weeks = try #require(JSONSerialization.jsonObject(with: Data(compliance.utf8)) as? [[String: Any]])
        let answered = weeks.map { $0["answered"] as? Int ?? 0 }.reduce(0, +)
        #expect(answered > 0)
        #expect(cohort.figure("compliance")["answered"] == String(answered))
        // The cohort shows every kind of referral and of pair somewhere.
        #expect(referralKinds == ["accepted", "refused", "dead-end", "cycle"])
        #expect(pairKinds == ["paired", "expectation-only", "experience-only"])
        // Self-contained: nothing fetched from a network.
        let html = try String(contentsOfFile: report + "/index.html", encoding: .utf8)
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").dropFirst().allSatisfy { $0.hasPrefix("www.w3.org/") })
        #expect(!html.contains("https://"))
        #expect(!html.contains("<script"))
    }

    @Test func theCohortIsDeterministicPerSeedAndTheDemoIsIdempotent() throws {
        let dir = try Scratch()
        let store = dir.path + "/store"
        let a = dir.path + "/a.jsonl", b = dir.path + "/b.jsonl", c = dir.path + "/c.jsonl"
        #expect(try CommandRunner.journey(["demo", "--store", store, "--no-report", "--participants", "40", "--seed", "7", "--events-out", a]).status == 0)
        let again = try CommandRunner.journey(["demo", "--store", store, "--no-report", "--participants", "40", "--seed", "7", "--events-out", b])
        #expect(again.status == 0)
        #expect(again.stdout.contains("appended 0"))
        #expect(try CommandRunner.journey(["demo", "--store", dir.path + "/other", "--no-report", "--participants", "40", "--seed", "8", "--events-out", c]).status == 0)
        let textA = try String(contentsOfFile: a, encoding: .utf8)
        #expect(textA == (try String(contentsOfFile: b, encoding: .utf8)))
        #expect(textA != (try String(contentsOfFile: c, encoding: .utf8)))
        #expect(textA.contains("\"participant\":\"P40\""))
        // The generated file is valid input on its own, and it shows what the demo promises.
        let check = try CommandRunner.run("/usr/bin/env", ["python3", CommandRunner.packageRoot + "/tools/check_schema.py", a])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        for needle in ["\"type\":\"event.retracted\"", "\"outcome\":\"no-capacity\"", "\"reason\":\"not our task\"", "\"source\":\"closing-interview\"",
                       "\"source\":\"intake-interview\"", "\"type\":\"expectation\"", "\"type\":\"experience\"", "\"recorded\":"] {
            #expect(textA.contains(needle), "\(needle)")
        }
    }

    @Test func reportNeedsAStoreAndSaysSo() throws {
        let dir = try Scratch()
        let r = try CommandRunner.journey(["report", "--out", dir.path + "/r", "--store", dir.path + "/missing"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("no journey store here"))
    }
}
