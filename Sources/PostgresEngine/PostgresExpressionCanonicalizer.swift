import SQLSyntax

/// Brings an expression as users write it and as `pg_get_expr` / `pg_get_constraintdef`
/// print it to one form, for comparisons only:
/// - casts of literals go (`'active'::text`, `'-1'::integer` is `-1`, `ARRAY[...]::text[]`);
/// - `x = ANY (ARRAY[a, b])` is `x IN (a, b)`, `x <> ALL (ARRAY[a, b])` is `x NOT IN (a, b)`;
/// - grouping parentheses go (PostgreSQL wraps every comparison in them).
enum PostgresExpressionCanonicalizer {
    static func canonical(_ tokens: [Token]) -> String {
        Expr.join(dropGroupingParentheses(rewriteAnyArray(stripLiteralCasts(tokens))))
    }

    /// A catalog expression as a user would write it, meaning unchanged: literal casts
    /// and `= ANY (ARRAY[...])` rewritten, parentheses kept. For `inspect`.
    static func display(_ sql: String) -> String {
        guard let tokens = try? Lexer.tokenize(sql) else { return sql }
        return Expr.join(rewriteAnyArray(stripLiteralCasts(tokens)))
    }

    private static let numericTypes: Set<String> = [
        "integer", "int", "int4", "bigint", "int8", "smallint", "int2", "numeric", "decimal", "real", "float4",
        "double precision", "float8",
    ]

    private static func stripLiteralCasts(_ tokens: [Token]) -> [Token] {
        var out: [Token] = []
        var i = 0
        while i < tokens.count {
            let token = tokens[i]
            guard token.isSymbol("::"), let operand = out.last else {
                out.append(token)
                i += 1
                continue
            }
            let (typeName, next) = readType(tokens, from: i + 1)
            let isLiteral = [.string, .number].contains(operand.kind) || operand.isWord("NULL") || operand.isSymbol("]")
            if isLiteral {
                if operand.kind == .string, numericTypes.contains(typeName), operand.text.count >= 2 {
                    let inner = String(operand.text.dropFirst().dropLast())
                    if Double(inner) != nil {
                        out.removeLast()
                        var number = operand
                        number.kind = .number
                        number.text = inner
                        out.append(number)
                    }
                }
            } else {
                out.append(contentsOf: tokens[i..<next])
            }
            i = next
        }
        return out
    }

    /// Reads a type after `::`: words (`character varying`), `(n)`, `[]`; returns its
    /// lowercased name without modifiers and the index after it.
    private static func readType(_ tokens: [Token], from start: Int) -> (String, Int) {
        var words: [String] = []
        var i = start
        let continuations: Set<String> = ["precision", "varying", "with", "without", "time", "zone"]
        while i < tokens.count, tokens[i].kind == .word || tokens[i].kind == .quotedIdentifier,
            words.isEmpty || continuations.contains(tokens[i].text.lowercased())
        {
            words.append(tokens[i].text.lowercased())
            i += 1
        }
        if i < tokens.count, tokens[i].isSymbol("(") {
            i = matching(tokens, from: i) + 1
        }
        while i + 1 < tokens.count, tokens[i].isSymbol("["), tokens[i + 1].isSymbol("]") {
            i += 2
        }
        return (words.joined(separator: " "), i)
    }

    private static func rewriteAnyArray(_ tokens: [Token]) -> [Token] {
        var out: [Token] = []
        var i = 0
        while i < tokens.count {
            let token = tokens[i]
            let negated = token.isSymbol("<>") || token.isSymbol("!=")
            let quantifier = negated ? "ALL" : "ANY"
            if token.isSymbol("=") || negated, i + 4 < tokens.count, tokens[i + 1].isWord(quantifier), tokens[i + 2].isSymbol("("),
                tokens[i + 3].isWord("ARRAY"), tokens[i + 4].isSymbol("[")
            {
                let closeBracket = matching(tokens, from: i + 4, open: "[", close: "]")
                let closeParen = matching(tokens, from: i + 2)
                if closeBracket + 1 == closeParen, closeParen < tokens.count {
                    if negated { out.append(word("NOT", like: token)) }
                    out.append(word("IN", like: token))
                    out.append(symbol("(", like: token))
                    var inner = rewriteAnyArray(Array(tokens[(i + 5)..<closeBracket]))
                    if !inner.isEmpty { inner[0].spaceBefore = false }
                    out.append(contentsOf: inner)
                    out.append(symbol(")", like: token))
                    i = closeParen + 1
                    continue
                }
            }
            out.append(token)
            i += 1
        }
        return out
    }

    /// Words before `(` that make it a grouping parenthesis rather than a call or a list.
    private static let groupingWords: Set<String> = [
        "AND", "OR", "NOT", "WHEN", "THEN", "ELSE", "CASE", "IS", "BETWEEN", "LIKE", "ILIKE", "SELECT", "WHERE", "CHECK",
    ]

    private static func dropGroupingParentheses(_ tokens: [Token]) -> [Token] {
        var drop = Set<Int>()
        for (i, token) in tokens.enumerated() where token.isSymbol("(") {
            let previous = i > 0 ? tokens[i - 1] : nil
            let isGrouping: Bool
            if let previous {
                switch previous.kind {
                case .word: isGrouping = groupingWords.contains(previous.text.uppercased())
                case .quotedIdentifier, .string, .number, .dollarString, .parameter: isGrouping = false
                case .symbol: isGrouping = !previous.isSymbol(")") && !previous.isSymbol("]")
                }
            } else {
                isGrouping = true
            }
            if isGrouping {
                let close = matching(tokens, from: i)
                let inner = tokens[(i + 1)..<min(close, tokens.count)]
                // `(a, b)` is a row or a list: keep it.
                if close < tokens.count, !containsTopLevelComma(inner) {
                    drop.insert(i)
                    drop.insert(close)
                }
            }
        }
        var out: [Token] = []
        var pendingSpace = false
        for (i, token) in tokens.enumerated() {
            if drop.contains(i) {
                pendingSpace = pendingSpace || token.spaceBefore
                continue
            }
            var kept = token
            kept.spaceBefore = kept.spaceBefore || pendingSpace
            pendingSpace = false
            out.append(kept)
        }
        return out
    }

    private static func containsTopLevelComma(_ tokens: ArraySlice<Token>) -> Bool {
        var depth = 0
        for token in tokens {
            if token.isSymbol("(") || token.isSymbol("[") { depth += 1 }
            if token.isSymbol(")") || token.isSymbol("]") { depth -= 1 }
            if depth == 0 && token.isSymbol(",") { return true }
        }
        return false
    }

    private static func matching(_ tokens: [Token], from start: Int, open: String = "(", close: String = ")") -> Int {
        var depth = 0
        for i in start..<tokens.count {
            if tokens[i].isSymbol(open) { depth += 1 }
            if tokens[i].isSymbol(close) {
                depth -= 1
                if depth == 0 { return i }
            }
        }
        return tokens.count
    }

    private static func word(_ text: String, like token: Token) -> Token {
        Token(kind: .word, text: text, location: token.location, spaceBefore: true)
    }

    private static func symbol(_ text: String, like token: Token) -> Token {
        Token(kind: .symbol, text: text, location: token.location, spaceBefore: text == "(")
    }
}
