/// A professional group of the study's Table 2 (contract 4.3): who the participant dealt with,
/// named or not with an organisation. Its chain and labels are `Schemas/taxonomy.json`'s
/// `professionals` (a test holds the two lists together).
public enum ProfessionalGroup: String, NamedCases {
    public static let caseNames = CaseNameTable(allCases) { $0.rawValue }

    case lawyer, lawyerMediator = "lawyer-mediator", specialCurator = "special-curator", assistantProsecutor = "assistant-prosecutor"
    case notary, prosecutor, appealJudge = "appeal-judge", judge, examiningJudge = "examining-judge"
    case victimCoordinator = "victim-coordinator"
    case policeOfficer = "police-officer"
    case ambulatorySupport = "ambulatory-support", hospitalDoctor = "hospital-doctor", mediator, neighbourhoodCoach = "neighbourhood-coach"
    case peerExpert = "peer-expert", gp, familyGuardian = "family-guardian", childrensOmbudsman = "childrens-ombudsman"
    case childProtectionDoctor = "child-protection-doctor", coach, socialWorker = "social-worker", orthopedagogue, ombudsman
    case parentingSupport = "parenting-support", pastor, practiceNurse = "practice-nurse", psychiatrist, psychologist, psychotherapist
    case relationshipTherapist = "relationship-therapist", rehabilitationDoctor = "rehabilitation-doctor", schoolDoctor = "school-doctor"
    case playTherapist = "play-therapist", systemicTherapist = "systemic-therapist", traumaTherapist = "trauma-therapist"
    case homeHelp = "home-help", careDirector = "care-director"

    /// `legal`, `help` or `both` (contract 4.3).
    public var chain: String { Taxonomy.shared.professionals[Self.allCases.firstIndex(of: self)!].chain }
}

/// On whose behalf a contact or referral was (contract 4.1); absent means the participant.
public enum ForWhom: String, NamedCases {
    public static let caseNames = CaseNameTable(allCases) { $0.rawValue }

    case participant, child, partner, family
}
