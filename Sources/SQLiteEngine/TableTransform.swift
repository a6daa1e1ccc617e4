import SQLSyntax
import SchemaModel

/// The new definition of a table after ALTER TABLE actions that SQLite cannot do in
/// place, and how to fill it from the old table. Actions compose: each applies to the
/// result of the previous ones, and `copy` always reads the original table.
struct TableTransform {
    /// The table as it must be after the changes.
    var table: CreateTable
    /// For each column of the new table that takes data from the old one: the SQL
    /// expression over the original row.
    var copy: [(column: String, expression: String)]
    /// Lowercased names of original columns that no longer exist.
    var droppedColumns: Set<String> = []
    /// Indexes the changes add (CREATE INDEX folded into an online rebuild).
    var newIndexes: [CreateIndex] = []

    /// No change yet: the table as it is, copied column by column.
    init(identity table: CreateTable, dialect: SQLiteDialect) {
        self.table = table
        copy = table.columns.map { (column: $0.name, expression: dialect.quote($0.name)) }
    }

    /// `action` applied to `table` alone.
    static func apply(_ action: AlterTableAction, to table: CreateTable, dialect: SQLiteDialect) throws -> TableTransform {
        var transform = TableTransform(identity: table, dialect: dialect)
        try transform.apply(action, dialect: dialect)
        return transform
    }

    /// Applies one more action, following PostgreSQL's meaning of it.
    /// - Throws: `RebuildError` when the column or constraint does not exist.
    mutating func apply(_ action: AlterTableAction, dialect: SQLiteDialect) throws {
        var new = table
        let tableName = table.name.name

        /// The column the action edits: from now on rendered, not kept as written.
        func columnIndex(_ name: String) throws -> Int {
            guard let index = new.columns.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw RebuildError("column \"\(name)\" of table \"\(tableName)\" does not exist")
            }
            new.columns[index].source = nil
            return index
        }

        switch action {
        case .addColumn(let column, let ifNotExists):
            if new.columns.contains(where: { $0.name.lowercased() == column.name.lowercased() }) {
                if ifNotExists { return }
                throw RebuildError("column \"\(column.name)\" of table \"\(tableName)\" already exists")
            }
            var added = column
            added.source = nil
            new.columns.append(added)
        case .dropColumn(let name, _, _):
            let index = try columnIndex(name)
            guard new.columns.count > 1 else {
                throw RebuildError("cannot drop \"\(name)\", the only column of table \"\(tableName)\"")
            }
            let key = new.columns[index].name.lowercased()
            new.columns.remove(at: index)
            copy.removeAll { $0.column.lowercased() == key }
            new.constraints.removeAll { $0.columns.contains(key) }
            newIndexes.removeAll { $0.usedColumns.contains(key) }
            droppedColumns.insert(key)
        case .alterColumnType(let name, let type, let collation, let using):
            let index = try columnIndex(name)
            new.columns[index].type = type
            if let collation {
                new.columns[index].constraints.removeAll { if case .collate = $0.kind { true } else { false } }
                new.columns[index].constraints.append(ColumnConstraint(kind: .collate(collation)))
            }
            if let using, let slot = copy.firstIndex(where: { $0.column.lowercased() == name.lowercased() }) {
                copy[slot].expression = dialect.render(substitutingCopies(in: using, dialect: dialect))
            }
        case .setDefault(let name, let expression):
            let index = try columnIndex(name)
            new.columns[index].constraints.removeAll { if case .default = $0.kind { true } else { false } }
            new.columns[index].constraints.append(ColumnConstraint(kind: .default(expression)))
        case .dropDefault(let name):
            let index = try columnIndex(name)
            new.columns[index].constraints.removeAll { if case .default = $0.kind { true } else { false } }
        case .setNotNull(let name):
            let index = try columnIndex(name)
            if !new.columns[index].isNotNull {
                new.columns[index].constraints.removeAll { $0.kind == .null }
                new.columns[index].constraints.append(ColumnConstraint(kind: .notNull(onConflict: nil)))
            }
        case .dropNotNull(let name):
            let index = try columnIndex(name)
            new.columns[index].constraints.removeAll { if case .notNull = $0.kind { true } else { false } }
        case .addConstraint(let constraint):
            if let name = constraint.name, ConstraintNames.find(name, in: new) != nil {
                throw RebuildError("constraint \"\(name)\" of table \"\(tableName)\" already exists")
            }
            for column in constraint.columns where !new.columns.contains(where: { $0.name.lowercased() == column }) {
                throw RebuildError("column \"\(column)\" named in the constraint does not exist in table \"\(tableName)\"")
            }
            var added = constraint
            added.notValid = false
            added.source = nil
            new.constraints.append(added)
        case .dropConstraint(let name, let ifExists, _):
            switch ConstraintNames.find(name, in: new) {
            case .table(let index):
                new.constraints.remove(at: index)
            case .column(let column, let index):
                new.columns[column].constraints.remove(at: index)
                new.columns[column].source = nil
            case nil:
                if ifExists { break }
                throw RebuildError("constraint \"\(name)\" of table \"\(tableName)\" does not exist")
            }
        case .renameColumn, .renameTable, .validateConstraint:
            throw RebuildError("internal: \(action) does not need a table rebuild")
        }
        table = new
    }

    /// Adds an index to build on the new table.
    mutating func addIndex(_ index: CreateIndex) throws {
        for column in index.usedColumns where !table.columns.contains(where: { $0.name.lowercased() == column }) {
            throw RebuildError("column \"\(column)\" named in index \"\(index.name?.name ?? "")\" does not exist in table \"\(table.name.name)\"")
        }
        newIndexes.append(index)
    }

    /// `expression` (over the current columns) rewritten over the original columns.
    private func substitutingCopies(in expression: Expr, dialect: SQLiteDialect) -> Expr {
        var tokens: [Token] = []
        for token in expression.tokens {
            if let name = token.identifierValue,
               let mapped = copy.first(where: { $0.column.lowercased() == name.lowercased() }),
               mapped.expression != dialect.quote(mapped.column)
            {
                var replaced = token
                replaced.kind = .word
                replaced.text = "(" + mapped.expression + ")"
                tokens.append(replaced)
            } else {
                tokens.append(token)
            }
        }
        return Expr(tokens: tokens)
    }

}

extension CreateIndex {
    /// Lowercased identifiers the index's keys and predicate mention.
    var usedColumns: Set<String> {
        var used = predicate?.columnReferences ?? []
        for column in columns { used.formUnion(column.expression.columnReferences) }
        return used
    }
}

/// A failure of a table rebuild, already worded for the user.
struct RebuildError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension TableConstraint {
    /// Lowercased names of the columns the constraint involves.
    var columns: Set<String> {
        switch kind {
        case .primaryKey(let keys, _), .unique(let keys, _):
            return keys.reduce(into: []) { $0.formUnion($1.expression.columnReferences) }
        case .check(let expression):
            return expression.columnReferences
        case .foreignKey(let columns, _):
            return Set(columns.map { $0.lowercased() })
        }
    }
}

/// Finds constraints by name, including unnamed ones by the names PostgreSQL would give
/// them (`users_pkey`, `users_email_key`, `orders_user_id_fkey`, `orders_amount_check`),
/// so that the same `DROP CONSTRAINT` works on both engines.
enum ConstraintNames {
    enum Location: Equatable {
        case table(Int)
        case column(Int, Int)
    }

    static func find(_ name: String, in table: CreateTable) -> Location? {
        let wanted = name.lowercased()
        return names(in: table).first { $0.name.lowercased() == wanted }?.location
    }

    /// Every constraint with its name: its own, or PostgreSQL's (`DefaultConstraintName`),
    /// column constraints first, numbered as PostgreSQL numbers a name already taken.
    static func names(in table: CreateTable) -> [(name: String, location: Location)] {
        let t = table.name.name
        let columnNames = table.columns.map(\.name)
        func referenced(_ e: Expr) -> [String] {
            e.referencedColumnNames.compactMap { name in columnNames.first { $0.lowercased() == name.lowercased() } }
        }
        var taken = Set(table.constraints.compactMap { $0.name?.lowercased() })
        for column in table.columns { taken.formUnion(column.constraints.compactMap { $0.name?.lowercased() }) }
        func choose(_ explicit: String?, _ make: (Set<String>) -> String) -> String {
            if let explicit { return explicit }
            let chosen = make(taken)
            taken.insert(chosen.lowercased())
            return chosen
        }
        var found: [(name: String, location: Location)] = []
        for (c, column) in table.columns.enumerated() {
            for (i, constraint) in column.constraints.enumerated() {
                let name: String?
                switch constraint.kind {
                case .primaryKey: name = choose(constraint.name) { DefaultConstraintName.primaryKey(table: t, taken: $0) }
                case .unique: name = choose(constraint.name) { DefaultConstraintName.unique(table: t, columns: [column.name], taken: $0) }
                case .references: name = choose(constraint.name) { DefaultConstraintName.foreignKey(table: t, columns: [column.name], taken: $0) }
                case .check(let e): name = choose(constraint.name) { DefaultConstraintName.check(table: t, referencedColumns: referenced(e), taken: $0) }
                case .notNull: name = constraint.name ?? DefaultConstraintName.truncated("\(t)_\(column.name)_not_null")
                default: name = constraint.name
                }
                if let name { found.append((name, .column(c, i))) }
            }
        }
        for (i, constraint) in table.constraints.enumerated() {
            let name: String
            switch constraint.kind {
            case .primaryKey: name = choose(constraint.name) { DefaultConstraintName.primaryKey(table: t, taken: $0) }
            case .unique(let keys, _):
                name = choose(constraint.name) { DefaultConstraintName.unique(table: t, columns: keys.compactMap { $0.expression.columnName }, taken: $0) }
            case .foreignKey(let columns, _): name = choose(constraint.name) { DefaultConstraintName.foreignKey(table: t, columns: columns, taken: $0) }
            case .check(let e): name = choose(constraint.name) { DefaultConstraintName.check(table: t, referencedColumns: referenced(e), taken: $0) }
            }
            found.append((name, .table(i)))
        }
        return found
    }
}
