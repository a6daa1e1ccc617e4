/// A SQL expression kept as its tokens: defaults, checks, `USING`, `WHERE`, index keys.
///
/// The parser finds where an expression ends but does not interpret it; each dialect
/// renders the tokens (SQLite rewrites `x::T` into `CAST(x AS T)`).
public struct Expr: Sendable, Hashable {
    /// Its tokens.
    public var tokens: [Token]

    /// An expression of `tokens`.
    public init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// The expression as written, re-spaced from its tokens.
    public var sql: String { Self.join(tokens) }

    /// The single column name this expression is, if it is one bare or quoted identifier.
    public var columnName: String? {
        guard tokens.count == 1, let value = tokens[0].identifierValue else { return nil }
        return value
    }

    /// Every identifier the expression mentions (used to find the columns it depends on).
    public var identifiers: Set<String> {
        Set(tokens.compactMap { $0.identifierValue?.lowercased() })
    }

    /// Lowercased names of the columns the expression reads (see `referencedColumnNames`).
    public var columnReferences: Set<String> {
        Set(referencedColumnNames.map { $0.lowercased() })
    }

    /// The columns the expression reads, in order of first mention, each once: identifiers
    /// that are not keywords (`IN`, `LIKE`, `BETWEEN`, `IS`, `CASE`, ...), function names
    /// (a word before `(`), type names (after `::`, `AS` or `COLLATE`) or the qualifier of
    /// `t.column`. Bare names are folded to lowercase as PostgreSQL folds them; quoted ones
    /// are kept as written.
    public var referencedColumnNames: [String] {
        var names: [String] = []
        var seen: Set<String> = []
        var inTypeName = false
        for (i, token) in tokens.enumerated() {
            let previous = i > 0 ? tokens[i - 1] : nil
            if let previous, previous.isSymbol("::") || previous.isWord("as") || previous.isWord("collate") || previous.isWord("nulls") {
                inTypeName = true
            } else if !(inTypeName && token.kind == .word && Self.typeNameWords.contains(token.text.lowercased())) {
                inTypeName = false
            }
            guard var value = token.identifierValue, !inTypeName else { continue }
            let next = i + 1 < tokens.count ? tokens[i + 1] : nil
            if next?.isSymbol(".") == true { continue }
            if token.kind == .word {
                if next?.isSymbol("(") == true { continue }
                value = value.lowercased()
                if Self.expressionKeywords.contains(value) { continue }
            }
            if seen.insert(value.lowercased()).inserted { names.append(value) }
        }
        return names
    }

    /// Reserved words that are SQL syntax inside an expression, never a column name when bare.
    static let expressionKeywords: Set<String> = [
        "and", "or", "not", "null", "is", "isnull", "notnull", "in", "like", "ilike", "glob", "regexp",
        "match", "similar", "escape", "between", "symmetric", "case", "when", "then", "else", "end",
        "exists", "cast", "as", "collate", "true", "false", "distinct", "any", "some", "all", "array",
        "current_date", "current_time", "current_timestamp", "localtime", "localtimestamp",
        "current_user", "session_user", "asc", "desc", "nulls",
    ]

    /// Words that continue a type name (`double precision`, `timestamp with time zone`).
    static let typeNameWords: Set<String> = ["precision", "varying", "with", "without", "time", "zone"]

    /// Joins tokens with a single space where the source had whitespace.
    public static func join(_ tokens: [Token]) -> String {
        var out = ""
        for (i, token) in tokens.enumerated() {
            if i > 0 && token.spaceBefore { out += " " }
            out += token.text
        }
        return out
    }
}
