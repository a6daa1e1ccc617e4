extension Parser {
    /// `ALTER TABLE [IF EXISTS] [ONLY] name action [, action ...] [CONCURRENTLY]`
    ///
    /// Returns nil (pass the statement through) when the first action is not one the
    /// planner and engines model, e.g. `OWNER TO` or `ENABLE TRIGGER`.
    static func parseAlterTable(_ c: inout TokenCursor) throws(SQLSyntaxError) -> SQLStatement? {
        let start = c.position
        c.position += 2
        var alter = AlterTable(table: QualifiedName(name: ""))
        alter.ifExists = c.accept("IF", "EXISTS")
        _ = c.accept("ONLY")
        alter.table = try c.qualifiedName("table name")

        // The seed's trailing CONCURRENTLY applies to the whole statement.
        var tokens = c.tokens
        if tokens.last?.isWord("CONCURRENTLY") == true, tokens.count > c.position + 1 {
            tokens.removeLast()
            alter.concurrently = true
        }
        var body = TokenCursor(tokens, endLocation: c.endLocation)
        body.position = c.position
        guard isModelledAlterAction(body) else {
            c.position = start
            return nil
        }
        repeat {
            alter.actions.append(try parseAlterAction(&body))
        } while body.acceptSymbol(",")
        if let extra = body.current {
            throw SQLSyntaxError(location: extra.location, message: "expected ',' or end of statement, found '\(extra.text)'")
        }
        c.position = c.tokens.count
        return .alterTable(alter)
    }

    private static func isModelledAlterAction(_ c: TokenCursor) -> Bool {
        if c.isWord("RENAME") { return !c.isWord("CONSTRAINT", at: 1) }
        return ["ADD", "DROP", "ALTER", "VALIDATE"].contains { c.isWord($0) }
    }

    private static func parseAlterAction(_ c: inout TokenCursor) throws(SQLSyntaxError) -> AlterTableAction {
        if c.accept("ADD") {
            if isTableConstraintStart(c) {
                return .addConstraint(try parseTableConstraint(&c))
            }
            _ = c.accept("COLUMN")
            let ifNotExists = c.accept("IF", "NOT", "EXISTS")
            return .addColumn(try parseColumnDefinition(&c), ifNotExists: ifNotExists)
        }
        if c.accept("DROP") {
            if c.accept("CONSTRAINT") {
                let ifExists = c.accept("IF", "EXISTS")
                let name = try c.identifier("constraint name")
                return .dropConstraint(name, ifExists: ifExists, cascade: parseCascadeFlag(&c))
            }
            _ = c.accept("COLUMN")
            let ifExists = c.accept("IF", "EXISTS")
            let name = try c.identifier("column name")
            return .dropColumn(name, ifExists: ifExists, cascade: parseCascadeFlag(&c))
        }
        if c.accept("RENAME") {
            if c.accept("TO") {
                return .renameTable(to: try c.identifier("new table name"))
            }
            _ = c.accept("COLUMN")
            let from = try c.identifier("column name")
            try c.expect("TO")
            return .renameColumn(from: from, to: try c.identifier("new column name"))
        }
        if c.accept("VALIDATE") {
            try c.expect("CONSTRAINT")
            return .validateConstraint(try c.identifier("constraint name"))
        }
        try c.expect("ALTER")
        _ = c.accept("COLUMN")
        let column = try c.identifier("column name")
        if c.accept("TYPE") || c.accept("SET", "DATA", "TYPE") {
            let type = try parseDataType(&c)
            let collation = c.accept("COLLATE") ? try c.identifier("collation name") : nil
            let using = c.accept("USING") ? try parseExpression(&c, stopWords: []) : nil
            return .alterColumnType(column: column, type: type, collation: collation, using: using)
        }
        if c.accept("SET", "DEFAULT") {
            return .setDefault(column: column, try parseExpression(&c, stopWords: []))
        }
        if c.accept("DROP", "DEFAULT") { return .dropDefault(column: column) }
        if c.accept("SET", "NOT", "NULL") { return .setNotNull(column: column) }
        if c.accept("DROP", "NOT", "NULL") { return .dropNotNull(column: column) }
        throw c.error(expected: "TYPE, SET DEFAULT, DROP DEFAULT, SET NOT NULL or DROP NOT NULL")
    }

    private static func parseCascadeFlag(_ c: inout TokenCursor) -> Bool {
        if c.accept("CASCADE") { return true }
        _ = c.accept("RESTRICT")
        return false
    }
}
