import SQLSyntax
import SchemaDiff
import SchemaModel
import SchemaYAML

/// A schema as text for `migrate inspect`: desired-state YAML, SQL, or a JSON document.
public enum SchemaText {
    /// Desired-state YAML that loads back into the same schema.
    public static func yaml(_ schema: Schema) -> String {
        SchemaYAMLWriter.yaml(schema)
    }

    /// The statements that build the schema from nothing, in the order the planner runs
    /// them (types and functions, tables and their indexes, views, triggers, comments),
    /// in the migration-file dialect; other objects as the database holds them.
    public static func sql(_ schema: Schema, engine: any EngineCapabilities) -> String {
        let planner = Planner(comparator: SchemaComparator(dialect: MigrationFileDialect()), engine: engine)
        let statements = planner.plan(from: Schema(), to: schema).steps.flatMap(\.up)
        return statements.map { $0 + ";\n" }.joined(separator: "\n")
    }

    /// The schema as plain values for JSON output.
    public static func json(_ schema: Schema) -> SchemaDocument {
        SchemaDocument(schema)
    }
}

/// `migrate inspect --format json`.
public struct SchemaDocument: Encodable, Sendable {
    struct TableDocument: Encodable {
        var name: String
        var columns: [ColumnDocument]
        var primaryKey: [String]?
        var unique: [[String]]
        var indexes: [IndexDocument]
        var foreignKeys: [ForeignKeyDocument]
        var checks: [String]
    }

    struct ColumnDocument: Encodable {
        var name: String
        var type: String?
        var nullable: Bool
        var `default`: String?
    }

    struct IndexDocument: Encodable {
        var name: String
        var unique: Bool
        var keys: [String]
        var `where`: String?
    }

    struct ForeignKeyDocument: Encodable {
        var name: String
        var columns: [String]
        var references: String
        var referencedColumns: [String]
        var onDelete: String?
        var onUpdate: String?
    }

    struct ObjectDocument: Encodable {
        var kind: String
        var name: String
        var table: String?
        var sql: String
    }

    var tables: [TableDocument]
    var views: [String]
    var triggers: [String]
    /// Every object other than a table, each with the statements that create it.
    var objects: [ObjectDocument]

    init(_ schema: Schema) {
        tables = schema.sortedTables.map { table in
            TableDocument(
                name: table.name,
                columns: table.columns.map {
                    ColumnDocument(name: $0.name, type: $0.type?.description, nullable: $0.nullable, default: $0.defaultValue)
                },
                primaryKey: table.primaryKey?.columns,
                unique: table.uniques.map(\.columns),
                indexes: table.indexes.map { index in
                    IndexDocument(name: index.name, unique: index.unique, keys: index.keys.map(\.expression), where: index.predicate)
                },
                foreignKeys: table.foreignKeys.map { key in
                    ForeignKeyDocument(
                        name: key.effectiveName(table: table.name), columns: key.columns, references: key.referencedTable,
                        referencedColumns: key.referencedColumns, onDelete: key.onDelete?.rawValue, onUpdate: key.onUpdate?.rawValue)
                },
                checks: table.checks.map(\.expression))
        }
        views = schema.objects.filter { $0.kind == .view }.map(\.name)
        triggers = schema.objects.filter { $0.kind == .trigger }.map(\.name)
        objects = schema.objects.map { ObjectDocument(kind: $0.kind.rawValue, name: $0.qualifiedName, table: $0.table, sql: $0.sql) }
    }
}
