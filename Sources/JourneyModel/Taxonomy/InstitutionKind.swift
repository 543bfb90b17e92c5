/// The kind of an organisation (contract 4.2): what an analyst groups institutions by (GGZ, GP,
/// family lawyer, ...). Its labels are `Schemas/taxonomy.json`'s `kinds` (a test holds the two
/// lists together).
public enum InstitutionKind: String, NamedCases {
    public static let caseNames = CaseNameTable(allCases) { $0.rawValue }

    case police, publicProsecution = "public-prosecution", criminalCourt = "criminal-court", familyCourt = "family-court"
    case lawyerFamily = "lawyer-family", lawyerVictim = "lawyer-victim", lawyerOther = "lawyer-other", legalAid = "legal-aid"
    case childProtectionBoard = "child-protection-board", youthProtection = "youth-protection", veiligThuis = "veilig-thuis"
    case victimSupport = "victim-support", gp, hospital, mentalHealth = "mental-health", socialWork = "social-work"
    case youthFamilyCare = "youth-family-care", school, shelter, municipality, neighbourhoodTeam = "neighbourhood-team"
    case perpetratorHelp = "perpetrator-help", coaching, peerExpert = "peer-expert", faith, other
}
