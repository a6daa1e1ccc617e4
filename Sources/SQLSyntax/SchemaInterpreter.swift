import SchemaModel

/// Replays DDL statements onto a schema model, with PostgreSQL's meaning of each
/// statement (DESIGN.md section 5: pending migrations count as part of the current
/// state; SQLite's catalog is read by replaying its `CREATE` statements).
///
/// Statements that do not change the schema (INSERT, UPDATE, ...) are ignored; views and
/// triggers are kept as opaque objects.
public struct SchemaInterpreter: Sendable {
    /// The schema so far.
    public private(set) var schema: Schema
    /// Table name -> position (exact, and lowercased), and index name -> table name:
    /// replaying a catalog of thousands of tables must not search them all for every
    /// statement. A name matches exactly first (PostgreSQL keeps `"Users"` and `users`
    /// apart), then case-insensitively (as SQLite and unquoted names match).
    private var positions: [String: Int] = [:]
    private var exactPositions: [String: Int] = [:]
    private var indexOwners: [String: String] = [:]

    /// An interpreter starting from `schema`.
    public init(_ schema: Schema = Schema()) {
        self.schema = schema
        reindex()
    }

    private mutating func reindex() {
        positions = [:]
        exactPositions = [:]
        indexOwners = [:]
        for (t, table) in schema.tables.enumerated() {
            if positions[table.name.lowercased()] == nil { positions[table.name.lowercased()] = t }
            exactPositions[table.name] = t
            for index in table.indexes { indexOwners[index.name.lowercased()] = table.name }
        }
    }

    /// After dropping `table` from position `t`: the last table's lookups are removed
    /// (the common case, a down dropping what its up created); any other shifts the
    /// positions after it, which are indexed again.
    private mutating func forget(_ table: Table, at t: Int) {
        guard t == schema.tables.count else {
            reindex()
            return
        }
        if positions[table.name.lowercased()] == t { positions[table.name.lowercased()] = nil }
        if exactPositions[table.name] == t { exactPositions[table.name] = nil }
        for index in table.indexes where indexOwners[index.name.lowercased()] == table.name { indexOwners[index.name.lowercased()] = nil }
    }

    /// The tables whose lowercased names are in `names`, in schema order: a lookup each,
    /// not a pass over the schema.
    public func tables(named names: Set<String>) -> [Table] {
        names.compactMap { positions[$0] }.sorted().map { schema.tables[$0] }
    }

    /// The table that owns the index called `name`, if any.
    public func table(ofIndex name: String) -> String? {
        indexOwners[name.lowercased()]
    }

    /// The table called `name` (the same spelling first, then ignoring case, as
    /// `Schema.table`), by lookup.
    public func table(_ name: String) -> Table? {
        tablePosition(name).map { schema.tables[$0] }
    }

    /// The table and index of the index called `name` (ignoring case), by lookup.
    public func index(_ name: String) -> (table: Int, index: Int)? {
        indexPosition(name)
    }

    private func tablePosition(_ name: String) -> Int? {
        exactPositions[name] ?? positions[name.lowercased()]
    }

    private mutating func insertPosition(_ name: String, _ t: Int) {
        if positions[name.lowercased()] == nil { positions[name.lowercased()] = t }
        exactPositions[name] = t
    }

    private func indexPosition(_ name: String) -> (table: Int, index: Int)? {
        let key = name.lowercased()
        guard let owner = indexOwners[key], let t = tablePosition(owner),
            let i = schema.tables[t].indexes.firstIndex(where: { $0.name.lowercased() == key })
        else { return nil }
        return (t, i)
    }

    /// Applies every statement of a parsed file.
    /// - Throws: `SQLSyntaxError` naming the statement's position when it refers to
    ///   something that does not exist or already exists.
    public mutating func apply(_ statements: [ParsedStatement], file: String? = nil) throws(SQLSyntaxError) {
        for statement in statements {
            do throws(InterpretError) {
                try apply(statement.statement)
            } catch {
                let failure = SQLSyntaxError(location: statement.location, message: error.message)
                throw file.map { failure.in(file: $0) } ?? failure
            }
        }
    }

    /// Applies one statement.
    public mutating func apply(_ statement: SQLStatement) throws(InterpretError) {
        defer { if statement.changesNames { reindex() } }
        switch statement {
        case .createTable(let create):
            // Only the same spelling is the same table here: `"Users"` beside `users` is
            // PostgreSQL's; SQLite refuses it itself.
            if exactPositions[create.name.name] != nil {
                if create.ifNotExists { return }
                throw InterpretError("table \"\(create.name.name)\" already exists")
            }
            insertPosition(create.name.name, schema.tables.count)
            schema.tables.append(Table(create))
            schema.objects += SchemaObject.constraints(of: create)
        case .dropTable(let drop):
            for name in drop.names {
                guard let t = tablePosition(name.name) else {
                    let partition = ObjectReference(kind: .partition, schema: name.schema, name: name.name)
                    if schema.objects.contains(where: partition.matches) {
                        schema.objects.removeAll {
                            partition.matches($0) || $0.kind == .partition && $0.table?.lowercased() == name.name.lowercased()
                        }
                        continue
                    }
                    if drop.ifExists { continue }
                    throw InterpretError("table \"\(name.name)\" does not exist")
                }
                let removed = schema.tables.remove(at: t)
                forget(removed, at: t)
                let key = name.name.lowercased()
                schema.objects.removeAll { object in
                    object.table?.lowercased() == key
                        || object.kind == .comment && [("TABLE " + key), ("COLUMN " + key + ".")].contains { object.name.lowercased().hasPrefix($0) }
                }
            }
        case .alterTable(let alter):
            guard let t = tablePosition(alter.table.name) else {
                if alter.ifExists { return }
                throw InterpretError("table \"\(alter.table.name)\" does not exist")
            }
            for action in alter.actions {
                try apply(action, table: t)
            }
        case .createIndex(let create):
            guard let t = tablePosition(create.table.name) else {
                // An index of a materialized view belongs to the view's statements.
                let view = ObjectReference(kind: .materializedView, schema: create.table.schema, name: create.table.name)
                if let o = schema.objects.firstIndex(where: view.matches) {
                    schema.objects[o].statements.append(MigrationFileDialect().createIndex(create))
                    return
                }
                throw InterpretError("table \"\(create.table.name)\" does not exist")
            }
            let index = TableIndex(create)
            if indexPosition(index.name) != nil {
                if create.ifNotExists { return }
                throw InterpretError("index \"\(index.name)\" already exists")
            }
            indexOwners[index.name.lowercased()] = schema.tables[t].name
            schema.tables[t].indexes.append(index)
        case .dropIndex(let drop):
            for name in drop.names {
                guard let (t, i) = indexPosition(name.name) else {
                    if drop.ifExists { continue }
                    throw InterpretError("index \"\(name.name)\" does not exist")
                }
                let removed = schema.tables[t].indexes.remove(at: i)
                indexOwners[removed.name.lowercased()] = nil
            }
        case .truncate:
            break
        case .other(let passThrough):
            applyPassThrough(passThrough)
        }
    }

    private mutating func apply(_ action: AlterTableAction, table t: Int) throws(InterpretError) {
        var table = schema.tables[t]
        func column(_ name: String) throws(InterpretError) -> Int {
            guard let c = table.columnIndex(name) else {
                throw InterpretError("column \"\(name)\" of table \"\(table.name)\" does not exist")
            }
            return c
        }
        switch action {
        case .addColumn(let definition, let ifNotExists):
            if table.columnIndex(definition.name) != nil {
                if ifNotExists { return }
                throw InterpretError("column \"\(definition.name)\" of table \"\(table.name)\" already exists")
            }
            table.addColumn(definition)
        case .dropColumn(let name, let ifExists, _):
            guard let c = table.columnIndex(name) else {
                if ifExists { return }
                throw InterpretError("column \"\(name)\" of table \"\(table.name)\" does not exist")
            }
            table.columns.remove(at: c)
            table.removeEverything(using: name)
        case .renameColumn(let from, let to):
            let c = try column(from)
            if table.columnIndex(to) != nil {
                throw InterpretError("column \"\(to)\" of table \"\(table.name)\" already exists")
            }
            table.renameColumn(table.columns[c].name, to: to)
            for other in schema.tables.indices where other != t {
                schema.tables[other].renameReferencedColumn(table: table.name, from: from, to: to)
            }
        case .renameTable(let to):
            if tablePosition(to) != nil {
                throw InterpretError("table \"\(to)\" already exists")
            }
            let old = table.name
            table.name = to
            for other in schema.tables.indices where other != t {
                for f in schema.tables[other].foreignKeys.indices
                where schema.tables[other].foreignKeys[f].referencedTable.lowercased() == old.lowercased() {
                    schema.tables[other].foreignKeys[f].referencedTable = to
                }
            }
            for f in table.foreignKeys.indices where table.foreignKeys[f].referencedTable.lowercased() == old.lowercased() {
                table.foreignKeys[f].referencedTable = to
            }
        case .alterColumnType(let name, let type, let collation, _):
            let c = try column(name)
            table.columns[c].type = type
            if let collation { table.columns[c].collation = collation }
        case .setDefault(let name, let expression):
            table.columns[try column(name)].defaultValue = expression.sql
        case .dropDefault(let name):
            table.columns[try column(name)].defaultValue = nil
        case .setNotNull(let name):
            table.columns[try column(name)].nullable = false
        case .dropNotNull(let name):
            table.columns[try column(name)].nullable = true
        case .addConstraint(var constraint):
            if let index = constraint.usingIndex { constraint = try table.takingOver(index: index, for: constraint) }
            if let name = constraint.name, table.constraintLocation(name) != nil {
                throw InterpretError("constraint \"\(name)\" of table \"\(table.name)\" already exists")
            }
            if case .primaryKey = constraint.kind, table.primaryKey != nil {
                throw InterpretError("table \"\(table.name)\" already has a primary key")
            }
            if let object = SchemaObject.constraint(constraint, on: QualifiedName(name: table.name)) {
                if schema.objects.contains(where: { $0.key == object.key }) {
                    throw InterpretError("constraint \"\(object.name)\" of table \"\(table.name)\" already exists")
                }
                schema.objects.append(object)
                return
            }
            for column in constraint.columns.sorted() where table.columnIndex(column) == nil {
                throw InterpretError("column \"\(column)\" named in the constraint does not exist in table \"\(table.name)\"")
            }
            table.add(constraint)
        case .dropConstraint(let name, let ifExists, _):
            let kept = ObjectReference(kind: .constraint, name: name, table: table.name)
            if table.constraintLocation(name) == nil, schema.objects.contains(where: kept.matches) {
                schema.objects.removeAll(where: kept.matches)
                return
            }
            guard let location = table.constraintLocation(name) else {
                if ifExists { return }
                throw InterpretError("constraint \"\(name)\" of table \"\(table.name)\" does not exist")
            }
            table.removeConstraint(at: location)
        case .validateConstraint:
            break
        }
        schema.tables[t] = table
    }

    /// The DDL of objects other than tables (`ObjectStatement`); statements that change
    /// no schema (INSERT, SET, GRANT) change nothing.
    private mutating func applyPassThrough(_ statement: PassThrough) {
        if let change = IdentityChange.recognize(statement), !change.keep, let t = tablePosition(change.table),
            let c = schema.tables[t].columnIndex(change.column)
        {
            var identity = change.identity
            // SET GENERATED keeps the options.
            if let old = schema.tables[t].columns[c].identity, identity?.options == nil, statement.tokens.contains(where: { $0.isWord("SET") }) {
                identity?.options = old.options
            }
            schema.tables[t].columns[c].identity = identity
            if identity != nil { schema.tables[t].columns[c].nullable = false }
            return
        }
        switch ObjectStatement.recognize(statement) {
        case .create(let object):
            if let o = schema.objects.firstIndex(where: { $0.key == object.key }) {
                schema.objects[o] = object
            } else {
                schema.objects.append(object)
            }
        case .drop(let references, _):
            // Lenient: a sequence a serial column owns, say, is no object of the model.
            for reference in references { schema.objects.removeAll(where: reference.matches) }
        case .alter(let reference, let text):
            if let o = schema.objects.firstIndex(where: reference.matches) { schema.objects[o].statements.append(text) }
        case .session, nil:
            break
        }
    }
}

/// Why a statement cannot apply to the schema, worded for the user.
public struct InterpretError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// An error saying `message`.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

extension SQLStatement {
    /// Whether the statement can rename tables or indexes (the interpreter then rebuilds
    /// its name lookups; drops keep them up to date as they go).
    var changesNames: Bool {
        switch self {
        case .alterTable(let alter):
            alter.actions.contains {
                switch $0 {
                case .renameTable, .dropColumn, .renameColumn: true
                default: false
                }
            }
        default: false
        }
    }
}
