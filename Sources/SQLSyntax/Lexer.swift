import SchemaModel

/// Turns SQL source into tokens, skipping whitespace and comments.
///
/// Knows single-quoted strings (with `''` escapes and `E`/`X`/`B` prefixes), quoted
/// identifiers (`"x"`, `` `x` ``, `[x]`), `--` and nested `/* */` comments, numbers,
/// the `::` cast operator, parameters and PostgreSQL `$$` / `$tag$` bodies.
public struct Lexer {
    private let scalars: [Unicode.Scalar]
    /// The source's UTF-8 bytes and, per scalar, where it starts in them (one more entry
    /// for the end), so that a token's text is one slice of bytes.
    private let bytes: [UInt8]
    private let offsets: [Int]
    private var index = 0
    private var line = 1
    private var column = 1

    /// A lexer over `source`.
    public init(_ source: String) {
        scalars = Array(source.unicodeScalars)
        bytes = Array(source.utf8)
        var offsets: [Int] = []
        offsets.reserveCapacity(scalars.count + 1)
        var offset = 0
        for scalar in scalars {
            offsets.append(offset)
            offset += UTF8.width(scalar)
        }
        offsets.append(offset)
        self.offsets = offsets
    }

    /// Tokenizes the whole source.
    /// - Throws: `SQLSyntaxError` for an unterminated string, identifier, comment or body.
    public static func tokenize(_ source: String) throws(SQLSyntaxError) -> [Token] {
        var lexer = Lexer(source)
        var tokens: [Token] = []
        while let token = try lexer.next() {
            tokens.append(token)
        }
        return tokens
    }

    /// Returns the next token, or nil at the end of the source.
    public mutating func next() throws(SQLSyntaxError) -> Token? {
        let sawSpace = try skipTrivia()
        guard let c = peek() else { return nil }
        let start = SourceLocation(line: line, column: column)
        let startIndex = index
        let kind: Token.Kind

        switch c {
        case "'":
            try scanQuoted(closing: "'", what: "string", start: start)
            kind = .string
        case "\"":
            try scanQuoted(closing: "\"", what: "quoted identifier", start: start)
            kind = .quotedIdentifier
        case "`":
            try scanQuoted(closing: "`", what: "quoted identifier", start: start)
            kind = .quotedIdentifier
        case "[":
            // SQLite accepts [name] as a quoted identifier; PostgreSQL uses [ ] for arrays.
            if let close = scalars[index...].firstIndex(of: "]"),
                scalars[(index + 1)..<close].allSatisfy({ isIdentifierPart($0) || $0 == " " }),
                close > index + 1
            {
                while index <= close { advance() }
                kind = .quotedIdentifier
            } else {
                advance()
                kind = .symbol
            }
        case "$":
            if let tagEnd = dollarTagEnd() {
                try scanDollarBody(tagEnd: tagEnd, start: start)
                kind = .dollarString
            } else {
                advance()
                while let d = peek(), d.properties.numericType != nil { advance() }
                kind = index - startIndex > 1 ? .parameter : .symbol
            }
        case "?":
            advance()
            while let d = peek(), isDigit(d) { advance() }
            kind = .parameter
        case ":" where peek(1) == ":":
            advance()
            advance()
            kind = .symbol
        case ":", "@":
            if let n = peek(1), isIdentifierStart(n) {
                advance()
                while let d = peek(), isIdentifierPart(d) { advance() }
                kind = .parameter
            } else {
                advance()
                kind = .symbol
            }
        case _ where isDigit(c) || (c == "." && peek(1).map(isDigit) == true):
            scanNumber()
            kind = .number
        case _ where isIdentifierStart(c):
            if "eExXbBnN".unicodeScalars.contains(c), peek(1) == "'" {
                advance()
                try scanQuoted(closing: "'", what: "string", start: start)
                kind = .string
            } else {
                while let d = peek(), isIdentifierPart(d) { advance() }
                kind = .word
            }
        default:
            scanOperator()
            kind = .symbol
        }
        let text = String(decoding: bytes[offsets[startIndex]..<offsets[index]], as: UTF8.self)
        return Token(kind: kind, text: text, location: start, spaceBefore: sawSpace, range: offsets[startIndex]..<offsets[index])
    }

    // MARK: - Scanning helpers

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let i = index + offset
        return i < scalars.count ? scalars[i] : nil
    }

    private mutating func advance() {
        if scalars[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    /// Skips whitespace and comments; returns whether anything was skipped.
    private mutating func skipTrivia() throws(SQLSyntaxError) -> Bool {
        let begin = index
        while let c = peek() {
            if c == " " || c == "\n" || c == "\t" || c == "\r" || (c.value > 0x7F && c.properties.isWhitespace) || c == "\u{0B}" || c == "\u{0C}" {
                advance()
            } else if c == "-", peek(1) == "-" {
                while let d = peek(), d != "\n" { advance() }
            } else if c == "/", peek(1) == "*" {
                let start = SourceLocation(line: line, column: column)
                advance()
                advance()
                var depth = 1
                while depth > 0 {
                    guard let d = peek() else {
                        throw SQLSyntaxError(location: start, message: "unterminated /* comment; expected */")
                    }
                    if d == "*", peek(1) == "/" {
                        depth -= 1
                        advance()
                        advance()
                    } else if d == "/", peek(1) == "*" {
                        depth += 1
                        advance()
                        advance()
                    } else {
                        advance()
                    }
                }
            } else {
                break
            }
        }
        return index > begin
    }

    private mutating func scanQuoted(closing: Unicode.Scalar, what: String, start: SourceLocation) throws(SQLSyntaxError) {
        advance()
        while true {
            guard let c = peek() else {
                throw SQLSyntaxError(location: start, message: "unterminated \(what); expected closing \(closing)")
            }
            advance()
            if c == closing {
                if peek() == closing { advance() } else { return }
            }
        }
    }

    /// If a `$tag$` opener starts here, the index just past it.
    private func dollarTagEnd() -> Int? {
        var i = index + 1
        while i < scalars.count, scalars[i] != "$" {
            guard isIdentifierPart(scalars[i]), !(i == index + 1 && isDigit(scalars[i])) else { return nil }
            i += 1
        }
        return i < scalars.count ? i + 1 : nil
    }

    private mutating func scanDollarBody(tagEnd: Int, start: SourceLocation) throws(SQLSyntaxError) {
        let tag = Array(scalars[index..<tagEnd])
        while index < tagEnd { advance() }
        while index < scalars.count {
            if scalars[index] == "$", index + tag.count <= scalars.count,
                Array(scalars[index..<(index + tag.count)]) == tag
            {
                for _ in 0..<tag.count { advance() }
                return
            }
            advance()
        }
        let tagText = String(String.UnicodeScalarView(tag))
        throw SQLSyntaxError(location: start, message: "unterminated \(tagText) body; expected closing \(tagText)")
    }

    private mutating func scanNumber() {
        if peek() == "0", let x = peek(1), x == "x" || x == "X" {
            advance()
            advance()
            while let d = peek(), d.properties.isASCIIHexDigit { advance() }
            return
        }
        while let d = peek(), isDigit(d) || d == "_" { advance() }
        if peek() == ".", peek(1) != "." {
            advance()
            while let d = peek(), isDigit(d) { advance() }
        }
        if let e = peek(), e == "e" || e == "E" {
            let sign = peek(1)
            if let s = sign, isDigit(s) {
                advance()
            } else if sign == "+" || sign == "-", let d = peek(2), isDigit(d) {
                advance()
                advance()
            } else {
                return
            }
            while let d = peek(), isDigit(d) { advance() }
        }
    }

    private static let twoCharOperators: Set<String> = [
        "||", "<=", ">=", "<>", "!=", "==", "->", "<<", ">>", "=>", "@>", "<@", "&&", "##", "#>", "~~", "!~",
    ]

    private mutating func scanOperator() {
        if let a = peek(), let b = peek(1), Self.twoCharOperators.contains(String(a) + String(b)) {
            advance()
            advance()
            if a == "-", b == ">", peek() == ">" { advance() }  // ->>
            if a == "#", b == ">", peek() == ">" { advance() }  // #>>
            return
        }
        advance()
    }

    private func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    private func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c.value > 0x7F && c.properties.isAlphabetic
    }

    private func isIdentifierPart(_ c: Unicode.Scalar) -> Bool {
        isIdentifierStart(c) || isDigit(c) || c == "$" || (c.value > 0x7F && !c.properties.isWhitespace)
    }
}
