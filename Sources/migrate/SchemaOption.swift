import ArgumentParser
import MigrationKit

/// `--schema`: where the desired state is (plan, check).
struct SchemaOption: ParsableArguments {
    @Option(name: .long, help: "Desired-state files: a folder of *.yaml/*.yml/*.sql or one file (default: schema, or 'schema:' in migrate.yaml).")
    var schema: String?

    func apply(to configuration: inout MigrationConfiguration) {
        if let schema {
            configuration.schemaPath = schema
            configuration.schemaPathIsExplicit = true
        }
    }
}
