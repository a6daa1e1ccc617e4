import SQLSyntax
import SchemaModel

/// Compares two schemas and returns the typed changes that turn the current one into
/// the desired one (unordered beyond renames first; `Planner` orders them).
///
/// Tables and columns match by name, or through `renamed_from` when the old name exists
/// and the new one does not (a rename, never drop + add). Constraints match by content
/// (names are only needed to drop them); indexes match by name.
public struct Differ: Sendable {
    /// How two spellings are told equal.
    public let comparator: SchemaComparator

    /// A differ comparing through `comparator`.
    public init(comparator: SchemaComparator) {
        self.comparator = comparator
    }

    /// The changes that turn `current` into `desired`, unordered (the planner orders them).
    public func changes(from current: Schema, to desired: Schema) -> [SchemaChange] {
        var changes: [SchemaChange] = []
        // Renames first, applied to the current schema the way a migration would apply
        // them (references follow), so the rest compares under the new names.
        var renamed = SchemaInterpreter(current)
        func rename(_ table: String, _ action: AlterTableAction) {
            try? renamed.apply(.alterTable(AlterTable(table: QualifiedName(name: table), actions: [action])))
        }
        for table in desired.tables {
            guard let old = table.renamedFrom, renamed.schema.tableIndex(table.name) == nil,
                let existing = renamed.schema.table(old), desired.tableIndex(old) == nil
            else { continue }
            changes.append(.renameTable(from: existing.name, to: table.name))
            rename(existing.name, .renameTable(to: table.name))
        }
        for table in desired.tables where table.columns.contains(where: { $0.renamedFrom != nil }) {
            for column in table.columns {
                guard let old = column.renamedFrom, let existing = renamed.schema.table(table.name),
                    existing.columnIndex(column.name) == nil, let oldColumn = existing.column(old), table.columnIndex(old) == nil
                else { continue }
                changes.append(.renameColumn(table: table.name, from: oldColumn.name, to: column.name))
                rename(table.name, .renameColumn(from: oldColumn.name, to: column.name))
            }
        }
        let work = renamed.schema

        let resolvedCurrent = Self.resolvingReferences(work)
        let resolvedDesired = Self.resolvingReferences(desired)
        let currentByName = Self.byName(resolvedCurrent)
        let desiredByName = Self.byName(resolvedDesired)
        for table in resolvedCurrent.tables where desiredByName[table.name.lowercased()] == nil {
            changes.append(.dropTable(table))
        }
        for table in resolvedDesired.tables {
            guard let existing = currentByName[table.name.lowercased()] else {
                changes.append(.createTable(table))
                continue
            }
            changes += tableChanges(from: existing, to: table)
        }
        return changes
    }

    /// Changes inside one table that exists on both sides under the same name.
    func tableChanges(from current: Table, to desired: Table) -> [SchemaChange] {
        var changes: [SchemaChange] = []
        let name = desired.name
        for column in current.columns where desired.columnIndex(column.name) == nil {
            changes.append(.dropColumn(table: name, column))
        }
        for column in desired.columns {
            guard let old = current.column(column.name) else {
                changes.append(.addColumn(table: name, column))
                continue
            }
            let inKey = desired.isPrimaryKey(column.name) && current.isPrimaryKey(column.name)
            if !comparator.sameColumn(old, column, inPrimaryKey: inKey) {
                if !comparator.sameGenerated(old.generated, column.generated) {
                    changes.append(.dropColumn(table: name, old))
                    changes.append(.addColumn(table: name, column))
                } else {
                    var from = old
                    var to = column
                    from.renamedFrom = nil
                    to.renamedFrom = nil
                    if inKey { to.nullable = from.nullable }
                    // Spellings the engine treats as equal are not changes.
                    if comparator.sameType(from.type, to.type) { to.type = from.type }
                    if comparator.sameExpression(from.defaultValue, to.defaultValue) { to.defaultValue = from.defaultValue }
                    if from.collation?.lowercased() == to.collation?.lowercased() { to.collation = from.collation }
                    changes.append(.alterColumn(table: name, from: from, to: to))
                }
            }
        }

        if !samePrimaryKey(current.primaryKey, desired.primaryKey) {
            // The key as declared (named or not), so that its inverse declares it the same way;
            // the renderer drops it by its effective name.
            if let key = current.primaryKey { changes.append(.dropPrimaryKey(table: name, key)) }
            if let key = desired.primaryKey { changes.append(.addPrimaryKey(table: name, key)) }
        }

        let uniqueKey = { (u: UniqueConstraint) in u.columns.map { $0.lowercased() }.joined(separator: ",") }
        changes += matchByKey(
            current.uniques, desired.uniques, key: uniqueKey,
            drop: { .dropUnique(table: name, $0) },
            add: { .addUnique(table: name, $0) })
        let checkKey = { (c: Check) in comparator.expressionKey(c.expression) ?? "" }
        changes += matchByKey(
            current.checks, desired.checks, key: checkKey,
            drop: {
                var c = $0
                c.name = current.effectiveName(of: c)
                return .dropCheck(table: name, c)
            },
            add: { .addCheck(table: name, $0) })
        changes += matchByKey(
            current.foreignKeys, desired.foreignKeys, key: comparator.foreignKeyKey,
            drop: { .dropForeignKey(table: name, $0) },
            add: { .addForeignKey(table: name, $0) })

        for index in current.indexes {
            let wanted = desired.indexes.first { $0.name.lowercased() == index.name.lowercased() }
            if !(wanted.map { comparator.sameIndex(index, $0) } ?? false) {
                changes.append(.dropIndex(table: name, index))
            }
        }
        for index in desired.indexes {
            let existing = current.indexes.first { $0.name.lowercased() == index.name.lowercased() }
            if !(existing.map { comparator.sameIndex($0, index) } ?? false) {
                changes.append(.createIndex(table: name, index))
            }
        }
        return changes
    }

    func samePrimaryKey(_ a: PrimaryKey?, _ b: PrimaryKey?) -> Bool {
        a?.columns.map { $0.lowercased() } == b?.columns.map { $0.lowercased() }
            && (a?.autoincrement ?? false) == (b?.autoincrement ?? false)
    }

    /// Items whose key is on one side only: dropped or added. Duplicates count.
    private func matchByKey<T>(
        _ current: [T], _ desired: [T], key: (T) -> String, drop: (T) -> SchemaChange, add: (T) -> SchemaChange
    ) -> [SchemaChange] {
        var remaining = desired.map(key)
        var changes: [SchemaChange] = []
        for item in current {
            if let i = remaining.firstIndex(of: key(item)) {
                remaining.remove(at: i)
            } else {
                changes.append(drop(item))
            }
        }
        var unmatched = current.map(key)
        for item in desired {
            if let i = unmatched.firstIndex(of: key(item)) {
                unmatched.remove(at: i)
            } else {
                changes.append(add(item))
            }
        }
        return changes
    }

    static func byName(_ schema: Schema) -> [String: Table] {
        Dictionary(schema.tables.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Foreign keys that name no columns get the target's primary key columns, so that
    /// `REFERENCES users` and `REFERENCES users(id)` compare equal.
    static func resolvingReferences(_ schema: Schema) -> Schema {
        var resolved = schema
        let tables = byName(schema)
        for t in resolved.tables.indices {
            for f in resolved.tables[t].foreignKeys.indices where resolved.tables[t].foreignKeys[f].referencedColumns.isEmpty {
                let target = resolved.tables[t].foreignKeys[f].referencedTable
                if let key = tables[target.lowercased()]?.primaryKey {
                    resolved.tables[t].foreignKeys[f].referencedColumns = key.columns
                }
            }
        }
        return resolved
    }
}
