// swift-tools-version: 6.1
import PackageDescription

/// Strictness chosen once, for every target.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "JourneyStore",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "journey", targets: ["journey"]),
        .executable(name: "journey-bench", targets: ["journey-bench"]),
        .library(name: "JourneyStore", targets: ["JourneyStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // The C library, from Debian's liblmdb-dev.
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        // ReadStat, the C library behind R's haven and pyreadstat, from Debian's libreadstat-dev
        // (which ships no pkg-config file).
        .systemLibrary(name: "CReadStat", providers: [.apt(["libreadstat-dev"])]),
        // OpenSSL's libcrypto, from Debian's libssl-dev: opens sealed groups with one AES-GCM
        // context per key (swift-crypto sets up a new context, key schedule and all, per call).
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // glibc's <malloc.h> (part of libc6-dev, always there with the toolchain).
        .systemLibrary(name: "CMalloc"),
        // The only layer that touches C pointers.
        .target(name: "LMDB", dependencies: ["CLMDB"], swiftSettings: strict),
        // Events, JSON, validation, taxonomy: pure Swift, no storage.
        .target(
            name: "JourneyModel",
            resources: [.embedInCode("Resources/taxonomy.json")],
            swiftSettings: strict
        ),
        // The append-only event log on LMDB: import, export, verify.
        .target(
            name: "JourneyStore",
            dependencies: ["LMDB", "JourneyModel", "CLibCrypto", "CMalloc", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // The projection engine and the four projections of the contract, with their dumps.
        .target(name: "Projections", dependencies: ["JourneyStore", "JourneyModel"], swiftSettings: strict),
        // Dumps of the projections for downstream analyses.
        .target(
            name: "Dumps",
            dependencies: [
                "Projections", "JourneyStore", "JourneyModel", "CReadStat",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // The synthetic demo cohort, shaped like the study.
        .target(name: "Demo", dependencies: ["JourneyModel"], swiftSettings: strict),
        // The visual journey report: self-contained HTML with inline SVG.
        .target(name: "Report", dependencies: ["Projections", "JourneyStore", "JourneyModel"], swiftSettings: strict),
        // Import of the questionnaire app's exports (folder, .zip or .csv) through a mapping.
        .target(
            name: "ESMImport",
            dependencies: ["JourneyStore", "JourneyModel", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strict
        ),
        // Benchmarks, with SQLite (through GRDB) as the measured peer.
        .target(
            name: "JourneyBench",
            dependencies: ["JourneyStore", "JourneyModel", "LMDB", "Projections", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        // The command-line tool: parsing and printing only.
        .executableTarget(
            name: "journey",
            dependencies: [
                "JourneyStore", "JourneyModel", "Projections", "Dumps", "Demo", "Report", "ESMImport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // The benchmark harness (`journey bench` runs it), apart from the user's binary.
        .executableTarget(
            name: "journey-bench",
            dependencies: [
                "JourneyBench", "JourneyStore", "JourneyModel", "Projections", "LMDB", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "LMDBTests", dependencies: ["LMDB"], swiftSettings: strict),
        .testTarget(name: "JourneyModelTests", dependencies: ["JourneyModel"], swiftSettings: strict),
        .testTarget(
            name: "JourneyStoreTests",
            dependencies: ["JourneyStore", "JourneyModel", "LMDB", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .testTarget(name: "ProjectionTests", dependencies: [
                "Projections", "Dumps", "JourneyStore", "JourneyModel", "ESMImport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["JourneyModel"], exclude: ["Fixtures"], swiftSettings: strict),
    ]
)
