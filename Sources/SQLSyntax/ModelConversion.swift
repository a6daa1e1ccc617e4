import SchemaModel

/// Conversions between parsed `CREATE TABLE` / `CREATE INDEX` statements and the schema
/// model, in both directions: the interpreter reads statements into tables, and the
/// planner renders tables back into statements.
extension Table {
    /// The table a `CREATE TABLE` statement defines, its inline constraints moved to the
    /// table's keys, unique constraints, checks and foreign keys.
    public init(_ create: CreateTable) {
        self.init(name: create.name.name, options: create.options)
        for definition in create.columns {
            addColumn(definition)
        }
        for constraint in create.constraints {
            add(constraint)
        }
    }

    /// Adds a column with its inline constraints.
    public mutating func addColumn(_ definition: ColumnDef) {
        var column = Column(name: definition.name, type: definition.type)
        for constraint in definition.constraints {
            switch constraint.kind {
            case .primaryKey(_, _, let autoincrement):
                primaryKey = PrimaryKey(name: constraint.name, columns: [definition.name], autoincrement: autoincrement)
            case .notNull: column.nullable = false
            case .null: column.nullable = true
            case .unique: uniques.append(UniqueConstraint(name: constraint.name, columns: [definition.name]))
            case .check(let e): checks.append(Check(name: constraint.name, expression: e.sql))
            case .default(let e): column.defaultValue = e.sql
            case .collate(let name): column.collation = name
            case .references(let reference):
                foreignKeys.append(ForeignKey(constraint.name, columns: [definition.name], reference))
            case .generated(let e, let stored): column.generated = GeneratedColumn(expression: e.sql, stored: stored)
            case .identity(let always, let options):
                column.identity = IdentityColumn(always: always, options: options?.sql)
                column.nullable = false
            }
        }
        columns.append(column)
    }

    /// Adds a table constraint.
    public mutating func add(_ constraint: TableConstraint) {
        switch constraint.kind {
        case .primaryKey(let keys, _):
            primaryKey = PrimaryKey(name: constraint.name, columns: keys.map(\.expression.sql.unquotedIdentifier))
        case .unique(let keys, _):
            uniques.append(UniqueConstraint(name: constraint.name, columns: keys.map(\.expression.sql.unquotedIdentifier)))
        case .check(let e):
            checks.append(Check(name: constraint.name, expression: e.sql))
        case .foreignKey(let columns, let reference):
            foreignKeys.append(ForeignKey(constraint.name, columns: columns, reference))
        case .other:
            break  // a SchemaObject of its own (SchemaInterpreter)
        }
    }

    /// The `CREATE TABLE` statement for this table. A single-column primary key without a
    /// name is written on its column (SQLite's `AUTOINCREMENT` needs that form).
    public func createStatement() -> CreateTable {
        var create = CreateTable(name: QualifiedName(name: name))
        create.options = options
        let inlineKey = primaryKey.flatMap { $0.columns.count == 1 && $0.name == nil ? $0.columns[0].lowercased() : nil }
        for column in columns {
            var definition = column.definition()
            if column.name.lowercased() == inlineKey, let key = primaryKey {
                definition.constraints.insert(
                    ColumnConstraint(kind: .primaryKey(descending: false, onConflict: nil, autoincrement: key.autoincrement)), at: 0)
            }
            create.columns.append(definition)
        }
        create.constraints = constraints(includingPrimaryKey: inlineKey == nil)
        return create
    }

    /// The table constraints as statements, in a stable order: key, uniques, checks, foreign keys.
    public func constraints(includingPrimaryKey: Bool = true) -> [TableConstraint] {
        var result: [TableConstraint] = []
        if includingPrimaryKey, let key = primaryKey {
            result.append(key.constraint)
        }
        result += uniques.map(\.constraint)
        result += checks.map(\.constraint)
        result += foreignKeys.map(\.constraint)
        return result
    }
}

extension Column {
    /// The column's definition without key constraints (those belong to the table).
    public func definition() -> ColumnDef {
        var definition = ColumnDef(name: name, type: type)
        if !nullable { definition.constraints.append(ColumnConstraint(kind: .notNull(onConflict: nil))) }
        if let defaultValue { definition.constraints.append(ColumnConstraint(kind: .default(Expr(sqlText: defaultValue)))) }
        if let collation { definition.constraints.append(ColumnConstraint(kind: .collate(collation))) }
        if let generated {
            definition.constraints.append(ColumnConstraint(kind: .generated(Expr(sqlText: generated.expression), stored: generated.stored)))
        }
        if let identity {
            definition.constraints.append(
                ColumnConstraint(kind: .identity(always: identity.always, options: identity.options.map { Expr(sqlText: $0) })))
        }
        return definition
    }
}

extension PrimaryKey {
    /// The key as a table constraint.
    public var constraint: TableConstraint {
        TableConstraint(name: name, kind: .primaryKey(columns.map(IndexedColumn.column), onConflict: nil))
    }
}

extension UniqueConstraint {
    /// The constraint as a table constraint.
    public var constraint: TableConstraint {
        TableConstraint(name: name, kind: .unique(columns.map(IndexedColumn.column), onConflict: nil))
    }
}

extension Check {
    /// The check as a table constraint.
    public var constraint: TableConstraint {
        TableConstraint(name: name, kind: .check(Expr(sqlText: expression)))
    }
}

extension ForeignKey {
    /// A foreign key from `columns` to what `reference` names, with its actions.
    public init(_ name: String?, columns: [String], _ reference: ForeignKeyReference) {
        self.init(
            name: name, columns: columns, referencedTable: reference.table.name, referencedColumns: reference.columns,
            onDelete: reference.onDelete, onUpdate: reference.onUpdate, deferrable: reference.deferrable)
    }

    /// The `REFERENCES` clause.
    public var reference: ForeignKeyReference {
        var reference = ForeignKeyReference(table: QualifiedName(name: referencedTable), columns: referencedColumns)
        reference.onDelete = onDelete
        reference.onUpdate = onUpdate
        reference.deferrable = deferrable
        return reference
    }

    /// The foreign key as a table constraint.
    public var constraint: TableConstraint {
        TableConstraint(name: name, kind: .foreignKey(columns: columns, reference))
    }
}

extension TableIndex {
    /// The index a `CREATE INDEX` statement defines; unnamed ones get PostgreSQL's name.
    public init(_ create: CreateIndex) {
        let keys = create.columns.map(IndexKey.init)
        let name =
            create.name?.name
            ?? ([create.table.name] + keys.map { $0.column ?? "expr" } + ["idx"]).joined(separator: "_")
        self.init(
            name: name, unique: create.unique, keys: keys, predicate: create.predicate?.sql, method: create.method, include: create.include,
            options: create.options?.sql)
    }

    /// The `CREATE INDEX` statement for this index on `table`.
    public func createStatement(table: String, concurrently: Bool = false) -> CreateIndex {
        var create = CreateIndex(name: QualifiedName(name: name), table: QualifiedName(name: table), unique: unique, concurrently: concurrently)
        create.columns = keys.map { key in
            IndexedColumn(
                expression: key.column.map { Expr(identifier: $0) } ?? Expr(sqlText: key.expression),
                collation: key.collation, descending: key.descending)
        }
        create.predicate = predicate.map { Expr(sqlText: $0) }
        create.method = method
        create.include = include
        create.options = options.map { Expr(sqlText: $0) }
        return create
    }
}

extension IndexKey {
    /// The model of one parsed index key: a plain column or an expression.
    public init(_ key: IndexedColumn) {
        self.init(
            column: key.expression.columnName, expression: key.expression.columnName ?? key.expression.sql,
            collation: key.collation, descending: key.descending)
    }
}

extension IndexedColumn {
    static func column(_ name: String) -> IndexedColumn {
        IndexedColumn(expression: Expr(identifier: name))
    }
}

extension Expr {
    /// An expression from SQL text; text that does not lex is kept as one opaque token.
    public init(sqlText: String) {
        if let tokens = try? Lexer.tokenize(sqlText), !tokens.isEmpty {
            self.init(tokens: tokens)
        } else {
            self.init(tokens: [Token(kind: .word, text: sqlText, location: SourceLocation(line: 1, column: 1), spaceBefore: false)])
        }
    }

    /// A single column name.
    public init(identifier: String) {
        self.init(tokens: [
            Token(
                kind: .quotedIdentifier, text: SQLIdentifier.doubleQuoted(identifier), location: SourceLocation(line: 1, column: 1),
                spaceBefore: false)
        ])
    }
}

extension String {
    /// `"Name"` -> `Name`; anything else as it is.
    var unquotedIdentifier: String {
        if let tokens = try? Lexer.tokenize(self), tokens.count == 1, let value = tokens[0].identifierValue { return value }
        return self
    }
}
