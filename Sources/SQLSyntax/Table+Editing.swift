import SchemaModel

/// Edits the interpreter and planner make to a table model.
extension Table {
    /// Where a named constraint is, by its name or, for unnamed ones, by the name
    /// PostgreSQL would give it (`users_pkey`, `users_email_key`, `orders_user_id_fkey`,
    /// `orders_amount_check`): the same convention the SQLite engine uses.
    public enum ConstraintLocation: Equatable {
        case primaryKey
        case unique(Int)
        case check(Int)
        case foreignKey(Int)
    }

    /// Where the constraint called `name` is, or nil.
    public func constraintLocation(_ name: String) -> ConstraintLocation? {
        let wanted = name.lowercased()
        if let key = primaryKey, key.effectiveName(table: self.name).lowercased() == wanted { return .primaryKey }
        if let u = uniques.firstIndex(where: { $0.effectiveName(table: self.name).lowercased() == wanted }) { return .unique(u) }
        if let c = checkNames.firstIndex(where: { $0.lowercased() == wanted }) { return .check(c) }
        if let f = foreignKeys.firstIndex(where: { $0.effectiveName(table: self.name).lowercased() == wanted }) { return .foreignKey(f) }
        return nil
    }

    /// A check's name, or PostgreSQL's for an unnamed one (`DefaultConstraintName.check`).
    public func effectiveName(of check: Check) -> String {
        if let i = checks.firstIndex(of: check) { return checkNames[i] }
        return check.name ?? DefaultConstraintName.check(table: name, referencedColumns: referencedColumns(of: check))
    }

    /// Every check's name, unnamed ones numbered as PostgreSQL numbers a name already taken.
    public var checkNames: [String] {
        var taken = Set(checks.compactMap { $0.name?.lowercased() })
        taken.formUnion(uniques.map { $0.effectiveName(table: name).lowercased() })
        taken.formUnion(foreignKeys.map { $0.effectiveName(table: name).lowercased() })
        if let primaryKey { taken.insert(primaryKey.effectiveName(table: name).lowercased()) }
        return checks.map { check in
            if let name = check.name { return name }
            let chosen = DefaultConstraintName.check(table: name, referencedColumns: referencedColumns(of: check), taken: taken)
            taken.insert(chosen.lowercased())
            return chosen
        }
    }

    /// The columns of this table that `check` reads, as the table spells them.
    func referencedColumns(of check: Check) -> [String] {
        Expr(sqlText: check.expression).referencedColumnNames.compactMap { columnIndex($0).map { columns[$0].name } }
    }

    /// Removes the constraint at `location`.
    public mutating func removeConstraint(at location: ConstraintLocation) {
        switch location {
        case .primaryKey: primaryKey = nil
        case .unique(let i): uniques.remove(at: i)
        case .check(let i): checks.remove(at: i)
        case .foreignKey(let i): foreignKeys.remove(at: i)
        }
    }

    /// Removes the keys, indexes, checks and foreign keys that use `column` (as
    /// PostgreSQL does when the column is dropped).
    public mutating func removeEverything(using column: String) {
        let key = column.lowercased()
        func uses(_ columns: [String]) -> Bool { columns.contains { $0.lowercased() == key } }
        func mentions(_ sql: String) -> Bool {
            Expr(sqlText: sql).tokens.contains { $0.identifierValue?.lowercased() == key }
        }
        if let primaryKey, uses(primaryKey.columns) { self.primaryKey = nil }
        uniques.removeAll { uses($0.columns) }
        checks.removeAll { mentions($0.expression) }
        foreignKeys.removeAll { uses($0.columns) }
        indexes.removeAll { index in
            index.keys.contains { mentions($0.expression) } || index.predicate.map(mentions) == true
        }
    }

    /// Renames a column everywhere this table mentions it.
    public mutating func renameColumn(_ from: String, to: String) {
        let key = from.lowercased()
        func rename(_ columns: [String]) -> [String] { columns.map { $0.lowercased() == key ? to : $0 } }
        if let c = columnIndex(from) { columns[c].name = to }
        if let key = primaryKey { primaryKey?.columns = rename(key.columns) }
        for u in uniques.indices { uniques[u].columns = rename(uniques[u].columns) }
        for c in checks.indices { checks[c].expression = Self.renaming(key, to: to, in: checks[c].expression) }
        for f in foreignKeys.indices {
            foreignKeys[f].columns = rename(foreignKeys[f].columns)
            if foreignKeys[f].referencedTable.lowercased() == name.lowercased() {
                foreignKeys[f].referencedColumns = rename(foreignKeys[f].referencedColumns)
            }
        }
        for i in indexes.indices {
            for k in indexes[i].keys.indices {
                if indexes[i].keys[k].column?.lowercased() == key {
                    indexes[i].keys[k].column = to
                    indexes[i].keys[k].expression = to
                } else {
                    indexes[i].keys[k].expression = Self.renaming(key, to: to, in: indexes[i].keys[k].expression)
                }
            }
            indexes[i].predicate = indexes[i].predicate.map { Self.renaming(key, to: to, in: $0) }
        }
    }

    /// Follows a column rename in another table this one references.
    public mutating func renameReferencedColumn(table: String, from: String, to: String) {
        for f in foreignKeys.indices where foreignKeys[f].referencedTable.lowercased() == table.lowercased() {
            foreignKeys[f].referencedColumns = foreignKeys[f].referencedColumns.map { $0.lowercased() == from.lowercased() ? to : $0 }
        }
    }

    /// `sql` with every identifier `key` (lowercased) replaced by `to`.
    static func renaming(_ key: String, to: String, in sql: String) -> String {
        let tokens = Expr(sqlText: sql).tokens.map { token -> Token in
            guard token.identifierValue?.lowercased() == key else { return token }
            var renamed = token
            renamed.kind = .quotedIdentifier
            renamed.text = SQLIdentifier.quote(to)
            if renamed.text == to { renamed.kind = .word }
            return renamed
        }
        return Expr.join(tokens)
    }
}

/// Which declarations of a `CREATE TABLE` a table model still has: how a SQLite rebuild
/// keeps exactly the constraints the interpreter kept.
extension Table {
    /// Whether the table has the key, unique constraint, check or foreign key `constraint` declares.
    public func has(_ constraint: TableConstraint) -> Bool {
        var declared = Table(name: name)
        declared.add(constraint)
        return contains(declaredIn: declared)
    }

    /// Whether the table has what the inline `constraint` of `column` declares; clauses
    /// that are not constraints in the model (NOT NULL, DEFAULT, COLLATE) always count.
    public func has(inline constraint: ColumnConstraint, on column: String) -> Bool {
        switch constraint.kind {
        case .primaryKey, .unique, .check, .references:
            var declared = Table(name: name)
            declared.addColumn(ColumnDef(name: column, type: nil, constraints: [constraint]))
            return contains(declaredIn: declared)
        default:
            return true
        }
    }

    private func contains(declaredIn declared: Table) -> Bool {
        if let key = declared.primaryKey { return primaryKey == key }
        if let unique = declared.uniques.first { return uniques.contains(unique) }
        if let check = declared.checks.first { return checks.contains(check) }
        if let key = declared.foreignKeys.first { return foreignKeys.contains(key) }
        return true
    }
}

extension Expr {
    /// For a constraint kept as its definition: the label and columns PostgreSQL names an
    /// unnamed one by (`EXCLUDE USING gist (room WITH =, ...)` -> `excl`, `[room]`).
    public var constraintNaming: (label: String, columns: [String]) {
        let label = tokens.first?.isWord("EXCLUDE") == true ? "excl" : tokens.first?.isWord("PRIMARY") == true ? "pkey" : "key"
        guard let open = tokens.firstIndex(where: { $0.isSymbol("(") }) else { return (label, []) }
        var columns: [String] = []
        var depth = 0
        var atElementStart = true
        for token in tokens[(open + 1)...] {
            if token.isSymbol("(") { depth += 1 }
            if token.isSymbol(")") {
                if depth == 0 { break }
                depth -= 1
            }
            if depth == 0, token.isSymbol(",") {
                atElementStart = true
                continue
            }
            if atElementStart, depth == 0, let name = token.identifierValue { columns.append(name) }
            atElementStart = false
        }
        return (label, columns)
    }
}

extension TableConstraint {
    /// Lowercased names of the columns the constraint involves.
    public var columns: Set<String> {
        switch kind {
        case .primaryKey(let keys, _), .unique(let keys, _):
            return keys.reduce(into: []) { $0.formUnion($1.expression.columnReferences) }
        case .check(let expression):
            return expression.columnReferences
        case .foreignKey(let columns, _):
            return Set(columns.map { $0.lowercased() })
        case .other(let definition):
            return definition.identifiers
        }
    }
}

extension Table {
    /// `constraint` (`PRIMARY KEY USING INDEX index` / `UNIQUE USING INDEX index`) with the
    /// columns of the unique index it takes over, which leaves the table's indexes (it
    /// becomes the constraint's, renamed to the constraint's name, as PostgreSQL does).
    /// - Throws: `InterpretError` when there is no such unique index.
    mutating func takingOver(index name: String, for constraint: TableConstraint) throws(InterpretError) -> TableConstraint {
        guard
            let position = indexes.firstIndex(where: { $0.name == name }) ?? indexes.firstIndex(where: { $0.name.lowercased() == name.lowercased() })
        else {
            throw InterpretError("index \"\(name)\" of table \"\(self.name)\" does not exist")
        }
        let index = indexes[position]
        guard index.unique, index.predicate == nil, index.keys.allSatisfy({ $0.column != nil }) else {
            throw InterpretError("index \"\(name)\" is not a unique index on plain columns, so no key can use it")
        }
        let columns = index.keys.map { key in
            IndexedColumn(
                expression: Expr(sqlText: SQLIdentifier.quote(key.column ?? key.expression)), collation: key.collation, descending: key.descending)
        }
        var resolved = constraint
        resolved.usingIndex = nil
        resolved.name = constraint.name ?? index.name
        switch constraint.kind {
        case .primaryKey: resolved.kind = .primaryKey(columns, onConflict: nil)
        default: resolved.kind = .unique(columns, onConflict: nil)
        }
        indexes.remove(at: position)
        return resolved
    }
}
