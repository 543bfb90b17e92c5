/// The synthetic organisations of the demo cohort: about 130 plausible Dutch organisations and
/// professional groups across both chains and all level classes, grouped into kinds. Every name
/// is invented for the demo; none refers to a real organisation's data.
struct DemoCatalogue: Sendable {
    /// One kind of organisation: its instances, their coding, and how often a participant meets one.
    struct Kind: Sendable {
        let key: String
        let categories: [String]
        /// The levels of each instance, cycling.
        let levels: [[String]]
        let names: [String]
        /// Share of participants who meet an instance of this kind (the study's figure where it
        /// gives one), before the participant's own breadth is applied.
        let involvement: Double
        /// Whether the participant's breadth scales `involvement` (false for the kinds nearly
        /// everyone meets, whose rates the study reports).
        let scaled: Bool
        /// How early in a journey this kind is typically met (0 = first).
        let stage: Double
        /// The kind of organisation (contract 4.2) its codings give.
        let kind: String
        /// The professional groups (contract 4.3) a contact with it names, one picked per contact.
        let professionals: [String]
        /// On whose behalf its help mostly is (contract 4.1), if not the participant's.
        let forWhom: String?

        init(key: String, categories: [String], levels: [[String]], names: [String], involvement: Double, scaled: Bool, stage: Double,
             kind: String, professionals: [String] = [], forWhom: String? = nil) {
            self.key = key
            self.categories = categories
            self.levels = levels
            self.names = names
            self.involvement = involvement
            self.scaled = scaled
            self.stage = stage
            self.kind = kind
            self.professionals = professionals
            self.forWhom = forWhom
        }

        /// The institution id of instance `i`.
        func id(_ i: Int) -> String { names.count == 1 ? key : "\(key)-\(i + 1)" }
    }

    let kinds: [Kind]

    /// The kind with `key`.
    func kind(_ key: String) -> Kind { kinds.first { $0.key == key }! }

    static let standard = DemoCatalogue(kinds: [
        // Legal chain.
        Kind(key: "police", categories: ["legal.criminal.enforcement"], levels: [["regional"]],
             names: ["Politie"], involvement: 27.0 / 29, scaled: false, stage: 0, kind: "police", professionals: ["police-officer"]),
        Kind(key: "om", categories: ["legal.criminal.enforcement"], levels: [["national", "regional"]],
             names: ["Openbaar Ministerie"], involvement: 0.35, scaled: true, stage: 3, kind: "public-prosecution", professionals: ["prosecutor", "victim-coordinator"]),
        Kind(key: "criminal-court", categories: ["legal.criminal.adjudication"], levels: [["regional"]],
             names: ["Rechtbank, strafsector"], involvement: 0.15, scaled: true, stage: 6, kind: "criminal-court", professionals: ["judge", "examining-judge"]),
        Kind(key: "family-court", categories: ["legal.civil.adjudication"], levels: [["regional"]],
             names: ["Rechtbank, familie- en jeugdrecht"], involvement: 0.5, scaled: true, stage: 5, kind: "family-court", professionals: ["judge"]),
        Kind(key: "family-lawyer", categories: ["legal.civil.assistance"], levels: [["local"]],
             names: ["Advocatenkantoor Van Dijk (familierecht)", "Advocatenpraktijk De Wit", "Familierecht Advocaten Kooistra",
                     "Advocaten Scheiding en Gezag", "Advocatenkantoor Bosman", "Mediation en Familierecht Jansen"],
             involvement: 24.0 / 29, scaled: false, stage: 3, kind: "lawyer-family", professionals: ["lawyer", "lawyer", "lawyer-mediator"]),
        Kind(key: "victim-lawyer", categories: ["legal.criminal.assistance"], levels: [["local"]],
             names: ["Slachtofferadvocaat (strafrecht)"], involvement: 6.0 / 29, scaled: false, stage: 4, kind: "lawyer-victim", professionals: ["lawyer"]),
        Kind(key: "legal-aid", categories: ["legal.civil.assistance"], levels: [["national", "regional"]],
             names: ["Het Juridisch Loket"], involvement: 0.3, scaled: true, stage: 2, kind: "legal-aid"),
        Kind(key: "rvdk", categories: ["legal.civil.court-advice"], levels: [["national", "regional"]],
             names: ["Raad voor de Kinderbescherming"], involvement: 16.0 / 29, scaled: false, stage: 5, kind: "child-protection-board"),
        Kind(key: "curator", categories: ["legal.civil.court-advice"], levels: [["local"]],
             names: ["Bijzondere curator"], involvement: 0.07, scaled: true, stage: 6, kind: "lawyer-other", professionals: ["special-curator"]),
        // Both chains.
        Kind(key: "community-officer", categories: ["legal.criminal.enforcement", "help.formal.advice"], levels: [["local"]],
             names: ["Wijkagent"], involvement: 0.3, scaled: true, stage: 1, kind: "police", professionals: ["police-officer"]),
        Kind(key: "shn", categories: ["legal.criminal.assistance", "help.formal.victim"], levels: [["national", "regional"]],
             names: ["Slachtofferhulp Nederland"], involvement: 13.0 / 29, scaled: false, stage: 2, kind: "victim-support"),
        Kind(key: "guardian", categories: ["legal.civil.court-advice", "help.formal.family"], levels: [["regional"]],
             names: ["Jeugdbescherming Regio Midden", "Gecertificeerde Instelling Noord"], involvement: 9.0 / 29, scaled: false, stage: 6, kind: "youth-protection", professionals: ["family-guardian"], forWhom: "child"),
        Kind(key: "zvh", categories: ["legal.criminal.enforcement", "help.formal.advice"], levels: [["regional"]],
             names: ["Zorg- en Veiligheidshuis Midden", "Zorg- en Veiligheidshuis Oost"], involvement: 0.15, scaled: true, stage: 2, kind: "other"),
        Kind(key: "csg", categories: ["help.formal.health", "legal.criminal.enforcement"], levels: [["regional"]],
             names: ["Centrum Seksueel Geweld"], involvement: 0.1, scaled: true, stage: 1, kind: "hospital", professionals: ["hospital-doctor"]),
        // Help chain: advice and referral.
        Kind(key: "veilig-thuis", categories: ["help.formal.advice"], levels: [["national", "regional"]],
             names: ["Veilig Thuis"], involvement: 25.0 / 29, scaled: false, stage: 1, kind: "veilig-thuis"),
        Kind(key: "wijkteam", categories: ["help.formal.advice"], levels: [["local"]],
             names: ["Sociaal Wijkteam Centrum", "Sociaal Wijkteam Noord", "Sociaal Wijkteam Oost", "Sociaal Wijkteam West", "Sociaal Team Dorpen", "Buurtteam Zuid"],
             involvement: 0.45, scaled: true, stage: 2, kind: "neighbourhood-team", professionals: ["neighbourhood-coach"]),
        Kind(key: "knowledge", categories: ["help.formal.advice"], levels: [["national"]],
             names: ["Kenniscentrum Huiselijk Geweld", "Landelijk Informatiepunt Geweld", "Advieslijn Relatie en Geweld"], involvement: 0.12, scaled: true, stage: 1, kind: "other"),
        // Health.
        Kind(key: "gp", categories: ["help.formal.health"], levels: [["local"]],
             names: ["Huisartsenpraktijk De Linde", "Huisartsenpraktijk Het Plein", "Huisartsen De Brug", "Gezondheidscentrum Oost",
                     "Huisartsenpraktijk Van Rijn", "Huisartsen Kanaalzicht", "Huisartsenpraktijk De Esch", "Medisch Centrum Noord",
                     "Huisartsenpraktijk Zonneweide", "Huisartsen Aan de Dijk", "Huisartsenpraktijk De Hoeksteen", "Huisartsen Het Hof",
                     "Gezondheidscentrum Zuid", "Huisartsenpraktijk Molenweg", "Huisartsen De Vaart", "Huisartsenpraktijk Lindelaan"],
             involvement: 24.0 / 29, scaled: false, stage: 1, kind: "gp", professionals: ["gp", "gp", "practice-nurse"]),
        Kind(key: "ggz", categories: ["help.formal.health"], levels: [["local"], ["regional"], ["national", "regional"], ["national"]],
             names: ["POH-GGZ (praktijkondersteuner)", "GGZ Midden, traumacentrum", "Psychologenpraktijk Het Anker", "GGZ Noord, volwassenen",
                     "Psychotherapiepraktijk Lindenhof", "Psychiater, GGZ Oost", "Basis-GGZ De Linde", "Praktijk voor Psychologie De Horst",
                     "GGZ Centrum voor Psychotrauma", "Psychologenpraktijk Kompas", "Basis GGZ Regio West", "Traumatherapie Noord",
                     "Psychologiepraktijk De Bron", "GGZ Zuid, angst en depressie", "EMDR-praktijk Midden", "Online GGZ Praktijk"],
             involvement: 28.0 / 29, scaled: false, stage: 2, kind: "mental-health"),
        Kind(key: "hospital", categories: ["help.formal.health"], levels: [["regional"]],
             names: ["Ziekenhuis Midden, spoedeisende hulp", "Ziekenhuis Oost, polikliniek"], involvement: 0.15, scaled: true, stage: 1, kind: "hospital", professionals: ["hospital-doctor"]),
        // Psychosocial help for the victim.
        Kind(key: "shelter", categories: ["help.formal.victim"], levels: [["regional"]],
             names: ["Vrouwenopvang Blijfhuis Midden", "Opvang Het Veilige Huis", "Crisisopvang Noord", "Vrouwenopvang Oost"],
             involvement: 7.0 / 29, scaled: false, stage: 3, kind: "shelter"),
        Kind(key: "social-work", categories: ["help.formal.victim"], levels: [["local"]],
             names: ["Maatschappelijk Werk Centrum", "Maatschappelijk Werk Noord", "Algemeen Maatschappelijk Werk Oost",
                     "Maatschappelijk Werk West", "Welzijn en Maatschappelijk Werk Zuid", "Maatschappelijk Werk Dorpen",
                     "Maatschappelijk Werk Stadsdeel Zuid", "Schoolmaatschappelijk Werk"],
             involvement: 0.4, scaled: true, stage: 2, kind: "social-work", professionals: ["social-worker"]),
        Kind(key: "victim-help", categories: ["help.formal.victim"], levels: [["national", "regional"], ["regional"], ["local"], ["national"]],
             names: ["Expertisecentrum Veerkracht", "Hulp bij Geweld Regio Noord", "Slachtofferondersteuning Regio Midden", "Landelijke Hulplijn Geweld",
                     "Centrum Huiselijk Geweld Oost", "Hulp na Geweld Noord", "Ambulante Hulp Huiselijk Geweld", "Chat- en Belhulp Veilig",
                     "Stichting Herstel na Geweld", "Vrouwencentrum De Kracht"],
             involvement: 0.55, scaled: true, stage: 3, kind: "social-work", professionals: ["ambulatory-support"]),
        Kind(key: "social-services", categories: ["help.formal.victim"], levels: [["local"], ["national", "local"]],
             names: ["Gemeente, Sociale Zaken", "Schuldhulpverlening", "Woningcorporatie, urgentieteam", "Gemeente, Wmo-loket",
                     "UWV", "Voedselbank", "Gemeente, Team Wonen", "Juridisch spreekuur wijkcentrum"],
             involvement: 0.35, scaled: true, stage: 4, kind: "municipality"),
        // Relationship, family and child.
        Kind(key: "youth-care", categories: ["help.formal.family"], levels: [["regional"], ["national", "regional"]],
             names: ["Jeugdzorg Midden", "Jeugdhulp Noord", "Jeugd- en Gezinsteam Oost", "Jeugdhulp Zuid", "Centrum Jeugd en Gezin",
                     "Jeugdzorg Plus", "Ambulante Jeugdhulp West", "Jeugdhulp Dorpen"],
             involvement: 0.45, scaled: true, stage: 4, kind: "youth-family-care", professionals: ["orthopedagogue", "ambulatory-support"], forWhom: "child"),
        Kind(key: "school", categories: ["help.formal.family"], levels: [["local"]],
             names: ["Basisschool De Regenboog", "Basisschool Het Kompas", "Openbare Basisschool De Wilg", "Scholengemeenschap Noord",
                     "Basisschool De Vlinder", "Lyceum Midden", "Basisschool Sint Jozef", "Vmbo College Oost", "Basisschool De Zevensprong",
                     "Montessorischool Centrum", "Basisschool De Ark", "Daltonschool Oost", "Kindcentrum De Horizon"],
             involvement: 14.0 / 29, scaled: false, stage: 4, kind: "school", forWhom: "child"),
        Kind(key: "parenting", categories: ["help.formal.family"], levels: [["local"], ["national"]],
             names: ["Opvoedondersteuning Centrum", "Ouderschapsbemiddeling", "Omgangshuis", "Opvoedpoli Oost"], involvement: 0.3, scaled: true, stage: 5, kind: "youth-family-care", professionals: ["parenting-support"], forWhom: "family"),
        Kind(key: "family-therapy", categories: ["help.formal.family"], levels: [["regional"], ["national"]],
             names: ["Relatie- en Gezinstherapie Midden", "Systeemtherapie Noord", "Gezinstherapie Oost"], involvement: 0.15, scaled: true, stage: 5, kind: "mental-health", professionals: ["systemic-therapist", "relationship-therapist"], forWhom: "family"),
        Kind(key: "child-therapy", categories: ["help.formal.family"], levels: [["local"], ["national", "local"]],
             names: ["Kindertherapeut De Speelkamer", "Kinderpsycholoog Praktijk Wereld", "Speltherapie Noord", "Praktijk Kind en Trauma"],
             involvement: 0.25, scaled: true, stage: 5, kind: "mental-health", professionals: ["play-therapist"], forWhom: "child"),
        // Help for the (ex-)partner.
        Kind(key: "partner-help", categories: ["help.formal.partner"], levels: [["regional"], ["national"], ["regional"]],
             names: ["Daderhulp Regio Midden", "Reclassering", "Forensische Polikliniek"], involvement: 0.2, scaled: true, stage: 5, kind: "perpetrator-help"),
        // Informal help.
        Kind(key: "peer-group", categories: ["help.informal"], levels: [["local"], ["national"]],
             names: ["Lotgenotengroep Sterk Samen", "Landelijk Netwerk Ervaringsdeskundigen", "Praatgroep Vrouwen na Geweld",
                     "Ervaringsdeskundige Huiselijk Geweld", "Online Lotgenotenforum"],
             involvement: 0.3, scaled: true, stage: 4, kind: "peer-expert", professionals: ["peer-expert"]),
        // Coaching and alternative help.
        Kind(key: "coach", categories: ["help.alternative"], levels: [["local"], ["local"], ["national"]],
             names: ["Levenscoach Nieuw Begin", "Coachpraktijk Veerkracht", "Online Coaching Na Geweld", "Loopbaancoach Oost",
                     "Coach Zelfvertrouwen", "Mindfulnesscoach Centrum", "Relatiecoach Noord", "Vrijwilligerscoach Maatje"],
             involvement: 10.0 / 29, scaled: false, stage: 4, kind: "coaching", professionals: ["coach"]),
        Kind(key: "alternative", categories: ["help.alternative"], levels: [["local"], ["national"]],
             names: ["Haptotherapeut", "Praktijk voor Energetische Therapie", "Paardencoaching", "Yogastudio Traumasensitief",
                     "Vrijwilligersorganisatie Steunpunt", "Kerkelijk Pastoraat"],
             involvement: 0.08, scaled: true, stage: 5, kind: "coaching"),
    ])

    /// Every institution: id, name, kind, categories and levels.
    var institutions: [(id: String, name: String, kind: Kind, levels: [String])] {
        kinds.flatMap { kind in
            kind.names.enumerated().map { i, name in (kind.id(i), name, kind, kind.levels[i % kind.levels.count]) }
        }
    }
}
