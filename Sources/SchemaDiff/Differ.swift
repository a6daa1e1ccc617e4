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
        let pairs = Self.pairs(resolvedCurrent.tables, resolvedDesired.tables)
        let paired = Set(pairs.values.map(\.name))
        for table in resolvedCurrent.tables where !paired.contains(table.name) {
            changes.append(.dropTable(table))
        }
        for table in resolvedDesired.tables {
            guard let existing = pairs[table.name] else {
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

    /// Desired table name -> the current table it is: the same spelling first, then the
    /// same name in another case when that is the only one on both sides (`USERS` is
    /// `users` on SQLite and unquoted; PostgreSQL's `"Users"` beside `users` is another table).
    static func pairs(_ current: [Table], _ desired: [Table]) -> [String: Table] {
        let currentNames = Set(current.map(\.name))
        var pairs: [String: Table] = [:]
        for table in desired where currentNames.contains(table.name) {
            pairs[table.name] = current.first { $0.name == table.name }
        }
        let taken = Set(pairs.keys)
        let looseCurrent = current.filter { !taken.contains($0.name) }
        let looseDesired = desired.filter { pairs[$0.name] == nil }
        let currentByFolded = Dictionary(grouping: looseCurrent) { $0.name.lowercased() }
        let desiredByFolded = Dictionary(grouping: looseDesired) { $0.name.lowercased() }
        for (key, tables) in desiredByFolded where tables.count == 1 {
            if let match = currentByFolded[key], match.count == 1 { pairs[tables[0].name] = match[0] }
        }
        return pairs
    }

    static func byName(_ schema: Schema) -> TableLookup {
        TableLookup(schema.tables)
    }

    /// Foreign keys that name no columns get the target's primary key columns, so that
    /// `REFERENCES users` and `REFERENCES users(id)` compare equal.
    static func resolvingReferences(_ schema: Schema) -> Schema {
        var resolved = schema
        let tables = byName(schema)
        for t in resolved.tables.indices {
            for f in resolved.tables[t].foreignKeys.indices where resolved.tables[t].foreignKeys[f].referencedColumns.isEmpty {
                let target = resolved.tables[t].foreignKeys[f].referencedTable
                if let key = tables[target]?.primaryKey {
                    resolved.tables[t].foreignKeys[f].referencedColumns = key.columns
                }
            }
        }
        return resolved
    }
}

/// Tables by name: the same spelling first (PostgreSQL keeps `"Users"` and `users`
/// apart), else ignoring case when only one table has that name in any case.
struct TableLookup {
    private var exact: [String: Table] = [:]
    private var folded: [String: Table?] = [:]

    init(_ tables: [Table]) {
        for table in tables {
            exact[table.name] = table
            let key = table.name.lowercased()
            folded[key] = folded[key] == nil ? table : .some(nil)
        }
    }

    subscript(name: String) -> Table? {
        exact[name] ?? folded[name.lowercased()] ?? nil
    }
}
