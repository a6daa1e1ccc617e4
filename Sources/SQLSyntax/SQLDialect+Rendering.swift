import SchemaModel

/// SQLStatement renderers shared by every dialect; each piece goes through the dialect's
/// `quote`, `render(type)` and `render(expression)`.
extension SQLDialect {
    /// `CREATE TABLE ...`.
    public func createTable(_ table: CreateTable) -> String {
        var parts = table.columns.map(columnDefinition)
        parts += table.constraints.map(tableConstraint)
        var sql = "CREATE " + (table.temporary ? "TEMPORARY " : "") + "TABLE "
        sql += (table.ifNotExists ? "IF NOT EXISTS " : "") + quote(table.name)
        sql += " (\n  " + parts.joined(separator: ",\n  ") + "\n)"
        if !table.options.isEmpty { sql += " " + table.options.joined(separator: ", ") }
        return sql
    }

    /// A column definition.
    public func columnDefinition(_ column: ColumnDef) -> String {
        var sql = quote(column.name)
        if let type = column.type { sql += " " + render(type) }
        for constraint in column.constraints {
            sql += " " + columnConstraint(constraint)
        }
        return sql
    }

    /// One clause of a column definition.
    public func columnConstraint(_ constraint: ColumnConstraint) -> String {
        var sql = constraint.name.map { "CONSTRAINT \(quote($0)) " } ?? ""
        switch constraint.kind {
        case .primaryKey(let descending, let conflict, let autoincrement):
            sql += "PRIMARY KEY" + (descending ? " DESC" : "") + onConflict(conflict) + (autoincrement ? " AUTOINCREMENT" : "")
        case .notNull(let conflict): sql += "NOT NULL" + onConflict(conflict)
        case .null: sql += "NULL"
        case .unique(let conflict): sql += "UNIQUE" + onConflict(conflict)
        case .check(let e): sql += "CHECK (\(render(e)))"
        case .default(let e): sql += "DEFAULT " + defaultExpression(e)
        case .collate(let name): sql += "COLLATE " + quote(name)
        case .references(let reference): sql += self.reference(reference)
        case .generated(let e, let stored): sql += "GENERATED ALWAYS AS (\(render(e)))" + (stored ? " STORED" : " VIRTUAL")
        case .identity(let always, let options):
            sql += IdentityColumn(always: always, options: options.map(\.sql)).sql
        }
        return sql
    }

    /// A DEFAULT value; anything but a literal or a parenthesized expression is wrapped in parentheses.
    public func defaultExpression(_ expression: Expr) -> String {
        let text = render(expression)
        let tokens = expression.tokens
        let isLiteral = tokens.count == 1 && [.string, .number].contains(tokens[0].kind)
        let isSignedNumber = tokens.count == 2 && (tokens[0].isSymbol("-") || tokens[0].isSymbol("+")) && tokens[1].kind == .number
        let isKeyword =
            tokens.count == 1 && tokens[0].kind == .word
            && ["NULL", "TRUE", "FALSE", "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME"].contains(tokens[0].text.uppercased())
        if isLiteral || isSignedNumber || isKeyword || (text.hasPrefix("(") && text.hasSuffix(")") && Self.isOneGroup(tokens)) {
            return text
        }
        return "(" + text + ")"
    }

    /// Whether `tokens` are one parenthesized group: `(a + b)` but not `(a) + (b)`.
    public static func isOneGroup(_ tokens: [Token]) -> Bool {
        var depth = 0
        for (i, token) in tokens.enumerated() {
            if token.isSymbol("(") { depth += 1 }
            if token.isSymbol(")") { depth -= 1 }
            if depth == 0 && i < tokens.count - 1 { return false }
        }
        return true
    }

    /// A table constraint.
    public func tableConstraint(_ constraint: TableConstraint) -> String {
        var sql = constraint.name.map { "CONSTRAINT \(quote($0)) " } ?? ""
        if let index = constraint.usingIndex {
            if case .primaryKey = constraint.kind { return sql + "PRIMARY KEY USING INDEX " + quote(index) }
            return sql + "UNIQUE USING INDEX " + quote(index)
        }
        switch constraint.kind {
        case .primaryKey(let columns, let conflict):
            sql += "PRIMARY KEY (" + indexedColumns(columns) + ")" + onConflict(conflict)
        case .unique(let columns, let conflict):
            sql += "UNIQUE (" + indexedColumns(columns) + ")" + onConflict(conflict)
        case .check(let e):
            sql += "CHECK (\(render(e)))"
        case .foreignKey(let columns, let reference):
            sql += "FOREIGN KEY (" + columns.map { quote($0) }.joined(separator: ", ") + ") " + self.reference(reference)
        case .other(let definition):
            sql += definition.sql
        }
        return sql
    }

    /// A `REFERENCES` clause.
    public func reference(_ reference: ForeignKeyReference) -> String {
        var sql = "REFERENCES " + quote(reference.table)
        if !reference.columns.isEmpty {
            sql += " (" + reference.columns.map { quote($0) }.joined(separator: ", ") + ")"
        }
        if let match = reference.match { sql += " MATCH " + match }
        if let action = reference.onDelete { sql += " ON DELETE " + action.rawValue }
        if let action = reference.onUpdate { sql += " ON UPDATE " + action.rawValue }
        if let deferrable = reference.deferrable { sql += " " + deferrable }
        return sql
    }

    /// The keys of an index or constraint.
    public func indexedColumns(_ columns: [IndexedColumn]) -> String {
        columns.map { column in
            var sql = column.expression.columnName.map { quote($0) } ?? render(column.expression)
            if let collation = column.collation { sql += " COLLATE " + quote(collation) }
            if column.descending { sql += " DESC" }
            if let nulls = column.nulls { sql += " NULLS " + nulls }
            return sql
        }.joined(separator: ", ")
    }

    /// `CREATE INDEX ...`.
    public func createIndex(_ index: CreateIndex) -> String {
        var sql = "CREATE " + (index.unique ? "UNIQUE " : "") + "INDEX "
        if index.concurrently && supportsConcurrently { sql += "CONCURRENTLY " }
        if index.ifNotExists { sql += "IF NOT EXISTS " }
        if let name = index.name { sql += quote(name) + " " }
        sql += "ON " + quote(index.table)
        if let method = index.method { sql += " USING " + method }
        sql += " (" + indexedColumns(index.columns) + ")"
        if !index.include.isEmpty { sql += " INCLUDE (" + index.include.map { quote($0) }.joined(separator: ", ") + ")" }
        if let options = index.options { sql += " " + options.sql }
        if let predicate = index.predicate { sql += " WHERE " + render(predicate) }
        return sql
    }

    /// `DROP INDEX ...`.
    public func dropIndex(_ drop: DropIndex) -> String {
        "DROP INDEX " + (drop.concurrently && supportsConcurrently ? "CONCURRENTLY " : "") + (drop.ifExists ? "IF EXISTS " : "")
            + drop.names.map { quote($0) }.joined(separator: ", ")
    }

    /// `DROP TABLE ...`.
    public func dropTable(_ name: QualifiedName, ifExists: Bool) -> String {
        "DROP TABLE " + (ifExists ? "IF EXISTS " : "") + quote(name)
    }

    /// `ALTER TABLE ... RENAME TO ...`.
    public func renameTable(_ name: QualifiedName, to newName: String) -> String {
        "ALTER TABLE \(quote(name)) RENAME TO \(quote(newName))"
    }

    /// `ALTER TABLE ... RENAME COLUMN ...`.
    public func renameColumn(_ table: QualifiedName, from: String, to: String) -> String {
        "ALTER TABLE \(quote(table)) RENAME COLUMN \(quote(from)) TO \(quote(to))"
    }

    /// `ALTER TABLE ... ADD COLUMN ...`.
    public func addColumn(_ table: QualifiedName, _ column: ColumnDef) -> String {
        "ALTER TABLE \(quote(table)) ADD COLUMN \(columnDefinition(column))"
    }

    /// `ALTER TABLE ... DROP COLUMN ...`.
    public func dropColumn(_ table: QualifiedName, _ column: String) -> String {
        "ALTER TABLE \(quote(table)) DROP COLUMN \(quote(column))"
    }

    /// `ALTER TABLE t action[, action ...] [CONCURRENTLY]`; several actions go one per line.
    public func alterTable(_ alter: AlterTable) -> String {
        let actions = alter.actions.map(alterAction)
        var sql = "ALTER TABLE " + quote(alter.table)
        if actions.count == 1 {
            sql += " " + actions[0]
            if alter.concurrently && supportsConcurrently { sql += " CONCURRENTLY" }
        } else {
            sql += "\n  " + actions.joined(separator: ",\n  ")
            if alter.concurrently && supportsConcurrently { sql += "\n  CONCURRENTLY" }
        }
        return sql
    }

    /// One ALTER TABLE action.
    public func alterAction(_ action: AlterTableAction) -> String {
        switch action {
        case .addColumn(let column, let ifNotExists):
            return "ADD COLUMN " + (ifNotExists ? "IF NOT EXISTS " : "") + columnDefinition(column)
        case .dropColumn(let name, let ifExists, let cascade):
            return "DROP COLUMN " + (ifExists ? "IF EXISTS " : "") + quote(name) + (cascade ? " CASCADE" : "")
        case .renameColumn(let from, let to):
            return "RENAME COLUMN \(quote(from)) TO \(quote(to))"
        case .renameTable(let to):
            return "RENAME TO " + quote(to)
        case .alterColumnType(let column, let type, let collation, let using):
            var sql = "ALTER COLUMN \(quote(column)) TYPE " + render(type)
            if let collation { sql += " COLLATE " + quote(collation) }
            if let using { sql += " USING " + render(using) }
            return sql
        case .setDefault(let column, let expression):
            return "ALTER COLUMN \(quote(column)) SET DEFAULT " + defaultExpression(expression)
        case .dropDefault(let column):
            return "ALTER COLUMN \(quote(column)) DROP DEFAULT"
        case .setNotNull(let column):
            return "ALTER COLUMN \(quote(column)) SET NOT NULL"
        case .dropNotNull(let column):
            return "ALTER COLUMN \(quote(column)) DROP NOT NULL"
        case .addConstraint(let constraint):
            return "ADD " + tableConstraint(constraint) + (constraint.notValid ? " NOT VALID" : "")
        case .dropConstraint(let name, let ifExists, let cascade):
            return "DROP CONSTRAINT " + (ifExists ? "IF EXISTS " : "") + quote(name) + (cascade ? " CASCADE" : "")
        case .validateConstraint(let name):
            return "VALIDATE CONSTRAINT " + quote(name)
        }
    }

    private func onConflict(_ conflict: String?) -> String {
        conflict.map { " ON CONFLICT \($0)" } ?? ""
    }
}
