import SQLSyntax
import SchemaModel

/// `index-not-concurrent`: CREATE or DROP INDEX on an existing table without
/// `CONCURRENTLY` blocks writes while it runs.
struct IndexNotConcurrentRule: LintRule {
    func check(_ context: LintContext) -> [LintFinding] {
        switch context.statement.statement {
        case .createIndex(let index) where !index.concurrently && context.existing(index.table.name) != nil:
            return [
                context.warning(
                    "index-not-concurrent", "CREATE INDEX on existing table \(index.table.name) without CONCURRENTLY",
                    fix: "write CREATE INDEX CONCURRENTLY so that writes go on while it builds")
            ]
        case .dropIndex(let drop) where !drop.concurrently:
            return drop.names.compactMap { name in
                guard let (t, _) = context.index(name.name), context.existing(context.schema.tables[t].name) != nil else { return nil }
                return context.warning("index-not-concurrent", "DROP INDEX \(name.name) without CONCURRENTLY", fix: "write DROP INDEX CONCURRENTLY")
            }
        default:
            return []
        }
    }
}

/// `drop-index-used-by-foreign-key`: dropping the unique index a foreign key refers through.
struct DropIndexUsedByForeignKeyRule: LintRule {
    func check(_ context: LintContext) -> [LintFinding] {
        guard case .dropIndex(let drop) = context.statement.statement else { return [] }
        let schema = context.schema
        return drop.names.compactMap { name in
            guard let (t, i) = context.index(name.name) else { return nil }
            let table = schema.tables[t]
            let index = table.indexes[i]
            guard index.unique, let user = foreignKey(using: index, of: table, in: schema) else { return nil }
            return context.warning(
                "drop-index-used-by-foreign-key", "index \(name.name) is the unique key foreign key \(user) relies on",
                fix: "drop or change that foreign key first (on SQLite every write to the child table would fail with 'foreign key mismatch')")
        }
    }

    /// A foreign key (in any table) whose referenced columns are exactly the index's.
    private func foreignKey(using index: TableIndex, of table: Table, in schema: Schema) -> String? {
        let columns = index.keys.compactMap { $0.column?.lowercased() }
        guard columns.count == index.keys.count else { return nil }
        for other in schema.tables {
            for key in other.foreignKeys where key.referencedTable.lowercased() == table.name.lowercased() {
                let referenced = key.referencedColumns.isEmpty ? table.primaryKey?.columns ?? [] : key.referencedColumns
                if referenced.map({ $0.lowercased() }) == columns {
                    return "\(other.name).\(key.effectiveName(table: other.name))"
                }
            }
        }
        return nil
    }
}
