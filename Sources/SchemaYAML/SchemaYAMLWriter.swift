import Foundation
import SQLSyntax
import SchemaModel

/// Writes a schema as desired-state YAML (`migrate inspect`): columns in the short
/// form, constraints and indexes named, so that loading the output gives the same
/// schema back.
public enum SchemaYAMLWriter {
    /// `schema` as desired-state YAML (what `inspect` prints).
    public static func yaml(_ schema: Schema) -> String {
        tables(schema) + objects(schema)
    }

    /// Each kind of object under its key (`ObjectReader`), each object as its statements.
    static func objects(_ schema: Schema) -> String {
        var out = ""
        for kind in SchemaObject.Kind.allCases {
            let objects = schema.objects.filter { $0.kind == kind }
            guard !objects.isEmpty else { continue }
            out += "\(kind.yamlKey):\n"
            var used: Set<String> = []
            for object in objects {
                var name = yamlName(object)
                if let table = object.table, !used.insert(name.lowercased()).inserted {
                    name += " on \(table)"
                    used.insert(name.lowercased())
                }
                out += "  \(key(name)): " + block(object.sql, indent: 4) + "\n"
            }
        }
        return out
    }

    /// The key an object is written under: its name, a function's with its argument types.
    public static func yamlName(_ object: SchemaObject) -> String {
        switch object.kind {
        case .function, .procedure: object.qualifiedName + "(" + (object.signature ?? "") + ")"
        case .comment: object.name
        default: object.qualifiedName
        }
    }

    /// One line as a scalar; several as a literal block (`|2-`), kept exactly.
    static func block(_ text: String, indent: Int) -> String {
        guard text.contains("\n"), !text.contains("\r"), text.last?.isWhitespace == false else { return scalar(text) }
        let pad = String(repeating: " ", count: indent)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { pad + $0 }
        return "|\(indent - 2)-\n" + lines.joined(separator: "\n")
    }

    static func tables(_ schema: Schema) -> String {
        var out = "tables:\n"
        if schema.tables.isEmpty { return "tables: {}\n" }
        for table in schema.sortedTables {
            out += "  \(key(table.name)):\n"
            if let comment = table.comment { out += "    comment: \(scalar(comment))\n" }
            if !table.options.isEmpty { out += "    options: [\(table.options.map(flowScalar).joined(separator: ", "))]\n" }
            let inlineKey = table.primaryKey.flatMap { $0.columns.count == 1 && $0.name == nil ? $0.columns[0].lowercased() : nil }
            var inlineUnique: Set<String> = []
            var inlineReference: Set<Int> = []
            out += "    columns:\n"
            for column in table.columns {
                let lower = column.name.lowercased()
                var sql = column.type?.description ?? ""
                if lower == inlineKey, let key = table.primaryKey {
                    sql += " primary key" + (key.autoincrement ? " autoincrement" : "")
                }
                if !column.nullable { sql += " not null" }
                if let value = column.defaultValue { sql += " default " + MigrationFileDialect().defaultExpression(Expr(sqlText: value)) }
                if let collation = column.collation { sql += " collate " + SQLIdentifier.quote(collation) }
                if let identity = column.identity { sql += " " + identity.sql.lowercased() }
                if let generated = column.generated {
                    sql += " generated always as (\(generated.expression))" + (generated.stored ? " stored" : " virtual")
                }
                if let u = table.uniques.firstIndex(where: { $0.name == nil && $0.columns.map { $0.lowercased() } == [lower] }) {
                    sql += " unique"
                    inlineUnique.insert(table.uniques[u].effectiveName(table: table.name))
                }
                if let f = table.foreignKeys.indices.first(where: {
                    table.foreignKeys[$0].name == nil && table.foreignKeys[$0].columns.map { $0.lowercased() } == [lower]
                        && !inlineReference.contains($0)
                }) {
                    sql += " " + MigrationFileDialect().reference(table.foreignKeys[f].reference).lowercasedKeywords
                    inlineReference.insert(f)
                }
                out += "      \(key(column.name)): \(scalar(sql.trimmingCharacters(in: .whitespaces)))\n"
            }
            if let key = table.primaryKey, inlineKey == nil {
                out += "    primary_key: [\(key.columns.map(flowScalar).joined(separator: ", "))]\n"
            }
            let uniques = table.uniques.filter { !inlineUnique.contains($0.effectiveName(table: table.name)) }
            if !uniques.isEmpty {
                out += "    unique:\n"
                for unique in uniques {
                    out += "      \(key(unique.effectiveName(table: table.name))): [\(unique.columns.map(flowScalar).joined(separator: ", "))]\n"
                }
            }
            if !table.indexes.isEmpty {
                out += "    indexes:\n"
                for index in table.indexes {
                    var fields = ["columns: [" + index.keys.map { flowScalar(keySQL($0)) }.joined(separator: ", ") + "]"]
                    if index.unique { fields.append("unique: true") }
                    if let predicate = index.predicate { fields.append("where: " + flowScalar(predicate)) }
                    if let method = index.method { fields.append("using: " + flowScalar(method)) }
                    if !index.include.isEmpty { fields.append("include: [" + index.include.map(flowScalar).joined(separator: ", ") + "]") }
                    if let options = index.options { fields.append("options: " + flowScalar(options)) }
                    out += "      \(key(index.name)): { \(fields.joined(separator: ", ")) }\n"
                }
            }
            let foreignKeys = table.foreignKeys.enumerated().filter { !inlineReference.contains($0.offset) }.map(\.element)
            if !foreignKeys.isEmpty {
                out += "    foreign_keys:\n"
                for fk in foreignKeys {
                    var target = fk.referencedTable
                    if !fk.referencedColumns.isEmpty { target += "(" + fk.referencedColumns.joined(separator: ", ") + ")" }
                    var fields = ["columns: [" + fk.columns.map(flowScalar).joined(separator: ", ") + "]", "references: " + flowScalar(target)]
                    if let action = fk.onDelete { fields.append("on_delete: " + flowScalar(action.rawValue.lowercased())) }
                    if let action = fk.onUpdate { fields.append("on_update: " + flowScalar(action.rawValue.lowercased())) }
                    if fk.deferrable?.uppercased() == "DEFERRABLE INITIALLY DEFERRED" { fields.append("deferrable: true") }
                    out += "      \(key(fk.effectiveName(table: table.name))): { \(fields.joined(separator: ", ")) }\n"
                }
            }
            if !table.checks.isEmpty {
                out += "    checks:\n"
                for (check, name) in zip(table.checks, table.checkNames) {
                    out += "      \(key(name)): \(scalar(check.expression))\n"
                }
            }
        }
        return out
    }

    static func keySQL(_ key: IndexKey) -> String {
        var sql = key.column.map(SQLIdentifier.quote) ?? key.expression
        if let collation = key.collation { sql += " collate " + SQLIdentifier.quote(collation) }
        if key.descending { sql += " desc" }
        return sql
    }

    static func key(_ name: String) -> String { scalar(name) }

    /// A YAML scalar in block context: plain when safe, else double-quoted with JSON-style escapes.
    static func scalar(_ text: String) -> String {
        scalar(text, flow: false)
    }

    /// A scalar inside `[...]` or `{...}`, where a comma ends it.
    static func flowScalar(_ text: String) -> String {
        scalar(text, flow: true)
    }

    static func scalar(_ text: String, flow: Bool) -> String {
        let punctuation = flow ? " _().'-" : " _(),.'-"
        let safe = text.unicodeScalars.allSatisfy { c in
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || punctuation.unicodeScalars.contains(c)
        }
        let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"]
        if safe, !text.isEmpty, !text.hasPrefix(" "), !text.hasSuffix(" "), !text.hasPrefix("'"), !text.hasPrefix("-"),
            !reserved.contains(text.lowercased()), Double(text) == nil
        {
            return text
        }
        var escaped = "\""
        for c in text.unicodeScalars {
            switch c {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case "\r": escaped += "\\r"
            default: escaped.unicodeScalars.append(c)
            }
        }
        return escaped + "\""
    }
}

extension String {
    /// `REFERENCES orgs (id) ON DELETE CASCADE` -> `references orgs (id) on delete cascade`.
    var lowercasedKeywords: String {
        guard let tokens = try? Lexer.tokenize(self) else { return self }
        return Expr.join(
            tokens.map { token in
                var t = token
                let keywords: Set<String> = [
                    "REFERENCES", "ON", "DELETE", "UPDATE", "CASCADE", "RESTRICT", "NO", "ACTION", "SET", "NULL",
                    "DEFAULT", "MATCH", "DEFERRABLE", "NOT", "INITIALLY", "DEFERRED", "IMMEDIATE",
                ]
                if t.kind == .word, keywords.contains(t.text.uppercased()) { t.text = t.text.lowercased() }
                return t
            })
    }
}
