import SchemaModel

/// A read position over one statement's tokens, with the small vocabulary the parser uses.
struct TokenCursor {
    let tokens: [Token]
    var position = 0
    /// Where an error "at the end of the statement" points: just past the last token.
    let endLocation: SourceLocation

    /// The statement's text (UTF-8) and the offset of its first byte in the file, so that
    /// parts of it can be kept exactly as written (`text(from:to:)`).
    var sourceBytes: [UInt8] = []
    var sourceOffset = 0

    init(_ tokens: [Token], endLocation: SourceLocation? = nil) {
        self.tokens = tokens
        if let endLocation {
            self.endLocation = endLocation
        } else if let last = tokens.last {
            self.endLocation = SourceLocation(line: last.location.line, column: last.location.column + last.text.unicodeScalars.count)
        } else {
            self.endLocation = SourceLocation(line: 1, column: 1)
        }
    }

    /// The source of tokens `from..<to` exactly as written (comments and spacing
    /// included), or re-spaced from the tokens when the text is not at hand.
    func text(from start: Int, to end: Int) -> String {
        guard start < end, end <= tokens.count else { return "" }
        let lower = tokens[start].range.lowerBound - sourceOffset
        let upper = tokens[end - 1].range.upperBound - sourceOffset
        if lower >= 0, lower < upper, upper <= sourceBytes.count, !tokens[start].range.isEmpty {
            return String(decoding: sourceBytes[lower..<upper], as: UTF8.self)
        }
        return Expr.join(Array(tokens[start..<end]))
    }

    var isAtEnd: Bool { position >= tokens.count }
    var current: Token? { position < tokens.count ? tokens[position] : nil }

    func peek(_ offset: Int = 0) -> Token? {
        let i = position + offset
        return i < tokens.count ? tokens[i] : nil
    }

    func isWord(_ word: String, at offset: Int = 0) -> Bool { peek(offset)?.isWord(word) == true }
    func isSymbol(_ symbol: String, at offset: Int = 0) -> Bool { peek(offset)?.isSymbol(symbol) == true }

    mutating func advance() -> Token? {
        defer { position += 1 }
        return current
    }

    /// Consumes the words if they all come next.
    mutating func accept(_ words: String...) -> Bool {
        for (i, word) in words.enumerated() where !isWord(word, at: i) { return false }
        position += words.count
        return true
    }

    mutating func acceptSymbol(_ symbol: String) -> Bool {
        guard isSymbol(symbol) else { return false }
        position += 1
        return true
    }

    mutating func expect(_ words: String...) throws(SQLSyntaxError) {
        for word in words {
            guard isWord(word) else { throw error(expected: word) }
            position += 1
        }
    }

    mutating func expectSymbol(_ symbol: String) throws(SQLSyntaxError) {
        guard acceptSymbol(symbol) else { throw error(expected: "'\(symbol)'") }
    }

    /// A bare word or a quoted identifier.
    /// A name: a bare word, a quoted identifier, or (as SQLite accepts one where a name
    /// is expected) a single-quoted string: `CREATE TABLE 'Artist'`.
    mutating func identifier(_ what: String) throws(SQLSyntaxError) -> String {
        guard let token = current, let value = token.identifierValue ?? token.singleQuotedName else { throw error(expected: what) }
        position += 1
        return value
    }

    mutating func qualifiedName(_ what: String) throws(SQLSyntaxError) -> QualifiedName {
        let first = try identifier(what)
        if acceptSymbol(".") {
            return QualifiedName(schema: first, name: try identifier(what))
        }
        return QualifiedName(name: first)
    }

    /// `( a, b, c )`
    mutating func identifierList(_ what: String) throws(SQLSyntaxError) -> [String] {
        try expectSymbol("(")
        var names = [try identifier(what)]
        while acceptSymbol(",") { names.append(try identifier(what)) }
        try expectSymbol(")")
        return names
    }

    /// An error at the current token (or the end), saying what was expected and what was found.
    func error(expected: String) -> SQLSyntaxError {
        if let token = current {
            return SQLSyntaxError(location: token.location, message: "expected \(expected), found '\(token.text)'")
        }
        return SQLSyntaxError(location: endLocation, message: "expected \(expected), found end of statement")
    }

    func error(_ message: String) -> SQLSyntaxError {
        SQLSyntaxError(location: current?.location ?? endLocation, message: message)
    }
}
