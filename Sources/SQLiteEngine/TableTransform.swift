import SQLSyntax
import SchemaModel

/// The new definition of a table after ALTER TABLE actions that SQLite cannot do in
/// place, and how to fill it from the old table. Actions compose: each applies to the
/// result of the previous ones, and `copy` always reads the original table.
///
/// What an action means is `SchemaInterpreter`'s (the one home of ALTER TABLE semantics,
/// the same the planner, `validate` and `check` use): the action is applied to the model
/// of the table, and the statement is reconciled with the result. A column or constraint
/// the model says is unchanged keeps its declaration exactly as written (its `source`); an
/// edited column changes only in the part that changed. What is left here is SQLite's own:
/// the copy expressions, and that a table keeps at least one column.
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

    /// Applies one more action, with `SchemaInterpreter`'s meaning of it.
    /// - Throws: `RebuildError` with the interpreter's message (no such column, a name
    ///   taken, a constraint on a column that does not exist).
    mutating func apply(_ action: AlterTableAction, dialect: SQLiteDialect) throws {
        let tableName = table.name.name
        switch action {
        case .renameColumn, .renameTable, .validateConstraint:
            throw RebuildError("internal: \(action) does not need a table rebuild")
        case .dropColumn(let name, _, _) where table.columns.count == 1 && table.columns[0].name.lowercased() == name.lowercased():
            throw RebuildError("cannot drop \"\(name)\", the only column of table \"\(tableName)\"")
        default:
            break
        }
        let before = Table(table)
        var interpreter = SchemaInterpreter(Schema(tables: [before]))
        do {
            try interpreter.apply(.alterTable(AlterTable(table: QualifiedName(name: before.name), actions: [action], concurrently: false)))
        } catch {
            throw RebuildError(error.message)
        }
        guard let after = interpreter.schema.tables.first else { throw RebuildError("internal: the table is gone") }
        table = Self.reconciled(table, before: before, after: after, action: action)

        // The copy expressions.
        switch action {
        case .dropColumn(let name, _, _) where before.columnIndex(name) != nil:
            let key = name.lowercased()
            copy.removeAll { $0.column.lowercased() == key }
            newIndexes.removeAll { $0.usedColumns.contains(key) }
            droppedColumns.insert(key)
        case .alterColumnType(let name, _, _, let using?):
            if let slot = copy.firstIndex(where: { $0.column.lowercased() == name.lowercased() }) {
                copy[slot].expression = dialect.render(substitutingCopies(in: using, dialect: dialect))
            }
        default:
            break
        }
    }

    /// `old` with what the model went from `before` to `after` by `action`: columns and
    /// constraints the model keeps stay as declared, edited columns change in the parts
    /// that changed, what `action` adds is added as written.
    static func reconciled(_ old: CreateTable, before: Table, after: Table, action: AlterTableAction) -> CreateTable {
        var new = old
        new.columns = after.columns.compactMap { column in
            guard let original = old.columns.first(where: { $0.name.lowercased() == column.name.lowercased() }),
                let was = before.column(column.name)
            else {
                guard case .addColumn(var added, _) = action else { return nil }
                added.source = nil
                return added
            }
            var definition = was == column ? original : edited(original, from: was, to: column)
            let kept = definition.constraints.filter { after.has(inline: $0, on: definition.name) }
            if kept.count != definition.constraints.count {
                definition.constraints = kept
                definition.source = nil
            }
            return definition
        }
        new.constraints = old.constraints.filter { after.has($0) }
        if case .addConstraint(var added) = action {
            added.notValid = false
            added.source = nil
            new.constraints.append(added)
        }
        return new
    }

    /// `definition` changed only where `to` differs from `from` (type, NOT NULL, default,
    /// collation), other clauses kept; rendered anew from now on.
    static func edited(_ definition: ColumnDef, from: Column, to: Column) -> ColumnDef {
        var edited = definition
        edited.source = nil
        if from.type != to.type { edited.type = to.type }
        if from.nullable != to.nullable {
            edited.constraints.removeAll {
                switch $0.kind {
                case .notNull, .null: true
                default: false
                }
            }
            if !to.nullable { edited.constraints.append(ColumnConstraint(kind: .notNull(onConflict: nil))) }
        }
        if from.defaultValue != to.defaultValue {
            edited.constraints.removeAll { if case .default = $0.kind { true } else { false } }
            if let value = to.defaultValue { edited.constraints.append(ColumnConstraint(kind: .default(Expr(sqlText: value)))) }
        }
        if from.collation != to.collation {
            edited.constraints.removeAll { if case .collate = $0.kind { true } else { false } }
            if let collation = to.collation { edited.constraints.append(ColumnConstraint(kind: .collate(collation))) }
        }
        return edited
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
