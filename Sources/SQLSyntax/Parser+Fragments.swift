import SchemaModel

/// Parsers for pieces of SQL that appear outside statements: the column definitions,
/// expressions, index keys and references of desired-state YAML.
///
/// Locations in errors are relative to the fragment (line 1, column 1 is its first
/// character); callers add where the fragment sits in their file.
extension Parser {
    /// A column definition without its name: `text not null default 'x'`.
    public static func parseColumnDefinition(name: String, _ sql: String) throws(SQLSyntaxError) -> ColumnDef {
        let tokens = try Lexer.tokenize(sql)
        let nameToken = Token(
            kind: .quotedIdentifier, text: SQLIdentifier.doubleQuoted(name), location: SourceLocation(line: 1, column: 1), spaceBefore: false)
        var c = TokenCursor([nameToken] + tokens)
        let column = try parseColumnDefinition(&c)
        try expectEnd(c)
        return column
    }

    /// A whole expression: `status in ('a', 'b')`.
    public static func parseExpression(_ sql: String) throws(SQLSyntaxError) -> Expr {
        var c = TokenCursor(try Lexer.tokenize(sql))
        let expression = try parseExpression(&c, stopWords: [])
        try expectEnd(c)
        return expression
    }

    /// One index key: `email`, `lower(email)`, `created_at desc`, `name collate nocase`.
    public static func parseIndexKey(_ sql: String) throws(SQLSyntaxError) -> IndexedColumn {
        let tokens = try Lexer.tokenize(sql)
        let open = Token(kind: .symbol, text: "(", location: SourceLocation(line: 1, column: 1), spaceBefore: false)
        let end =
            tokens.last.map { SourceLocation(line: $0.location.line, column: $0.location.column + $0.text.unicodeScalars.count) }
            ?? SourceLocation(line: 1, column: 1)
        let close = Token(kind: .symbol, text: ")", location: end, spaceBefore: false)
        var c = TokenCursor([open] + tokens + [close], endLocation: end)
        let keys = try parseIndexedColumns(&c)
        try expectEnd(c)
        guard keys.count == 1 else {
            throw SQLSyntaxError(location: end, message: "expected one index key; list keys separately")
        }
        return keys[0]
    }

    /// A reference target with its actions: `orgs(id)`, `orgs (id) on delete cascade`.
    public static func parseReference(_ sql: String) throws(SQLSyntaxError) -> ForeignKeyReference {
        var c = TokenCursor(try Lexer.tokenize(sql))
        let reference = try parseReference(&c)
        try expectEnd(c)
        return reference
    }

    /// A referential action: `cascade`, `set null`, `no action`.
    public static func parseReferentialAction(_ sql: String) throws(SQLSyntaxError) -> ReferentialAction {
        var c = TokenCursor(try Lexer.tokenize(sql))
        let action = try parseAction(&c)
        try expectEnd(c)
        return action
    }

    private static func expectEnd(_ c: TokenCursor) throws(SQLSyntaxError) {
        if let extra = c.current {
            throw SQLSyntaxError(location: extra.location, message: "expected end of definition, found '\(extra.text)'")
        }
    }
}
