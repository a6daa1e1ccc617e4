import SQLSyntax
import SchemaModel

/// Renders one change as migration-file SQL, with its comment and safety class.
struct StepRenderer {
    let dialect = MigrationFileDialect()
    let engine: any EngineCapabilities
    /// Tables created by the same migration: their changes never use `CONCURRENTLY`.
    let newTables: Set<String>
    /// The tables of the desired schema, for the columns a recreated type moves over.
    var tables: [Table] = []

    func statements(_ change: SchemaChange) -> [String] {
        let online = !newTables.contains(change.table.lowercased())
        switch change {
        case .createTable(let table):
            return [dialect.createTable(table.createStatement())]
                + table.indexes.map { dialect.createIndex($0.createStatement(table: table.name)) }
        case .dropTable(let table):
            return [dialect.dropTable(QualifiedName(name: table.name), ifExists: false)]
        case .renameTable(let from, let to):
            return [dialect.renameTable(QualifiedName(name: from), to: to)]
        case .renameColumn(let table, let from, let to):
            return [dialect.renameColumn(QualifiedName(name: table), from: from, to: to)]
        case .createIndex(let table, let index):
            return [dialect.createIndex(index.createStatement(table: table, concurrently: online))]
        case .dropIndex(_, let index):
            return [dialect.dropIndex(DropIndex(names: [QualifiedName(name: index.name)], concurrently: online))]
        case .createObject(let object):
            return object.statements
        case .dropObject(let object):
            return ObjectSQL.dropStatements(object, triggerNamesTable: engine.triggerDropNamesTable)
        case .changeObject(let from, let to):
            if let statements = ObjectSQL.inPlace(from: from, to: to) { return statements }
            if ObjectSQL.changesAsOneStep(to.kind) { return ObjectSQL.swap(from: from, to: to, users: users(of: to)) }
            return ObjectSQL.dropStatements(from, triggerNamesTable: engine.triggerDropNamesTable) + to.statements
        case .alterColumn(let table, let from, let to) where from.identity != to.identity:
            var rest = to
            rest.identity = from.identity
            var statements = Self.identityStatements(table: table, column: to.name, from: from.identity, to: to.identity)
            let actions = alterActions(.alterColumn(table: table, from: from, to: rest))
            if !actions.isEmpty { statements.insert(contentsOf: alter(table, actions, online, from: from), at: to.identity == nil ? 1 : 0) }
            return statements
        case .alterColumn(let table, let from, _):
            return alter(table, alterActions(change), online, from: from)
        default:
            return alter(change.table, alterActions(change), online, from: nil)
        }
    }

    /// The ALTER TABLE statements of `actions`: one statement with the seed's
    /// `CONCURRENTLY` suffix, or, where the engine writes its own online forms, each
    /// action in the form the engine runs it (`onlineForm`), on new tables too (the
    /// engine cannot tell them apart).
    private func alter(_ table: String, _ actions: [AlterTableAction], _ online: Bool, from column: Column?) -> [String] {
        guard engine.writesOnlineForms else { return [alter(table, actions, online)] }
        return actions.flatMap { onlineForm($0, table: table, from: column, online: online) }
    }

    /// `action` as the engine runs it without blocking, spelled out. Only a type change
    /// that rewrites an existing table keeps the `CONCURRENTLY` suffix: there is no SQL
    /// for an expand/contract.
    private func onlineForm(_ action: AlterTableAction, table: String, from column: Column?, online: Bool) -> [String] {
        let name = QualifiedName(name: table)
        func plain(_ action: AlterTableAction) -> String { dialect.alterTable(AlterTable(table: name, actions: [action])) }
        switch action {
        case .setNotNull(let columnName):
            let check = DefaultConstraintName.truncated("\(table)_\(columnName)_not_null")
            let proof = TableConstraint(name: check, kind: .check(Expr(sqlText: SQLIdentifier.quote(columnName) + " IS NOT NULL")), notValid: true)
            return [
                plain(.addConstraint(proof)), plain(.validateConstraint(check)), plain(action),
                plain(.dropConstraint(check, ifExists: false, cascade: false)),
            ]
        case .addConstraint(let constraint) where constraint.usingIndex == nil && !constraint.notValid:
            switch constraint.kind {
            case .check, .foreignKey:
                guard let constraintName = constraint.name else { return [plain(action)] }
                var notValid = constraint
                notValid.notValid = true
                return [plain(.addConstraint(notValid)), plain(.validateConstraint(constraintName))]
            case .unique(let columns, nil), .primaryKey(let columns, nil):
                guard let constraintName = constraint.name else { return [plain(action)] }
                let index = CreateIndex(
                    name: QualifiedName(name: constraintName), table: name, unique: true, concurrently: true, columns: columns)
                var key = constraint
                key.usingIndex = constraintName
                return [dialect.createIndex(index), plain(.addConstraint(key))]
            default:
                return [plain(action)]
            }
        case .alterColumnType(_, let type, _, _):
            let rewrites = online && engine.typeChangeRewrites(from: column?.type, to: type)
            return [dialect.alterTable(AlterTable(table: name, actions: [action], concurrently: rewrites))]
        default:
            return [plain(action)]
        }
    }

    /// `ALTER COLUMN ... ADD GENERATED ... AS IDENTITY`, `DROP IDENTITY`, `SET GENERATED`,
    /// `SET <sequence option>`: catalog edits PostgreSQL makes in place (they pass through).
    static func identityStatements(table: String, column: String, from: IdentityColumn?, to: IdentityColumn?) -> [String] {
        let prefix = "ALTER TABLE \(SQLIdentifier.quote(table)) ALTER COLUMN \(SQLIdentifier.quote(column)) "
        switch (from, to) {
        case (nil, let to?): return [prefix + "ADD " + to.sql]
        case (_?, nil): return [prefix + "DROP IDENTITY"]
        case (let from?, let to?):
            var clauses: [String] = []
            if from.always != to.always { clauses.append("SET GENERATED " + (to.always ? "ALWAYS" : "BY DEFAULT")) }
            if from.options != to.options {
                let options = IdentityColumn.optionClauses(to.options ?? "START WITH 1 INCREMENT BY 1 NO CYCLE")
                clauses += options.filter { !$0.uppercased().hasPrefix("AS ") }.map { "SET " + $0 }
            }
            return clauses.isEmpty ? [] : [prefix + clauses.joined(separator: " ")]
        default: return []
        }
    }

    /// The ALTER TABLE actions of a change to an existing table's columns and keys; empty
    /// for the other changes.
    func alterActions(_ change: SchemaChange) -> [AlterTableAction] {
        switch change {
        case .addColumn(_, let column): return [.addColumn(column.definition(), ifNotExists: false)]
        case .dropColumn(_, let column): return [.dropColumn(column.name, ifExists: false, cascade: false)]
        case .alterColumn(_, let from, let to): return alterActions(from: from, to: to)
        case .addPrimaryKey(let table, let key): return [.addConstraint(named(key.constraint, key.effectiveName(table: table)))]
        case .dropPrimaryKey(let table, let key): return [.dropConstraint(key.effectiveName(table: table), ifExists: false, cascade: false)]
        case .addUnique(let table, let unique): return [.addConstraint(named(unique.constraint, unique.effectiveName(table: table)))]
        case .dropUnique(let table, let unique): return [.dropConstraint(unique.effectiveName(table: table), ifExists: false, cascade: false)]
        case .addCheck(let table, let check):
            // Numbered as PostgreSQL numbers a second unnamed check on the same columns.
            let name = tables.first { $0.name == table }.map { $0.effectiveName(of: check) } ?? Self.name(of: check, table: table)
            return [.addConstraint(named(check.constraint, name))]
        case .dropCheck(let table, let check): return [.dropConstraint(Self.name(of: check, table: table), ifExists: false, cascade: false)]
        case .addForeignKey(let table, let key): return [.addConstraint(named(key.constraint, key.effectiveName(table: table)))]
        case .dropForeignKey(let table, let key): return [.dropConstraint(key.effectiveName(table: table), ifExists: false, cascade: false)]
        case .createTable, .dropTable, .renameTable, .renameColumn, .createIndex, .dropIndex, .createObject, .dropObject, .changeObject:
            return []
        }
    }

    /// `constraint` named `name` where the engine writes its online forms (they refer to
    /// the constraint by name); else as the desired state has it.
    private func named(_ constraint: TableConstraint, _ name: String) -> TableConstraint {
        var named = constraint
        if named.name == nil, engine.writesOnlineForms { named.name = name }
        return named
    }

    /// The columns whose type is `type`.
    func users(of type: SchemaObject) -> [(table: String, column: Column)] {
        tables.flatMap { table in
            table.columns.filter { column in
                guard let name = column.type?.name.lowercased() else { return false }
                return name == type.name.lowercased() || name == type.qualifiedName.lowercased()
            }.map { (table.name, $0) }
        }
    }

    /// A check's name, or the one PostgreSQL gives it (the differ names the checks it drops;
    /// this names those an inverse drops).
    static func name(of check: Check, table: String) -> String {
        check.name ?? DefaultConstraintName.check(table: table, referencedColumns: Expr(sqlText: check.expression).referencedColumnNames)
    }

    private func alter(_ table: String, _ actions: [AlterTableAction], _ online: Bool) -> String {
        dialect.alterTable(AlterTable(table: QualifiedName(name: table), actions: actions, concurrently: online))
    }

    private func alterActions(from: Column, to: Column) -> [AlterTableAction] {
        var actions: [AlterTableAction] = []
        let collationChanged = from.collation?.lowercased() != to.collation?.lowercased()
        if let type = to.type, from.type.map(String.init(describing:)) != type.description || collationChanged {
            let familyChanged = from.type?.portable == nil || from.type?.portable != type.portable
            let using = familyChanged ? Expr(sqlText: dialect.quote(to.name) + "::" + type.description) : nil
            actions.append(.alterColumnType(column: to.name, type: type, collation: collationChanged ? to.collation : nil, using: using))
        }
        if from.nullable != to.nullable {
            actions.append(to.nullable ? .dropNotNull(column: to.name) : .setNotNull(column: to.name))
        }
        if from.defaultValue != to.defaultValue {
            if let value = to.defaultValue {
                actions.append(.setDefault(column: to.name, Expr(sqlText: value)))
            } else {
                actions.append(.dropDefault(column: to.name))
            }
        }
        return actions
    }

    func safety(_ change: SchemaChange) -> Strategy {
        // A change the engine makes by rebuilding the table runs online; else it is a catalog edit.
        let rebuild: Strategy = alterActions(change).contains(where: engine.rebuildsTable) ? .online : .instant
        switch change {
        case .createTable, .renameTable, .renameColumn: return .instant
        case .dropTable, .dropColumn: return .destructive
        case .addColumn(_, let column):
            return column.nullable || column.defaultValue != nil ? .instant : rebuild
        case .alterColumn(_, let from, let to):
            if from.type?.description != to.type?.description {
                return TypeWidening.isWidening(from: from.type, to: to.type) ? .online : .destructive
            }
            return from.nullable && !to.nullable ? .online : rebuild
        case .addPrimaryKey, .addUnique, .addCheck, .addForeignKey:
            return newTables.contains(change.table.lowercased()) ? .instant : .online
        case .dropPrimaryKey, .dropUnique, .dropCheck, .dropForeignKey:
            return rebuild
        case .createIndex, .dropIndex:
            return newTables.contains(change.table.lowercased()) ? .instant : .online
        case .createObject:
            return .instant
        case .dropObject(let object):
            // A sequence's position is data; a materialized view's rows come back with it.
            return object.kind == .sequence || object.kind == .partition ? .destructive : .instant
        case .changeObject(let from, let to):
            if ObjectSQL.inPlace(from: from, to: to) != nil { return .instant }
            return ObjectSQL.changesAsOneStep(to.kind) && !users(of: to).isEmpty ? .blocking : .instant
        }
    }

    func comment(_ change: SchemaChange) -> String {
        func cols(_ columns: [String]) -> String { "(" + columns.joined(separator: ", ") + ")" }
        switch change {
        case .createTable(let t): return "Create table \(t.name)"
        case .dropTable(let t): return "Drop table \(t.name)"
        case .renameTable(let from, let to): return "Rename table \(from) to \(to)"
        case .addColumn(let t, let c): return "Add column \(t).\(c.name)"
        case .dropColumn(let t, let c): return "Drop column \(t).\(c.name)"
        case .renameColumn(let t, let from, let to): return "Rename column \(t).\(from) to \(to)"
        case .alterColumn(let t, let from, let to):
            var parts: [String] = []
            if from.type?.description != to.type?.description || from.collation != to.collation {
                parts.append("type \(from.type?.description ?? "none") -> \(to.type?.description ?? "none")")
            }
            if from.nullable != to.nullable { parts.append(to.nullable ? "drop NOT NULL" : "set NOT NULL") }
            if from.identity != to.identity { parts.append(to.identity.map { $0.sql.lowercased() } ?? "drop identity") }
            if from.defaultValue != to.defaultValue { parts.append(to.defaultValue.map { "default \($0)" } ?? "drop default") }
            return "Change column \(t).\(to.name): " + parts.joined(separator: ", ")
        case .addPrimaryKey(let t, let k): return "Add primary key \(cols(k.columns)) to \(t)"
        case .dropPrimaryKey(let t, let k): return "Drop primary key \(cols(k.columns)) of \(t)"
        case .addUnique(let t, let u): return "Add unique constraint \(cols(u.columns)) to \(t)"
        case .dropUnique(let t, let u): return "Drop unique constraint \(u.effectiveName(table: t))"
        case .addCheck(let t, let c): return "Add check \(c.name.map { $0 + " " } ?? "")on \(t)"
        case .dropCheck(let t, let c): return "Drop check \(Self.name(of: c, table: t)) on \(t)"
        case .addForeignKey(let t, let k):
            return "Add foreign key \(t)\(cols(k.columns)) -> \(k.referencedTable)\(cols(k.referencedColumns))"
        case .dropForeignKey(let t, let k): return "Drop foreign key \(k.effectiveName(table: t))"
        case .createIndex(let t, let i): return "Create \(i.unique ? "unique " : "")index \(i.name) on \(t)"
        case .dropIndex(let t, let i): return "Drop index \(i.name) on \(t)"
        case .createObject(let o):
            switch o.kind {
            case .comment: return "Set \(o.displayName)"
            case .rowLevelSecurity: return "Enable \(o.displayName)"
            default: return "Create \(o.displayName)"
            }
        case .dropObject(let o):
            switch o.kind {
            case .comment: return "Remove \(o.displayName)"
            case .rowLevelSecurity: return "Disable \(o.displayName)"
            default: return "Drop \(o.displayName)"
            }
        case .changeObject(let from, let to):
            if ObjectSQL.inPlace(from: from, to: to) != nil { return "Change \(to.displayName) in place" }
            guard ObjectSQL.changesAsOneStep(to.kind) else { return "Replace \(to.displayName) (drop and create)" }
            let users = users(of: to)
            if users.isEmpty { return "Replace \(to.displayName) (drop and create)" }
            let columns = users.map { "\($0.table).\($0.column.name)" }.joined(separator: ", ")
            return "Recreate \(to.displayName) and retype \(columns) (\(engine.displayName) cannot do this in place; "
                + "each table is rewritten under an exclusive lock)"
        }
    }

    func downCaveat(_ change: SchemaChange, safety: Strategy) -> String? {
        if case .changeObject(let from, let to) = change, ObjectSQL.inPlace(from: from, to: to) != nil,
            ObjectSQL.inPlace(from: to, to: from) == nil
        {
            let users = users(of: from).map { "\($0.table).\($0.column.name)" }
            let retype = users.isEmpty ? "" : " and retypes \(users.joined(separator: ", ")), rewriting each table under an exclusive lock"
            return "\(engine.displayName) cannot undo this in place; the down recreates \(from.displayName)\(retype)"
        }
        guard safety == .destructive else { return nil }
        switch change {
        case .dropTable(let t): return "recreates table \(t.name) empty; its rows cannot be brought back"
        case .dropColumn(let t, let c): return "recreates column \(t).\(c.name); its values cannot be brought back"
        case .dropObject(let o) where o.kind == .partition: return "recreates partition \(o.name) empty; its rows cannot be brought back"
        case .dropObject(let o): return "recreates \(o.displayName) as it was defined; its current value cannot be brought back"
        default: return "restores the type; values the narrowing changed cannot be brought back"
        }
    }
}
