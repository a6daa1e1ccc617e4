import ArgumentParser
import MigrationKit

/// `--schema`: where the desired state is, and `--dev-url`: where it is loaded to be
/// compared (plan, check).
struct SchemaOption: ParsableArguments {
    @Option(name: .long, help: "Desired-state files: a folder of *.yaml/*.yml/*.sql or one file (default: schema, or 'schema:' in migrate.yaml).")
    var schema: String?

    @Option(
        name: .customLong("dev-url"),
        help:
            "An empty database of the same engine to load the desired state into, so it is compared as the engine stores it (default: a temporary one; SQLite: in memory)."
    )
    var devURL: String?

    func apply(to configuration: inout MigrationConfiguration) throws {
        if let devURL {
            do {
                configuration.devDatabase = try DatabaseURL(parsing: devURL)
            } catch {
                throw ValidationError("--dev-url: \(error)")
            }
        }
        if let schema {
            configuration.schemaPath = schema
            configuration.schemaPathIsExplicit = true
        }
    }
}
