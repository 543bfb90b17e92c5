import ArgumentParser
import Foundation
import JourneyModel
import Projections

/// `journey agreement`
struct AgreementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract: "How well the coders agree: Krippendorff's alpha (nominal) per dimension over all coders, Cohen's kappa per pair.",
        discussion: """
            Units are the institutions with current codings from at least two coders; dimensions are chain, level class, kind \
            and each taxonomy category (contract 4.4). The 95% interval of alpha is a bootstrap over the units (seeded); it is \
            printed here and left out of the dump's agreement.csv, as it is not reproducible across implementations.
            """
    )

    @Option(help: ArgumentHelp("Bootstrap resamplings for alpha's 95% interval (0: none).", valueName: "N")) var bootstrap = 1000
    @Option(help: "Seed of the bootstrap.") var seed: UInt64 = 1
    @OptionGroup var options: ProjectionOptions

    func validate() throws {
        if bootstrap < 0 { throw ValidationError("--bootstrap must be 0 or more") }
    }

    struct Row: Encodable {
        let dimension: String
        let coders: String
        let units: Int
        let observedAgreement: Double?
        let alpha: Double?
        let alphaLow: Double?
        let alphaHigh: Double?
        let kappa: Double?
    }

    func run() throws {
        let state = try options.open()
        let directory = try state.view(upto: options.upto) { try $0.codings() }
        let rows = Agreement.rows(directory, bootstrap: bootstrap, seed: seed)
        if options.format == .json {
            try printJSON(rows.map { Row(dimension: $0.dimension, coders: $0.coders, units: $0.units, observedAgreement: $0.observedAgreement,
                                         alpha: $0.alpha, alphaLow: $0.alphaInterval?.low, alphaHigh: $0.alphaInterval?.high, kappa: $0.kappa) })
            return
        }
        guard !rows.isEmpty else {
            print("No institution has current codings from two coders: nothing to compare.")
            return
        }
        func number(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "-" }
        print("Agreement of the coders' current codings (\(directory.disputed.count) institutions disputed):")
        print("\n  \("dimension".padded(to: 40)) \("units".padded(to: 6)) \("observed".padded(to: 9)) alpha   95% interval")
        for row in rows where row.coders == "all" {
            let interval = row.alphaInterval.map { "\(number($0.low)) to \(number($0.high))" } ?? ""
            print("  \(row.dimension.padded(to: 40)) \(String(row.units).padded(to: 6)) \(number(row.observedAgreement).padded(to: 9)) \(number(row.alpha).padded(to: 7)) \(interval)")
        }
        print("\nCohen's kappa per pair of coders:")
        print("  \("dimension".padded(to: 40)) \("coders".padded(to: 24)) \("units".padded(to: 6)) \("observed".padded(to: 9)) kappa")
        for row in rows where row.coders != "all" {
            print("  \(row.dimension.padded(to: 40)) \(row.coders.padded(to: 24)) \(String(row.units).padded(to: 6)) \(number(row.observedAgreement).padded(to: 9)) \(number(row.kappa))")
        }
    }
}
