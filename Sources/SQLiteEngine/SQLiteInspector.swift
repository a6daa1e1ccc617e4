import GRDB
import MigrationEngine
import SQLSyntax
import SchemaModel

/// Reads the live SQLite catalog into the schema model by replaying the `CREATE`
/// statements SQLite keeps in `sqlite_schema` (it stores them as written), so that
/// declared types, defaults, CHECKs, keys, AUTOINCREMENT, partial/expression/DESC
/// indexes and foreign key actions come back exactly. The migrator's own tables are
/// left out.
enum SQLiteInspector {
    static func schema(_ db: Database) throws -> Schema {
        var interpreter = SchemaInterpreter()
        for object in try SQLiteCatalog.userObjects(db) where !isInternal(object) {
            do {
                let statements = try Parser.parse(object.sql)
                for statement in statements {
                    try interpreter.apply(statement.statement)
                }
            } catch {
                throw EngineError.database("cannot read the definition of \(object.type) \(object.name) from sqlite_schema: \(error)")
            }
        }
        return interpreter.schema
    }

    static func isInternal(_ object: SQLiteCatalog.SchemaObject) -> Bool {
        let name = object.name.lowercased()
        let table = object.tableName.lowercased()
        return name.hasPrefix("_migrate_") || table.hasPrefix("_migrate_") || name.hasPrefix("sqlite_")
            || table == SQLiteHistory.table || table == OnlineState.table
    }
}
