// swift-tools-version:6.1
import Foundation
import PackageDescription

let package = Package(
    name: "migrate",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "migrate", targets: ["migrate"]),
        .library(name: "MigrationKit", targets: ["MigrationKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.9.0"..<"5.0.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.5.0"),
        // Imported by PostgresEngine directly (PostgresNIO builds on them).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.25.0"),
    ],
    targets: [
        // Pure values; depends on nothing.
        .target(name: "SchemaModel"),
        // Lexer, splitter, parser, statement AST, dialect renderers.
        .target(name: "SQLSyntax", dependencies: ["SchemaModel"]),
        // Differ and planner: model x model -> ordered, reversible steps.
        .target(name: "SchemaDiff", dependencies: ["SQLSyntax", "SchemaModel"]),
        // Desired-state YAML and SQL schema files into the model.
        .target(name: "SchemaYAML", dependencies: ["SQLSyntax", "SchemaModel", .product(name: "Yams", package: "Yams")]),
        // The engine protocols the executor talks to.
        .target(name: "MigrationEngine", dependencies: ["SQLSyntax", "SchemaModel", "SchemaDiff"]),
        // SQLite through GRDB (system SQLite).
        .target(
            name: "SQLiteEngine",
            dependencies: ["MigrationEngine", "SQLSyntax", "SchemaDiff", "SchemaModel", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // PostgreSQL through PostgresNIO.
        .target(
            name: "PostgresEngine",
            dependencies: [
                "MigrationEngine", "SQLSyntax", "SchemaDiff", "SchemaModel",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The executor library: directory, validation, up/down/status, history decisions.
        .target(
            name: "MigrationKit",
            dependencies: [
                "MigrationEngine", "SQLiteEngine", "PostgresEngine", "SQLSyntax", "SchemaDiff", "SchemaYAML", "SchemaModel",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The thin command line.
        .executableTarget(
            name: "migrate",
            dependencies: [
                "MigrationKit", "MigrationEngine", "SchemaDiff", "SchemaModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // A compiled example of the library API (examples/programmatic).
        .executableTarget(
            name: "ProgrammaticExample",
            dependencies: ["MigrationKit"],
            path: "examples/programmatic/Sources"
        ),
        // Benchmarks, run on demand (docs/benchmarks.md).
        .executableTarget(
            name: "OnlineRebuildBenchmark",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
            path: "Benchmarks/OnlineRebuild"
        ),
        .executableTarget(
            name: "PostgresOnlineBenchmark",
            dependencies: [.product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/PostgresOnline"
        ),
        .executableTarget(name: "RunnerBenchmark", path: "Benchmarks/Runner"),
        .executableTarget(name: "CatalogBenchmark", path: "Benchmarks/Catalog"),
        .executableTarget(
            name: "PlannerBenchmark",
            dependencies: ["MigrationKit", "SQLiteEngine", "SchemaYAML", "SchemaDiff", "SchemaModel"],
            path: "Benchmarks/Planner"
        ),
        .testTarget(name: "SQLSyntaxTests", dependencies: ["SQLSyntax", "SchemaModel"]),
        .testTarget(
            name: "SQLiteEngineTests",
            dependencies: [
                "SQLiteEngine", "MigrationEngine", "SQLSyntax", "SchemaDiff", "SchemaModel", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "MigrationKitTests",
            dependencies: ["MigrationKit", "MigrationEngine", "SQLSyntax", "SQLiteEngine", "PostgresEngine", "SchemaDiff", "SchemaModel"]),
        .testTarget(name: "SchemaDiffTests", dependencies: ["SchemaDiff", "SchemaModel", "SQLSyntax"]),
        .testTarget(name: "SchemaYAMLTests", dependencies: ["SchemaYAML", "SchemaModel"]),
        .testTarget(
            name: "DeclarativeTests",
            dependencies: ["MigrationKit", "MigrationEngine", "SchemaDiff", "SchemaModel", .product(name: "Yams", package: "Yams")],
            exclude: ["Cases"]),
        .testTarget(
            name: "PostgresEngineTests", dependencies: ["PostgresEngine", "MigrationEngine", "SQLSyntax", "SchemaDiff", "SchemaModel"],
            exclude: ["Strategies.golden"]
        ),
        .testTarget(name: "CLITests", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
    ]
)

// libFuzzer targets (scripts/fuzz): only declared when FUZZ_TARGETS is set, because they
// have no main of their own (libFuzzer provides it) and build with -sanitize=fuzzer.
if ProcessInfo.processInfo.environment["FUZZ_TARGETS"] != nil {
    package.targets += [
        .target(name: "FuzzDriver", path: "Fuzz/Driver"),
        .executableTarget(name: "FuzzSQL", dependencies: ["SQLSyntax", "FuzzDriver"], path: "Fuzz/SQL"),
        .executableTarget(name: "FuzzSchemaYAML", dependencies: ["SchemaYAML", "FuzzDriver"], path: "Fuzz/SchemaYAML"),
    ]
    package.products += [
        .executable(name: "FuzzSQL", targets: ["FuzzSQL"]),
        .executable(name: "FuzzSchemaYAML", targets: ["FuzzSchemaYAML"]),
    ]
}
