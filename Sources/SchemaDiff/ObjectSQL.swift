import SQLSyntax
import SchemaModel

/// The SQL that creates, drops and changes an object other than a table.
enum ObjectSQL {
    /// `DROP VIEW v`, `DROP FUNCTION f(integer)`, `COMMENT ON ... IS NULL`, ...
    static func drop(_ object: SchemaObject, triggerNamesTable: Bool) -> String {
        let name = quoted(object)
        switch object.kind {
        case .function, .procedure: return "DROP \(object.kind.keyword) \(name)(\(object.signature ?? ""))"
        case .trigger:
            let table = object.table.map { triggerNamesTable ? " ON " + SQLIdentifier.quote($0) : "" } ?? ""
            return "DROP TRIGGER \(name)\(table)"
        case .policy: return "DROP POLICY \(name) ON \(SQLIdentifier.quote(object.table ?? ""))"
        case .partition: return "DROP TABLE \(name)"
        case .constraint: return "ALTER TABLE \(SQLIdentifier.quote(object.table ?? "")) DROP CONSTRAINT \(name)"
        case .rowLevelSecurity: return "ALTER TABLE \(SQLIdentifier.quote(object.table ?? object.name)) DISABLE ROW LEVEL SECURITY"
        case .comment: return "COMMENT ON \(commentTarget(object.name)) IS NULL"
        default: return "DROP \(object.kind.keyword) \(name)"
        }
    }

    /// A dropped row-level-security setting also turns FORCE off.
    static func dropStatements(_ object: SchemaObject, triggerNamesTable: Bool) -> [String] {
        var statements = [drop(object, triggerNamesTable: triggerNamesTable)]
        if object.kind == .rowLevelSecurity, object.statements.contains(where: isForce) {
            statements.append("ALTER TABLE \(SQLIdentifier.quote(object.table ?? object.name)) NO FORCE ROW LEVEL SECURITY")
        }
        return statements
    }

    /// Kinds changed in one step even when not in place (types and domains: columns use them).
    static func changesAsOneStep(_ kind: SchemaObject.Kind) -> Bool {
        kind == .type || kind == .domain
    }

    /// The statements that change `from` into `to` without dropping it, when the engine
    /// has them: new enum values (`ALTER TYPE ... ADD VALUE`), a function's new body with
    /// the same result (`CREATE OR REPLACE`), a new comment, a sequence's new options
    /// (`ALTER SEQUENCE`), FORCE of row-level security.
    static func inPlace(from: SchemaObject, to: SchemaObject) -> [String]? {
        switch to.kind {
        case .comment:
            return to.statements
        case .type:
            guard let old = enumValues(from), let new = enumValues(to), from.statements.count == 1, to.statements.count == 1 else { return nil }
            return addedValues(old, new).map { additions in
                additions.map { value, after in
                    "ALTER TYPE \(quoted(to)) ADD VALUE \(value)" + (after.map { " AFTER \($0)" } ?? (new.count > 1 ? " BEFORE \(new[1])" : ""))
                }
            }
        case .function, .procedure:
            guard returns(from) == returns(to), from.statements.count == 1, let create = to.statements.first else { return nil }
            return [orReplace(create)]
        case .sequence:
            guard let options = sequenceOptions(to) else { return nil }
            var statements = options.isEmpty ? [] : ["ALTER SEQUENCE \(quoted(to)) \(options)"]
            let owned = Array(to.statements.dropFirst())
            if owned.isEmpty && from.statements.count > 1 { statements.append("ALTER SEQUENCE \(quoted(to)) OWNED BY NONE") }
            return statements + owned
        case .rowLevelSecurity:
            let force = to.statements.contains(where: isForce)
            return ["ALTER TABLE \(SQLIdentifier.quote(to.table ?? to.name)) \(force ? "" : "NO ")FORCE ROW LEVEL SECURITY"]
        default:
            return nil
        }
    }

    /// A type or domain that cannot change in place, recreated under its name while the
    /// columns that use it are moved over: rename the old one, create the new one, retype
    /// each column (`USING col::text::type` for enums), drop the old one.
    static func swap(from: SchemaObject, to: SchemaObject, users: [(table: String, column: Column)]) -> [String] {
        let old = SQLIdentifier.quote(to.name + "__old")
        var statements = ["ALTER \(to.kind.keyword) \(quoted(from)) RENAME TO \(old)"] + to.statements
        // Enum and composite values move over through their text form; a domain's cast to its base type is implicit.
        let viaText = to.kind == .type
        for (table, column) in users {
            let t = SQLIdentifier.quote(table)
            let c = SQLIdentifier.quote(column.name)
            if column.defaultValue != nil { statements.append("ALTER TABLE \(t) ALTER COLUMN \(c) DROP DEFAULT") }
            statements.append("ALTER TABLE \(t) ALTER COLUMN \(c) TYPE \(quoted(to)) USING \(c)\(viaText ? "::text" : "")::\(quoted(to))")
            if let value = column.defaultValue { statements.append("ALTER TABLE \(t) ALTER COLUMN \(c) SET DEFAULT \(value)") }
        }
        let schema = from.schema.map { SQLIdentifier.quote($0) + "." } ?? ""
        statements.append("DROP \(to.kind.keyword) \(schema)\(old)")
        return statements
    }

    static func quoted(_ object: SchemaObject) -> String {
        (object.schema.map { SQLIdentifier.quote($0) + "." } ?? "") + SQLIdentifier.quote(object.name)
    }

    /// `COLUMN users.email` with each name quoted as needed.
    static func commentTarget(_ name: String) -> String {
        guard let space = name.firstIndex(of: " ") else { return name }
        var head = String(name[..<space])
        var rest = String(name[name.index(after: space)...])
        if head == "MATERIALIZED", rest.hasPrefix("VIEW ") {
            head = "MATERIALIZED VIEW"
            rest = String(rest.dropFirst(5))
        }
        guard !rest.contains("("), !rest.contains(" ") else { return name }
        return head + " " + rest.split(separator: ".").map { SQLIdentifier.quote(String($0)) }.joined(separator: ".")
    }

    static func isForce(_ statement: String) -> Bool {
        let upper = statement.uppercased()
        return upper.contains(" FORCE ROW LEVEL SECURITY") && !upper.contains("NO FORCE")
    }

    /// The values of `CREATE TYPE t AS ENUM ('a', 'b')`, as string literals.
    static func enumValues(_ object: SchemaObject) -> [String]? {
        guard let tokens = try? Lexer.tokenize(object.statements.first ?? ""),
            let enumAt = tokens.firstIndex(where: { $0.isWord("ENUM") })
        else { return nil }
        return tokens[(enumAt + 1)...].filter { $0.kind == .string }.map(\.text)
    }

    /// The values of `new` not in `old`, each with the value it follows; nil when `old`
    /// is not kept in order (a value removed or moved).
    static func addedValues(_ old: [String], _ new: [String]) -> [(String, String?)]? {
        var remaining = old[...]
        var additions: [(String, String?)] = []
        for (i, value) in new.enumerated() {
            if remaining.first == value {
                remaining = remaining.dropFirst()
            } else if old.contains(value) {
                return nil
            } else {
                additions.append((value, i > 0 ? new[i - 1] : nil))
            }
        }
        return remaining.isEmpty ? additions : nil
    }

    /// The words of a function's RETURNS clause.
    static func returns(_ object: SchemaObject) -> String {
        guard let tokens = try? Lexer.tokenize(object.statements.first ?? "") else { return "" }
        let stops: Set<String> = [
            "LANGUAGE", "AS", "IMMUTABLE", "STABLE", "VOLATILE", "STRICT", "SECURITY", "PARALLEL", "COST", "ROWS", "SET", "WINDOW",
            "LEAKPROOF", "CALLED", "TRANSFORM", "SUPPORT", "BEGIN", "RETURN", "EXTERNAL", "NOT",
        ]
        guard let start = tokens.firstIndex(where: { $0.isWord("RETURNS") }) else { return "" }
        var words: [String] = []
        for token in tokens[(start + 1)...] {
            if token.kind == .word, stops.contains(token.text.uppercased()) { break }
            words.append(token.text.lowercased())
        }
        return words.joined(separator: " ")
    }

    /// `CREATE FUNCTION` as `CREATE OR REPLACE FUNCTION`.
    static func orReplace(_ create: String) -> String {
        guard let tokens = try? Lexer.tokenize(create), tokens.count > 2, tokens[0].isWord("CREATE"), !tokens[1].isWord("OR") else { return create }
        return "CREATE OR REPLACE" + create.dropFirst(tokens[0].text.count)
    }

    /// The options after `CREATE SEQUENCE name`; nil when the statement is not one.
    static func sequenceOptions(_ object: SchemaObject) -> String? {
        guard let create = object.statements.first, let tokens = try? Lexer.tokenize(create),
            let at = tokens.firstIndex(where: { $0.isWord("SEQUENCE") })
        else { return nil }
        var i = at + 1
        if i + 2 < tokens.count, tokens[i].isWord("IF") { i += 3 }
        i += 1
        if i + 1 < tokens.count, tokens[i].isSymbol(".") { i += 2 }
        guard i <= tokens.count else { return nil }
        let bytes = Array(create.utf8)
        guard i < tokens.count else { return "" }
        let options = String(decoding: bytes[tokens[i].range.lowerBound...], as: UTF8.self)
        // START is where a new sequence begins; an existing one keeps its position.
        return options.replacingOccurrences(of: #"(?i)\bSTART\s+(WITH\s+)?-?\d+"#, with: "", options: .regularExpression)
            .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
