import SchemaModel

/// One statement of a SQL file: its exact source text and its tokens.
public struct StatementSource: Sendable, Hashable {
    /// A statement's text and tokens.
    public init(text: String, tokens: [Token]) {
        self.text = text
        self.tokens = tokens
    }

    /// The statement's source text, from its first token to its last, without the `;`.
    public var text: String
    /// Its tokens.
    public var tokens: [Token]
    /// Where it starts.
    public var location: SourceLocation { tokens.first?.location ?? SourceLocation(line: 1, column: 1) }
}

/// Splits a SQL file into statements at top-level semicolons.
///
/// Semicolons inside strings, quoted identifiers, comments and `$$` bodies never split.
/// Neither do those inside a `BEGIN ... END` body of `CREATE TRIGGER` (SQLite) or a
/// `BEGIN ATOMIC ... END` body of `CREATE FUNCTION/PROCEDURE` (PostgreSQL), where
/// `CASE ... END` is counted so that its `END` does not close the body.
public enum StatementSplitter {
    /// - Throws: `SQLSyntaxError` from the lexer, or for a body left open at the end of the file.
    public static func split(_ source: String) throws(SQLSyntaxError) -> [StatementSource] {
        let tokens = try Lexer.tokenize(source)
        let bytes = Array(source.utf8)
        var statements: [StatementSource] = []
        var current: [Token] = []
        var blockDepth = 0
        var caseDepth = 0
        var opensBody = false

        func flush() {
            guard let first = current.first, let last = current.last else { return }
            let text = String(decoding: bytes[first.range.lowerBound..<last.range.upperBound], as: UTF8.self)
            statements.append(StatementSource(text: text, tokens: current))
            current = []
        }

        for token in tokens {
            if token.isSymbol(";") && blockDepth == 0 {
                flush()
                opensBody = false
                caseDepth = 0
                continue
            }
            if current.isEmpty {
                opensBody = false
            }
            current.append(token)
            if current.count <= 4, token.kind == .word,
                ["TRIGGER", "FUNCTION", "PROCEDURE"].contains(token.text.uppercased()),
                current.first?.isWord("CREATE") == true
            {
                opensBody = true
            }
            guard opensBody, token.kind == .word else { continue }
            switch token.text.uppercased() {
            case "BEGIN":
                blockDepth += 1
            case "CASE" where blockDepth > 0:
                caseDepth += 1
            case "END" where blockDepth > 0:
                if caseDepth > 0 { caseDepth -= 1 } else { blockDepth -= 1 }
            default:
                break
            }
        }
        if blockDepth > 0, let first = current.first {
            throw SQLSyntaxError(location: first.location, message: "unterminated BEGIN ... END body; expected END")
        }
        flush()
        return statements
    }
}
