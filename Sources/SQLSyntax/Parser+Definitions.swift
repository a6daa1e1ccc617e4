import SchemaModel

extension Parser {
    /// Words that end a type name or a DEFAULT expression inside a column definition.
    static let columnStopWords: Set<String> = [
        "CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE",
        "REFERENCES", "GENERATED", "AS", "USING", "ON", "AUTOINCREMENT",
    ]

    static func isTableConstraintStart(_ c: TokenCursor) -> Bool {
        ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE"].contains { c.isWord($0) }
            && !(c.isWord("UNIQUE") && !c.isSymbol("(", at: 1) && !c.isWord("NULLS", at: 1))
    }

    // MARK: Columns

    /// `name [type] [constraint ...]`
    static func parseColumnDefinition(_ c: inout TokenCursor) throws(SQLSyntaxError) -> ColumnDef {
        let name = try c.identifier("column name")
        var type: DataType?
        if let token = c.current, token.kind == .word, !columnStopWords.contains(token.text.uppercased()) {
            type = try parseDataType(&c)
        }
        var column = ColumnDef(name: name, type: type)
        while let constraint = try parseColumnConstraint(&c) {
            column.constraints.append(constraint)
        }
        return column
    }

    private static func parseColumnConstraint(_ c: inout TokenCursor) throws(SQLSyntaxError) -> ColumnConstraint? {
        var name: String?
        if c.accept("CONSTRAINT") {
            name = try c.identifier("constraint name")
        }
        let kind: ColumnConstraint.Kind
        if c.accept("PRIMARY", "KEY") {
            let descending = c.accept("DESC")
            if !descending { _ = c.accept("ASC") }
            let conflict = try parseOnConflict(&c)
            kind = .primaryKey(descending: descending, onConflict: conflict, autoincrement: c.accept("AUTOINCREMENT"))
        } else if c.accept("NOT", "NULL") {
            kind = .notNull(onConflict: try parseOnConflict(&c))
        } else if c.accept("NULL") {
            kind = .null
        } else if c.accept("UNIQUE") {
            kind = .unique(onConflict: try parseOnConflict(&c))
        } else if c.accept("CHECK") {
            kind = .check(try parseParenthesized(&c))
        } else if c.accept("DEFAULT") {
            kind = .default(try parseExpression(&c, stopWords: columnStopWords))
        } else if c.accept("COLLATE") {
            kind = .collate(try c.identifier("collation name"))
        } else if c.accept("REFERENCES") {
            kind = .references(try parseReference(&c))
        } else if c.isWord("GENERATED") || c.isWord("AS") {
            if c.accept("GENERATED") {
                if c.isWord("BY") || (c.isWord("ALWAYS") && c.isWord("AS", at: 1) && c.isWord("IDENTITY", at: 2)) {
                    let always = c.accept("ALWAYS")
                    if !always { try c.expect("BY", "DEFAULT") }
                    try c.expect("AS", "IDENTITY")
                    let options = c.isSymbol("(") ? try parseParenthesized(&c) : nil
                    return ColumnConstraint(name: name, kind: .identity(always: always, options: options))
                }
                try c.expect("ALWAYS")
            }
            try c.expect("AS")
            let expression = try parseParenthesized(&c)
            let stored = c.accept("STORED")
            if !stored { _ = c.accept("VIRTUAL") }
            kind = .generated(expression, stored: stored)
        } else {
            if name != nil { throw c.error(expected: "a constraint after CONSTRAINT name") }
            return nil
        }
        return ColumnConstraint(name: name, kind: kind)
    }

    /// SQLite's `ON CONFLICT ROLLBACK|ABORT|FAIL|IGNORE|REPLACE`.
    private static func parseOnConflict(_ c: inout TokenCursor) throws(SQLSyntaxError) -> String? {
        guard c.accept("ON", "CONFLICT") else { return nil }
        return try c.identifier("ROLLBACK, ABORT, FAIL, IGNORE or REPLACE").uppercased()
    }

    // MARK: Table constraints

    static func parseTableConstraint(_ c: inout TokenCursor) throws(SQLSyntaxError) -> TableConstraint {
        var name: String?
        if c.accept("CONSTRAINT") {
            name = try c.identifier("constraint name")
        }
        let start = c.position
        let kind: TableConstraint.Kind
        if c.isWord("EXCLUDE") || (c.isWord("UNIQUE") && c.isWord("NULLS", at: 1)) {
            kind = .other(otherConstraint(&c, from: start))
        } else if c.isWord("PRIMARY") && c.isWord("KEY", at: 1) && c.isWord("USING", at: 2) && c.isWord("INDEX", at: 3)
            || c.isWord("UNIQUE") && c.isWord("USING", at: 1) && c.isWord("INDEX", at: 2)
        {
            let primary = c.accept("PRIMARY", "KEY")
            if !primary { _ = c.accept("UNIQUE") }
            _ = c.accept("USING", "INDEX")
            var constraint = TableConstraint(name: name, kind: primary ? .primaryKey([], onConflict: nil) : .unique([], onConflict: nil))
            constraint.usingIndex = try c.identifier("index name")
            return constraint
        } else if c.accept("PRIMARY", "KEY") {
            let columns = try parseIndexedColumns(&c)
            let conflict = try parseOnConflict(&c)
            kind = hasKeyOptions(c) ? .other(otherConstraint(&c, from: start)) : .primaryKey(columns, onConflict: conflict)
        } else if c.accept("UNIQUE") {
            let columns = try parseIndexedColumns(&c)
            let conflict = try parseOnConflict(&c)
            kind = hasKeyOptions(c) ? .other(otherConstraint(&c, from: start)) : .unique(columns, onConflict: conflict)
        } else if c.accept("CHECK") {
            kind = .check(try parseParenthesized(&c))
        } else if c.accept("FOREIGN", "KEY") {
            let columns = try c.identifierList("column name")
            try c.expect("REFERENCES")
            kind = .foreignKey(columns: columns, try parseReference(&c))
        } else {
            throw c.error(expected: "PRIMARY KEY, UNIQUE, CHECK or FOREIGN KEY")
        }
        return TableConstraint(name: name, kind: kind, notValid: c.accept("NOT", "VALID"))
    }

    /// Whether a key's columns are followed by what only PostgreSQL's key has:
    /// `DEFERRABLE`, `INITIALLY`, `INCLUDE`, `WITH (...)`, `USING INDEX TABLESPACE`.
    static func hasKeyOptions(_ c: TokenCursor) -> Bool {
        ["DEFERRABLE", "INITIALLY", "INCLUDE", "WITH", "USING"].contains { c.isWord($0) } || (c.isWord("NOT") && c.isWord("DEFERRABLE", at: 1))
    }

    /// The constraint from `start` to the `,` or `)` that ends it, as written (NOT VALID aside).
    static func otherConstraint(_ c: inout TokenCursor, from start: Int) -> Expr {
        c.position = start
        var depth = 0
        var tokens: [Token] = []
        while let token = c.current {
            if depth == 0, token.isSymbol(",") || token.isSymbol(")") || (token.isWord("NOT") && c.isWord("VALID", at: 1)) { break }
            if token.isSymbol("(") { depth += 1 }
            if token.isSymbol(")") { depth -= 1 }
            tokens.append(token)
            c.position += 1
        }
        return Expr(tokens: tokens)
    }

    /// `table [(columns)] [MATCH x] [ON DELETE a] [ON UPDATE a] [[NOT] DEFERRABLE [INITIALLY x]]`
    static func parseReference(_ c: inout TokenCursor) throws(SQLSyntaxError) -> ForeignKeyReference {
        var reference = ForeignKeyReference(table: try c.qualifiedName("referenced table name"), columns: [])
        if c.isSymbol("(") {
            reference.columns = try c.identifierList("referenced column name")
        }
        while true {
            if c.accept("ON", "DELETE") {
                reference.onDelete = try parseAction(&c)
            } else if c.accept("ON", "UPDATE") {
                reference.onUpdate = try parseAction(&c)
            } else if c.accept("MATCH") {
                reference.match = try c.identifier("FULL, PARTIAL or SIMPLE").uppercased()
            } else if c.isWord("DEFERRABLE") || (c.isWord("NOT") && c.isWord("DEFERRABLE", at: 1)) {
                var words: [String] = []
                if c.accept("NOT") { words.append("NOT") }
                try c.expect("DEFERRABLE")
                words.append("DEFERRABLE")
                if c.accept("INITIALLY") {
                    let when = try c.identifier("DEFERRED or IMMEDIATE").uppercased()
                    guard when == "DEFERRED" || when == "IMMEDIATE" else {
                        c.position -= 1
                        throw c.error(expected: "DEFERRED or IMMEDIATE")
                    }
                    words += ["INITIALLY", when]
                }
                reference.deferrable = words.joined(separator: " ")
            } else {
                return reference
            }
        }
    }

    static func parseAction(_ c: inout TokenCursor) throws(SQLSyntaxError) -> ReferentialAction {
        if c.accept("CASCADE") { return .cascade }
        if c.accept("RESTRICT") { return .restrict }
        if c.accept("NO", "ACTION") { return .noAction }
        if c.accept("SET", "NULL") { return .setNull }
        if c.accept("SET", "DEFAULT") { return .setDefault }
        throw c.error(expected: "CASCADE, RESTRICT, NO ACTION, SET NULL or SET DEFAULT")
    }

    // MARK: Types

    /// `word [word ...] [(args)] [with|without time zone] [[] ...]`
    static func parseDataType(_ c: inout TokenCursor) throws(SQLSyntaxError) -> DataType {
        var words: [String] = []
        while let token = c.current {
            let upper = token.text.uppercased()
            let isTypeWord =
                token.kind == .word && !columnStopWords.contains(upper)
                && !["WITH", "WITHOUT", "CONCURRENTLY"].contains(upper)
            let isQuotedName = token.kind == .quotedIdentifier && words.isEmpty
            guard isTypeWord || isQuotedName else { break }
            words.append(token.identifierValue ?? token.text)
            c.position += 1
        }
        guard !words.isEmpty else { throw c.error(expected: "column type") }
        var arguments: [String] = []
        if c.acceptSymbol("(") {
            repeat {
                var argument = ""
                if c.isSymbol("-") || c.isSymbol("+") { argument = c.advance()?.text ?? "" }
                guard let token = c.current, token.kind == .number || token.kind == .word || token.kind == .string else {
                    throw c.error(expected: "type modifier")
                }
                c.position += 1
                arguments.append(argument + token.text)
            } while c.acceptSymbol(",")
            try c.expectSymbol(")")
        }
        for zone in ["WITH", "WITHOUT"] where c.isWord(zone) && c.isWord("TIME", at: 1) && c.isWord("ZONE", at: 2) {
            c.position += 3
            words += [zone.lowercased(), "time", "zone"]
        }
        var dimensions = 0
        while c.isSymbol("[") {
            c.position += 1
            if c.current?.kind == .number { c.position += 1 }
            try c.expectSymbol("]")
            dimensions += 1
        }
        return DataType(name: words.joined(separator: " "), arguments: arguments, arrayDimensions: dimensions)
    }

    // MARK: Expressions

    /// `( expr )`, returning the inner expression.
    static func parseParenthesized(_ c: inout TokenCursor) throws(SQLSyntaxError) -> Expr {
        try c.expectSymbol("(")
        let expression = try parseExpression(&c, stopWords: [])
        try c.expectSymbol(")")
        return expression
    }

    /// Tokens up to a `,` or `)` at depth zero, the end, or (after the first token) a stop word.
    static func parseExpression(_ c: inout TokenCursor, stopWords: Set<String>) throws(SQLSyntaxError) -> Expr {
        var tokens: [Token] = []
        var depth = 0
        var caseDepth = 0
        while let token = c.current {
            if depth == 0 && (token.isSymbol(",") || token.isSymbol(")")) { break }
            if depth == 0, caseDepth == 0, !tokens.isEmpty, token.kind == .word, stopWords.contains(token.text.uppercased()) {
                // `DEFAULT x NOT NULL` ends at NOT, but `IS NOT NULL` inside the expression does not.
                let continuesIsNull =
                    (token.isWord("NOT") || token.isWord("NULL"))
                    && (tokens.last?.isWord("IS") == true || tokens.last?.isWord("NOT") == true)
                if !continuesIsNull { break }
            }
            if token.isSymbol("(") || token.isSymbol("[") { depth += 1 }
            if token.isSymbol(")") || token.isSymbol("]") { depth -= 1 }
            if token.isWord("CASE") { caseDepth += 1 }
            if token.isWord("END"), caseDepth > 0 { caseDepth -= 1 }
            tokens.append(token)
            c.position += 1
        }
        guard !tokens.isEmpty else { throw c.error(expected: "expression") }
        if depth > 0 { throw c.error(expected: "')' to close the expression") }
        if let last = tokens.last, last.kind == .symbol, !last.isSymbol(")"), !last.isSymbol("]"), !last.isSymbol("*") {
            throw c.error(expected: "an operand after '\(last.text)'")
        }
        return Expr(tokens: tokens)
    }

    /// `( key [COLLATE c] [ASC|DESC] [NULLS FIRST|LAST], ... )`
    static func parseIndexedColumns(_ c: inout TokenCursor) throws(SQLSyntaxError) -> [IndexedColumn] {
        try c.expectSymbol("(")
        var columns: [IndexedColumn] = []
        repeat {
            let expression = try parseExpression(&c, stopWords: ["COLLATE", "ASC", "DESC", "NULLS"])
            var column = IndexedColumn(expression: expression)
            if c.accept("COLLATE") {
                column.collation = try c.identifier("collation name")
            }
            if c.accept("DESC") {
                column.descending = true
            } else {
                _ = c.accept("ASC")
            }
            if c.accept("NULLS") {
                column.nulls = try c.identifier("FIRST or LAST").uppercased()
            }
            columns.append(column)
        } while c.acceptSymbol(",")
        try c.expectSymbol(")")
        return columns
    }
}
