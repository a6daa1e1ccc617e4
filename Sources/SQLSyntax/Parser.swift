import SchemaModel

/// A statement together with where it came from.
public struct ParsedStatement: Sendable, Hashable {
    /// The statement.
    public var statement: SQLStatement
    /// Its text and tokens.
    public var source: StatementSource

    /// Where it starts.
    public var location: SourceLocation { source.location }

    /// A parsed statement.
    public init(statement: SQLStatement, source: StatementSource) {
        self.statement = statement
        self.source = source
    }
}

/// Parses migration SQL into statements (DESIGN.md section 4).
///
/// DDL is parsed fully; any other statement becomes `.other` and is passed through.
/// Errors carry the line and column of the offending token and say what was expected.
public enum Parser {
    /// Splits and parses a whole file.
    /// - Parameter file: the file name errors should name.
    public static func parse(_ sql: String, file: String? = nil) throws(SQLSyntaxError) -> [ParsedStatement] {
        do {
            return try StatementSplitter.split(sql).map { source throws(SQLSyntaxError) in
                ParsedStatement(statement: try parse(source), source: source)
            }
        } catch {
            throw file.map { error.in(file: $0) } ?? error
        }
    }

    /// Parses one statement.
    public static func parse(_ source: StatementSource) throws(SQLSyntaxError) -> SQLStatement {
        var cursor = TokenCursor(source.tokens)
        cursor.sourceBytes = Array(source.text.utf8)
        cursor.sourceOffset = source.tokens.first?.range.lowerBound ?? 0
        let statement: SQLStatement?
        if cursor.isWord("CREATE") {
            statement = try parseCreate(&cursor)
        } else if cursor.isWord("DROP") {
            statement = try parseDrop(&cursor)
        } else if cursor.isWord("ALTER") && cursor.isWord("TABLE", at: 1) && !Self.isTableSetting(source.tokens) {
            statement = try parseAlterTable(&cursor)
        } else if cursor.isWord("TRUNCATE") {
            statement = try parseTruncate(&cursor)
        } else {
            statement = nil
        }
        if let statement {
            if let extra = cursor.current {
                throw SQLSyntaxError(location: extra.location, message: "expected end of statement, found '\(extra.text)'")
            }
            return statement
        }
        return .other(PassThrough(kind: passThroughKind(source.tokens), tokens: source.tokens, text: source.text))
    }

    /// `ALTER TABLE ... {ENABLE|DISABLE|FORCE} ROW LEVEL SECURITY`, `... OWNER TO` and the
    /// identity clauses of `ALTER COLUMN` (`IdentityChange`):
    /// settings of a table that pass through (`ObjectStatement` reads them).
    static func isTableSetting(_ tokens: [Token]) -> Bool {
        for i in tokens.indices.dropLast() {
            if tokens[i].isWord("OWNER") && tokens[i + 1].isWord("TO") { return true }
            if tokens[i].isWord("LEVEL") && tokens[i + 1].isWord("SECURITY") && i > 0 && tokens[i - 1].isWord("ROW") { return true }
            if IdentityChange.words.contains(where: { tokens[i].isWord($0.0) && tokens[i + 1].isWord($0.1) }) { return true }
        }
        return false
    }

    /// `INSERT`, `CREATE VIEW`, `CREATE TRIGGER`, `DROP VIEW`, ...
    static func passThroughKind(_ tokens: [Token]) -> String {
        guard let first = tokens.first, first.kind == .word else { return tokens.first?.text ?? "" }
        let head = first.text.uppercased()
        guard ["CREATE", "DROP", "ALTER"].contains(head) else { return head }
        let skip: Set<String> = ["OR", "REPLACE", "TEMP", "TEMPORARY", "UNIQUE", "MATERIALIZED", "UNLOGGED", "GLOBAL", "LOCAL"]
        for token in tokens.dropFirst() where token.kind == .word && !skip.contains(token.text.uppercased()) {
            return head + " " + token.text.uppercased()
        }
        return head
    }

    // MARK: CREATE

    private static func parseCreate(_ c: inout TokenCursor) throws(SQLSyntaxError) -> SQLStatement? {
        let start = c.position
        c.position += 1
        let temporary = c.accept("TEMP") || c.accept("TEMPORARY")
        if c.accept("TABLE") {
            let ifNotExists = c.accept("IF", "NOT", "EXISTS")
            var table = CreateTable(name: try c.qualifiedName("table name"))
            table.temporary = temporary
            table.ifNotExists = ifNotExists
            if c.isWord("AS") || !c.isSymbol("(") {
                // CREATE TABLE ... AS SELECT, PARTITION OF, ...: passed through.
                c.position = start
                return nil
            }
            try parseTableBody(&c, into: &table)
            return .createTable(table)
        }
        let unique = c.accept("UNIQUE")
        if !temporary && c.accept("INDEX") {
            var index = CreateIndex(name: nil, table: QualifiedName(name: ""))
            index.unique = unique
            index.concurrently = c.accept("CONCURRENTLY")
            index.ifNotExists = c.accept("IF", "NOT", "EXISTS")
            if !c.isWord("ON") {
                index.name = try c.qualifiedName("index name")
            }
            try c.expect("ON")
            _ = c.accept("ONLY")
            index.table = try c.qualifiedName("table name")
            if c.accept("USING") {
                index.method = try c.identifier("index method")
            }
            index.columns = try parseIndexedColumns(&c)
            if c.accept("INCLUDE") {
                index.include = try c.identifierList("column name")
            }
            var options: [Token] = []
            while let token = c.current, !token.isWord("WHERE") {
                options.append(token)
                c.position += 1
            }
            if !options.isEmpty { index.options = Expr(tokens: options) }
            if c.accept("WHERE") {
                index.predicate = try parseExpression(&c, stopWords: [])
            }
            return .createIndex(index)
        }
        c.position = start
        return nil
    }

    /// Words a table option after `CREATE TABLE t (...)` starts with, in SQLite or PostgreSQL.
    static let tableOptionWords = ["WITHOUT", "STRICT", "PARTITION", "INHERITS", "WITH", "TABLESPACE", "USING", "ON"]

    /// `( column | constraint, ... ) [options]`
    private static func parseTableBody(_ c: inout TokenCursor, into table: inout CreateTable) throws(SQLSyntaxError) {
        try c.expectSymbol("(")
        repeat {
            let start = c.position
            if isTableConstraintStart(c) {
                var constraint = try parseTableConstraint(&c)
                constraint.source = c.text(from: start, to: c.position)
                table.constraints.append(constraint)
            } else {
                var column = try parseColumnDefinition(&c)
                column.source = c.text(from: start, to: c.position)
                table.columns.append(column)
            }
        } while c.acceptSymbol(",")
        try c.expectSymbol(")")
        if let first = c.current, !tableOptionWords.contains(where: { first.isWord($0) }) {
            throw c.error(
                expected: "end of statement or a table option (WITHOUT ROWID, STRICT, PARTITION BY, INHERITS, WITH, TABLESPACE, USING, ON COMMIT)")
        }
        var option: [Token] = []
        while let token = c.advance() {
            if token.isSymbol(",") {
                table.options.append(Expr.join(option))
                option = []
            } else {
                option.append(token)
            }
        }
        if !option.isEmpty { table.options.append(Expr.join(option)) }
    }

    // MARK: DROP

    private static func parseDrop(_ c: inout TokenCursor) throws(SQLSyntaxError) -> SQLStatement? {
        if c.isWord("TABLE", at: 1) {
            c.position += 2
            var drop = DropTable(names: [])
            drop.ifExists = c.accept("IF", "EXISTS")
            drop.names = try nameList(&c, "table name")
            drop.cascade = parseCascade(&c)
            return .dropTable(drop)
        }
        if c.isWord("INDEX", at: 1) {
            c.position += 2
            var drop = DropIndex(names: [])
            drop.concurrently = c.accept("CONCURRENTLY")
            drop.ifExists = c.accept("IF", "EXISTS")
            drop.names = try nameList(&c, "index name")
            drop.cascade = parseCascade(&c)
            return .dropIndex(drop)
        }
        return nil
    }

    private static func nameList(_ c: inout TokenCursor, _ what: String) throws(SQLSyntaxError) -> [QualifiedName] {
        var names = [try c.qualifiedName(what)]
        while c.acceptSymbol(",") { names.append(try c.qualifiedName(what)) }
        return names
    }

    private static func parseCascade(_ c: inout TokenCursor) -> Bool {
        if c.accept("CASCADE") { return true }
        _ = c.accept("RESTRICT")
        return false
    }

    // MARK: TRUNCATE

    private static func parseTruncate(_ c: inout TokenCursor) throws(SQLSyntaxError) -> SQLStatement {
        c.position += 1
        _ = c.accept("TABLE")
        _ = c.accept("ONLY")
        var truncate = Truncate(tables: try nameList(&c, "table name"))
        _ = c.accept("RESTART", "IDENTITY") || c.accept("CONTINUE", "IDENTITY")
        truncate.cascade = parseCascade(&c)
        return .truncate(truncate)
    }
}
