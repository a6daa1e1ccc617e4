import SchemaModel

/// What a pass-through statement does to the schema's objects other than tables
/// (`SchemaObject`): the DDL of types, sequences, functions, views, triggers, policies,
/// row-level security and comments, read from its first keywords and its name.
public enum ObjectStatement: Sendable, Hashable {
    /// `CREATE [OR REPLACE] ...`, `ALTER TABLE ... ENABLE ROW LEVEL SECURITY`,
    /// `COMMENT ON ... IS '...'`: the object, replacing one with the same key.
    case create(SchemaObject)
    /// `DROP ...`, `COMMENT ON ... IS NULL`, `... DISABLE ROW LEVEL SECURITY`.
    case drop([ObjectReference], ifExists: Bool)
    /// `ALTER TYPE ... ADD VALUE`, `ALTER SEQUENCE ... OWNED BY`, `... FORCE ROW LEVEL
    /// SECURITY`: a statement appended to an existing object's.
    case alter(ObjectReference, statement: String)
    /// A statement that changes no schema: `SET`, `ALTER ... OWNER TO`, `GRANT`,
    /// `SELECT pg_catalog.set_config(...)`.
    case session

    /// Reads `statement`; nil when it is not schema DDL (INSERT, UPDATE, an unknown
    /// `CREATE AGGREGATE`).
    public static func recognize(_ statement: PassThrough) -> ObjectStatement? {
        var c = ObjectTokens(statement.tokens)
        let text = statement.text.trimmingTrailingSemicolon
        let references = c.references
        if c.take("SET") || c.take("RESET") || c.take("GRANT") || c.take("REVOKE") { return .session }
        if c.take("SELECT"), c.isWord("pg_catalog") || c.isWord("set_config") { return .session }
        if c.take("COMMENT") { return comment(&c, text: text, references: references) }
        if c.take("CREATE") {
            _ = c.take("OR") && c.take("REPLACE")
            _ = c.take("TEMP") || c.take("TEMPORARY") || c.take("UNLOGGED")
            _ = c.take("RECURSIVE")
            _ = c.take("CONSTRAINT")
            if c.take("TABLE") { return partition(&c, text: text, references: references) }
            guard let kind = c.kind() else { return nil }
            _ = c.take("IF") && c.take("NOT") && c.take("EXISTS")
            guard let (schema, name) = c.qualifiedName() else { return nil }
            var object = SchemaObject(kind: kind, schema: schema, name: name, statements: [text], references: references)
            switch kind {
            case .function, .procedure:
                object.signature = c.signature()
                object.references.formUnion(Self.bodyReferences(statement.tokens))
            case .trigger, .policy: object.table = c.tableAfterOn()
            default: break
            }
            object.references.remove(name.lowercased())
            return .create(object)
        }
        if c.take("DROP") {
            guard let kind = c.kind() else { return nil }
            let ifExists = c.take("IF") && c.take("EXISTS")
            var dropped: [ObjectReference] = []
            repeat {
                guard let (schema, name) = c.qualifiedName() else { return nil }
                var reference = ObjectReference(kind: kind, schema: schema, name: name)
                if kind == .function || kind == .procedure, c.isSymbol("(") { reference.signature = c.signature() }
                if kind == .trigger || kind == .policy, c.take("ON"), let (_, table) = c.qualifiedName() { reference.table = table }
                dropped.append(reference)
            } while c.takeSymbol(",")
            return .drop(dropped, ifExists: ifExists)
        }
        if c.take("ALTER") {
            if c.take("TABLE") { return rowSecurity(&c, text: text) }
            guard let kind = c.kind() else { return nil }
            _ = c.take("IF") && c.take("EXISTS")
            guard let (schema, name) = c.qualifiedName() else { return nil }
            var reference = ObjectReference(kind: kind, schema: schema, name: name)
            if kind == .function || kind == .procedure, c.isSymbol("(") { reference.signature = c.signature() }
            if c.take("OWNER") { return .session }
            return .alter(reference, statement: text)
        }
        return nil
    }

    /// The names a function's quoted body mentions (`AS 'SELECT count(*) FROM t'`, `$$ ... $$`).
    static func bodyReferences(_ tokens: [Token]) -> Set<String> {
        var names: Set<String> = []
        for token in tokens where token.kind == .dollarString || token.kind == .string {
            let inner: String
            if token.kind == .string {
                inner = token.singleQuotedName ?? ""
            } else if let open = token.text.dropFirst().firstIndex(of: "$") {
                let tag = token.text[...open]
                inner = String(token.text.dropFirst(tag.count).dropLast(tag.count))
            } else {
                continue
            }
            guard let body = try? Lexer.tokenize(inner) else { continue }
            for t in body where t.kind == .word || t.kind == .quotedIdentifier { if let name = t.identifierValue { names.insert(name.lowercased()) } }
        }
        return names
    }

    /// `CREATE TABLE [IF NOT EXISTS] name PARTITION OF parent ...`; nil for other tables.
    private static func partition(_ c: inout ObjectTokens, text: String, references: Set<String>) -> ObjectStatement? {
        _ = c.take("IF") && c.take("NOT") && c.take("EXISTS")
        guard let (schema, name) = c.qualifiedName(), c.take("PARTITION"), c.take("OF"), let (_, parent) = c.qualifiedName() else { return nil }
        var object = SchemaObject(kind: .partition, schema: schema, name: name, table: parent, statements: [text], references: references)
        object.references.remove(name.lowercased())
        return .create(object)
    }

    /// `ALTER TABLE [IF EXISTS] [ONLY] t {ENABLE|DISABLE|FORCE|NO FORCE} ROW LEVEL SECURITY`
    /// and `... OWNER TO`; nil for the ALTER TABLE the parser reads.
    private static func rowSecurity(_ c: inout ObjectTokens, text: String) -> ObjectStatement? {
        _ = c.take("IF") && c.take("EXISTS")
        _ = c.take("ONLY")
        guard let (_, table) = c.qualifiedName() else { return nil }
        let reference = ObjectReference(kind: .rowLevelSecurity, name: table, table: table)
        if c.take("OWNER") { return .session }
        let enable = c.take("ENABLE")
        let disable = !enable && c.take("DISABLE")
        let force = !enable && !disable && c.take("FORCE")
        let noForce = !enable && !disable && !force && c.take("NO") && c.take("FORCE")
        guard enable || disable || force || noForce, c.take("ROW"), c.take("LEVEL"), c.take("SECURITY") else { return nil }
        if enable {
            return .create(SchemaObject(kind: .rowLevelSecurity, name: table, table: table, statements: [text], references: [table.lowercased()]))
        }
        if disable { return .drop([reference], ifExists: true) }
        return .alter(reference, statement: text)
    }

    /// `COMMENT ON <kind> <target> IS '<text>' | NULL`.
    private static func comment(_ c: inout ObjectTokens, text: String, references: Set<String>) -> ObjectStatement? {
        guard c.take("ON") else { return nil }
        var target: [String] = []
        while let token = c.current, !token.isWord("IS") {
            if let value = token.identifierValue, token.kind == .quotedIdentifier || !isKeyword(token.text) {
                target.append(value)
            } else {
                target.append(token.text.uppercased())
            }
            c.position += 1
        }
        guard c.take("IS"), !target.isEmpty else { return nil }
        let name = target.joined(separator: " ").replacingOccurrences(of: " . ", with: ".").replacingOccurrences(of: " ( ", with: "(")
            .replacingOccurrences(of: " )", with: ")").replacingOccurrences(of: " , ", with: ", ")
        let reference = ObjectReference(kind: .comment, name: name)
        if c.take("NULL") { return .drop([reference], ifExists: true) }
        return .create(SchemaObject(kind: .comment, name: name, statements: [text], references: references))
    }

    /// The words a comment target spells in capitals: `COLUMN`, `MATERIALIZED VIEW`, `ON`.
    static func isKeyword(_ word: String) -> Bool {
        [
            "TABLE", "COLUMN", "VIEW", "MATERIALIZED", "INDEX", "SEQUENCE", "TYPE", "DOMAIN", "FUNCTION", "PROCEDURE", "TRIGGER",
            "POLICY", "CONSTRAINT", "SCHEMA", "EXTENSION", "ON",
        ].contains(word.uppercased())
    }
}

/// Which object a DROP, ALTER or COMMENT names.
public struct ObjectReference: Sendable, Hashable {
    /// The kind named.
    public var kind: SchemaObject.Kind
    /// Its schema, when qualified by one other than `public`.
    public var schema: String?
    /// Its name.
    public var name: String
    /// The table, for `DROP TRIGGER t ON table`.
    public var table: String?
    /// A function's argument types, when given.
    public var signature: String?

    /// A reference to the object `kind name`.
    public init(kind: SchemaObject.Kind, schema: String? = nil, name: String, table: String? = nil, signature: String? = nil) {
        self.kind = kind
        self.schema = schema
        self.name = name
        self.table = table
        self.signature = signature
    }

    /// Whether `object` is the one named (a missing table or signature matches any).
    public func matches(_ object: SchemaObject) -> Bool {
        object.kind == kind && object.name.lowercased() == name.lowercased()
            && object.schema?.lowercased() == schema?.lowercased()
            && (table == nil || object.table?.lowercased() == table?.lowercased())
            && (signature == nil || object.signature?.lowercased() == signature?.lowercased())
    }
}

/// A cursor over a pass-through statement's tokens.
struct ObjectTokens {
    let tokens: [Token]
    var position = 0

    init(_ tokens: [Token]) { self.tokens = tokens }

    var current: Token? { position < tokens.count ? tokens[position] : nil }

    /// Every identifier the statement mentions, lowercased (quoted ones unquoted).
    var references: Set<String> {
        Set(tokens.compactMap { token in token.kind == .word || token.kind == .quotedIdentifier ? token.identifierValue?.lowercased() : nil })
    }

    func isWord(_ word: String) -> Bool { current?.isWord(word) ?? false }
    func isSymbol(_ symbol: String) -> Bool { current?.isSymbol(symbol) ?? false }

    mutating func take(_ word: String) -> Bool {
        guard isWord(word) else { return false }
        position += 1
        return true
    }

    mutating func takeSymbol(_ symbol: String) -> Bool {
        guard isSymbol(symbol) else { return false }
        position += 1
        return true
    }

    /// The object kind at the cursor.
    mutating func kind() -> SchemaObject.Kind? {
        let simple: [String: SchemaObject.Kind] = [
            "SCHEMA": .schema, "EXTENSION": .extension, "TYPE": .type, "DOMAIN": .domain, "SEQUENCE": .sequence, "FUNCTION": .function,
            "PROCEDURE": .procedure, "VIEW": .view, "TRIGGER": .trigger, "POLICY": .policy,
        ]
        if take("MATERIALIZED") { return take("VIEW") ? .materializedView : nil }
        guard let word = current, word.kind == .word, let kind = simple[word.text.uppercased()] else { return nil }
        position += 1
        return kind
    }

    /// `name` or `schema.name`; a `public` (or SQLite `main`) qualifier is dropped.
    mutating func qualifiedName() -> (String?, String)? {
        guard let first = current, first.kind == .word || first.kind == .quotedIdentifier, let value = first.identifierValue else { return nil }
        position += 1
        guard isSymbol("."), position + 1 < tokens.count, let second = tokens[position + 1].identifierValue,
            tokens[position + 1].kind == .word || tokens[position + 1].kind == .quotedIdentifier
        else { return (nil, value) }
        position += 2
        let schema = ["public", "main"].contains(value.lowercased()) ? nil : value
        return (schema, second)
    }

    /// The argument types of `( ... )` at the cursor, as `integer, text`: modes, names,
    /// defaults and OUT arguments left out, as PostgreSQL identifies a function.
    mutating func signature() -> String {
        guard takeSymbol("(") else { return "" }
        var arguments: [[Token]] = [[]]
        var depth = 0
        while let token = current {
            position += 1
            if token.isSymbol("(") { depth += 1 }
            if token.isSymbol(")") {
                if depth == 0 { break }
                depth -= 1
            }
            if depth == 0, token.isSymbol(",") {
                arguments.append([])
            } else {
                arguments[arguments.count - 1].append(token)
            }
        }
        return arguments.compactMap(Self.argumentType).joined(separator: ", ")
    }

    /// `[mode] [name] type [DEFAULT x | = x]` -> `type`; nil for OUT arguments and `()`.
    static func argumentType(_ tokens: [Token]) -> String? {
        var tokens = tokens
        if let stop = tokens.firstIndex(where: { $0.isWord("DEFAULT") || $0.isSymbol("=") }) { tokens = Array(tokens[..<stop]) }
        guard let first = tokens.first else { return nil }
        if first.isWord("OUT") { return nil }
        if first.isWord("IN") || first.isWord("INOUT") || first.isWord("VARIADIC") { tokens.removeFirst() }
        let typeStarts: Set<String> = ["DOUBLE", "CHARACTER", "BIT", "TIMESTAMP", "TIME", "INTERVAL", "NATIONAL"]
        if tokens.count >= 2, !tokens[1].isSymbol("("), !tokens[1].isSymbol("["), !tokens[1].isSymbol("."),
            !typeStarts.contains(tokens[0].text.uppercased()) || tokens[0].kind == .quotedIdentifier
        {
            tokens.removeFirst()
        }
        var text = ""
        for token in tokens {
            if !text.isEmpty, token.spaceBefore { text += " " }
            text += token.kind == .word ? token.text.lowercased() : token.text
        }
        return text.isEmpty ? nil : text
    }

    /// The table after the first `ON` (a trigger's or policy's).
    mutating func tableAfterOn() -> String? {
        while let token = current, !token.isWord("ON") { position += 1 }
        guard take("ON") else { return nil }
        return qualifiedName()?.1
    }
}

extension String {
    /// The statement text without surrounding whitespace and trailing `;`.
    public var trimmingTrailingSemicolon: String {
        var text = Substring(self)
        while let last = text.last, last == ";" || last.isWhitespace { text = text.dropLast() }
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        return String(text)
    }
}

extension SchemaObject {
    /// A constraint the model keeps as its definition (`TableConstraint.Kind.other`), as
    /// the object `ALTER TABLE table ADD CONSTRAINT name ...` creates; nil for the others.
    public static func constraint(_ constraint: TableConstraint, on table: QualifiedName) -> SchemaObject? {
        guard case .other(let definition) = constraint.kind else { return nil }
        let (label, columns) = definition.constraintNaming
        let name = constraint.name ?? DefaultConstraintName.named(table: table.name, columns: columns, label: label)
        var named = constraint
        named.name = name
        named.notValid = false
        let sql = MigrationFileDialect().alterTable(AlterTable(table: QualifiedName(name: table.name), actions: [.addConstraint(named)]))
        var references = definition.identifiers
        references.insert(table.name.lowercased())
        return SchemaObject(kind: .constraint, name: name, table: table.name, statements: [sql], references: references)
    }

    /// The constraint objects of a `CREATE TABLE`'s constraints.
    public static func constraints(of create: CreateTable) -> [SchemaObject] {
        create.constraints.compactMap { constraint(_: $0, on: create.name) }
    }

    /// The object an `ALTER TABLE ... ADD CONSTRAINT` of one kept constraint creates.
    public static func constraint(in statement: SQLStatement) -> SchemaObject? {
        guard case .alterTable(let alter) = statement, alter.actions.count == 1, case .addConstraint(let added) = alter.actions[0] else { return nil }
        return constraint(added, on: alter.table)
    }
}

/// `ALTER TABLE t ALTER COLUMN c {ADD GENERATED ... AS IDENTITY | DROP IDENTITY | SET
/// GENERATED ... | SET <sequence option> | RESTART}`: what it does to the column's identity.
public struct IdentityChange: Sendable, Hashable {
    /// Word pairs that start an identity clause.
    static let words = [
        ("ADD", "GENERATED"), ("DROP", "IDENTITY"), ("SET", "GENERATED"), ("SET", "INCREMENT"), ("SET", "START"), ("RESTART", "WITH"),
    ]

    /// The table.
    public var table: String
    /// The column.
    public var column: String
    /// The identity afterwards; `keep` when only the sequence's options changed.
    public var identity: IdentityColumn?
    /// Only sequence options (or RESTART) changed: the identity stays as it was.
    public var keep: Bool

    /// Reads `statement`; nil when it is not such an ALTER TABLE.
    public static func recognize(_ statement: PassThrough) -> IdentityChange? {
        var c = ObjectTokens(statement.tokens)
        guard c.take("ALTER"), c.take("TABLE") else { return nil }
        _ = c.take("IF") && c.take("EXISTS")
        _ = c.take("ONLY")
        guard let (_, table) = c.qualifiedName(), c.take("ALTER") else { return nil }
        _ = c.take("COLUMN")
        guard let (_, column) = c.qualifiedName() else { return nil }
        if c.take("DROP"), c.take("IDENTITY") { return IdentityChange(table: table, column: column, identity: nil, keep: false) }
        if c.take("ADD"), c.take("GENERATED") {
            let always = c.take("ALWAYS")
            if !always { _ = c.take("BY") && c.take("DEFAULT") }
            var options: String?
            if c.take("AS"), c.take("IDENTITY"), c.isSymbol("(") {
                let inner = statement.tokens[(c.position + 1)...].prefix { !$0.isSymbol(")") }
                options = Expr(tokens: Array(inner)).sql
            }
            return IdentityChange(table: table, column: column, identity: IdentityColumn(always: always, options: options), keep: false)
        }
        if c.take("SET"), c.take("GENERATED") {
            return IdentityChange(table: table, column: column, identity: IdentityColumn(always: c.take("ALWAYS")), keep: false)
        }
        return IdentityChange(table: table, column: column, identity: nil, keep: true)
    }
}
