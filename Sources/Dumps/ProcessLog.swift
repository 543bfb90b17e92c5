import Foundation
import JourneyModel
import Projections

/// The journeys as process-mining logs (issue 22): an IEEE 1849 XES event log (case =
/// participant; activity = event type and the institution's kind; resource = institution;
/// a referral as two events, `start` at where it came from and `complete` at where it went)
/// and an OCEL 2.0 JSON log (objects: participants, institutions, referrals; events with their
/// object relations). Both list the participants in byte order and their events by time, so the
/// same log gives the same files.
enum ProcessLog {
    static let xesFile = "journey.xes"
    static let ocelFile = "journey.ocel.json"

    /// What one participant adds to the logs, made on a worker.
    struct Part: Sendable {
        let trace: String
        let events: [String]
        let referrals: [(id: String, outcome: String)]
        let institutions: [String]
    }

    /// Writes the logs of `formats` (`.xes`, `.ocel`) into `directory`; returns their file names.
    static func write(state: ProjectionState, options: DumpOptions, formats: [DumpFormat], directory: String) throws -> [String] {
        let wantsXES = formats.contains(.xes), wantsOCEL = formats.contains(.ocel)
        guard wantsXES || wantsOCEL else { return [] }
        let (upto, participants, codings) = try state.view(upto: options.upto) { view in (view.upto, try view.participants(), try view.codings()) }
        let xes = wantsXES ? try OutputFile(path: directory + "/" + xesFile) : nil
        func put(_ file: OutputFile, _ text: String) throws {
            var text = text
            try text.withUTF8 { try file.write(UnsafeRawBufferPointer($0)) }
            try file.flushIfFull()
        }
        if let xes { try put(xes, xesHeader) }
        // OCEL: the events streamed as they come, the objects (a few per participant) at the end.
        let ocel = wantsOCEL ? try OutputFile(path: directory + "/" + ocelFile) : nil
        if let ocel { try put(ocel, ocelHeader) }
        var firstEvent = true
        var referrals: [(id: String, outcome: String)] = [], mentioned: Set<String> = [], people: [String] = []
        try CohortRun.each(state, upto: upto, participants: participants, form: .dump, windows: options.windows,
                           excludeWithdrawn: options.excludeWithdrawn, render: { projection in
            part(projection, codings: codings, xes: wantsXES, ocel: wantsOCEL)
        }, consume: { participant, part in
            if let xes { try put(xes, part.trace) }
            if let ocel {
                people.append(participant)
                for event in part.events {
                    try put(ocel, (firstEvent ? "" : ",\n") + event)
                    firstEvent = false
                }
                referrals += part.referrals
                mentioned.formUnion(part.institutions)
            }
        })
        var written: [String] = []
        if let xes {
            try put(xes, "</log>\n")
            try xes.finish()
            written.append(xesFile)
        }
        if let ocel {
            try put(ocel, "\n],\n" + objects(people: people, institutions: mentioned, referrals: referrals, codings: codings))
            try ocel.finish()
            written.append(ocelFile)
        }
        return written
    }

    static let xesHeader = """
        <?xml version="1.0" encoding="UTF-8"?>
        <log xes.version="1849-2016" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/">
        <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
        <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
        <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
        <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
        <global scope="trace"><string key="concept:name" value="__INVALID__"/></global>
        <global scope="event"><string key="concept:name" value="__INVALID__"/><date key="time:timestamp" value="1970-01-01T00:00:00.000+00:00"/><string key="lifecycle:transition" value="complete"/></global>
        <classifier name="Activity" keys="concept:name"/>
        <classifier name="Activity and transition" keys="concept:name lifecycle:transition"/>

        """

    /// One participant's trace and OCEL events.
    static func part(_ p: ParticipantProjection, codings: InstitutionDirectory, xes: Bool, ocel: Bool) -> Part {
        var trace = xes ? "<trace><string key=\"concept:name\" value=\"\(escape(p.participant))\"/>\n" : ""
        var events: [String] = [], referrals: [(id: String, outcome: String)] = [], institutions: [String] = []
        let texts = p.texts
        for (i, e) in p.journey.enumerated() {
            let t = texts.events[i]
            let id = texts.string(t.id), at = timestamp(texts.string(t.at))
            let institution = e.institution == CompactEvent.none ? nil : p.numbers.name(e.institution)
            let counterpart = e.counterpart == CompactEvent.none ? nil : p.numbers.name(e.counterpart)
            let kind = institution.map { codings.kind(of: $0)?.rawValue ?? "uncoded" }
            let activity = e.type.name + (kind.map { ": " + $0 } ?? "")
            if xes {
                func event(_ transition: String, _ resource: String?) {
                    trace += "<event><string key=\"concept:name\" value=\"\(escape(activity))\"/><string key=\"lifecycle:transition\" value=\"\(transition)\"/>"
                    trace += "<date key=\"time:timestamp\" value=\"\(at)\"/>"
                    if let resource { trace += "<string key=\"org:resource\" value=\"\(escape(resource))\"/>" }
                    trace += "<string key=\"journey:event_id\" value=\"\(escape(id))\"/><string key=\"journey:type\" value=\"\(e.type.name)\"/></event>\n"
                }
                if e.type == .referral {
                    event("start", counterpart)
                    event("complete", institution)
                } else {
                    event("complete", institution)
                }
            }
            if ocel {
                var relations = [#"{"objectId": \#(json(p.participant)), "qualifier": "participant"}"#]
                if let institution {
                    relations.append(#"{"objectId": \#(json(institution)), "qualifier": \#(json(e.type == .referral ? "to" : "institution"))}"#)
                    institutions.append(institution)
                }
                if let counterpart, Referrer.isInstitution(counterpart) {
                    relations.append(#"{"objectId": \#(json(counterpart)), "qualifier": \#(json(e.type == .referral ? "from" : "came via"))}"#)
                    institutions.append(counterpart)
                }
                if e.type == .referral {
                    relations.append(#"{"objectId": \#(json("referral:" + id)), "qualifier": "referral"}"#)
                    referrals.append((id, e.outcome?.rawValue ?? "unknown"))
                }
                events.append(#"{"id": \#(json(id)), "type": \#(json(e.type.name)), "time": \#(json(at)), "attributes": [], "relationships": [\#(relations.joined(separator: ", "))]}"#)
            }
        }
        return Part(trace: xes ? trace + "</trace>\n" : "", events: events, referrals: referrals, institutions: institutions)
    }

    /// The OCEL 2.0 document up to its events.
    static let ocelHeader: String = {
        let types = EventType.allCases.map { #"{"name": \#(json($0.name)), "attributes": []}"# }
        return """
            {"objectTypes": [{"name": "participant", "attributes": []}, {"name": "institution", "attributes": [{"name": "kind", "type": "string"}, {"name": "chain", "type": "string"}]}, {"name": "referral", "attributes": [{"name": "outcome", "type": "string"}]}],
            "eventTypes": [\(types.joined(separator: ", "))],
            "events": [

            """
    }()

    /// The OCEL 2.0 document's objects, and its end.
    static func objects(people: [String], institutions: Set<String>, referrals: [(id: String, outcome: String)], codings: InstitutionDirectory) -> String {
        var objects = people.map { #"{"id": \#(json($0)), "type": "participant", "attributes": [], "relationships": []}"# }
        for id in institutions.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let kind = codings.kind(of: id)?.rawValue ?? "uncoded", chain = codings.chain(of: id)
            objects.append(#"{"id": \#(json(id)), "type": "institution", "attributes": [{"name": "kind", "time": "1970-01-01T00:00:00Z", "value": \#(json(kind))}, {"name": "chain", "time": "1970-01-01T00:00:00Z", "value": \#(json(chain))}], "relationships": []}"#)
        }
        for r in referrals {
            objects.append(#"{"id": \#(json("referral:" + r.id)), "type": "referral", "attributes": [{"name": "outcome", "time": "1970-01-01T00:00:00Z", "value": \#(json(r.outcome))}], "relationships": []}"#)
        }
        return "\"objects\": [\n" + objects.joined(separator: ",\n") + "\n]}\n"
    }

    /// An event's time: a date-time as written, a plain date as midnight UTC.
    static func timestamp(_ at: String) -> String { at.count == 10 ? at + "T00:00:00.000+00:00" : at }

    static func escape(_ s: String) -> String { MarkupText.escape(s) }

    static func json(_ s: String) -> String { JSONLine.quoted(s) }
}
