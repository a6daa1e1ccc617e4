import Foundation
import SchemaModel

/// One lexical unit of SQL source.
public struct Token: Sendable, Hashable {
    /// What a token is.
    public enum Kind: Sendable, Hashable {
        /// A bare word; keywords are words too.
        case word
        /// `"x"`, `` `x` `` or `[x]`.
        case quotedIdentifier
        /// `'x'`, also `E'x'`, `X'00'`, `B'01'` prefixes.
        case string
        /// `$$ ... $$` or `$tag$ ... $tag$`.
        case dollarString
        case number
        /// `?`, `?1`, `:name`, `@name`, `$1`.
        case parameter
        /// Punctuation and operators: `(`, `)`, `,`, `;`, `.`, `::`, `=`, `||`, ...
        case symbol
    }

    /// What it is.
    public var kind: Kind
    /// The exact source text of the token.
    public var text: String
    /// Where it starts.
    public var location: SourceLocation
    /// Whether whitespace or a comment separated this token from the previous one.
    public var spaceBefore: Bool
    /// Offsets of the token in the source, in UTF-8 bytes.
    public var range: Range<Int>

    /// A token.
    public init(kind: Kind, text: String, location: SourceLocation, spaceBefore: Bool, range: Range<Int> = 0..<0) {
        self.kind = kind
        self.text = text
        self.location = location
        self.spaceBefore = spaceBefore
        self.range = range
    }

    /// True when the token is the bare word `keyword` (case-insensitive).
    public func isWord(_ keyword: String) -> Bool {
        kind == .word && text.caseInsensitiveEquals(keyword)
    }

    /// Whether it is the symbol `symbol`.
    public func isSymbol(_ symbol: String) -> Bool {
        kind == .symbol && text == symbol
    }

    /// The text of a plain `'...'` string, for SQLite's single-quoted names; nil for any
    /// other token (and for `E'...'`, `X'...'`).
    public var singleQuotedName: String? {
        guard kind == .string, text.hasPrefix("'"), text.hasSuffix("'"), text.count >= 2 else { return nil }
        return String(text.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
    }

    /// The identifier this token names: bare words as written, quoted ones unescaped.
    public var identifierValue: String? {
        switch kind {
        case .word: return text
        case .quotedIdentifier:
            guard let first = text.first else { return nil }
            let inner = String(text.dropFirst().dropLast())
            switch first {
            case "\"": return inner.replacingOccurrences(of: "\"\"", with: "\"")
            case "`": return inner.replacingOccurrences(of: "``", with: "`")
            default: return inner
            }
        default: return nil
        }
    }
}

extension String {
    /// Compares without allocating: ASCII letters fold byte by byte (keywords are ASCII);
    /// anything else falls back to full lowercasing.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        var ascii = true
        let equal = utf8.elementsEqual(other.utf8) { a, b in
            if a >= 0x80 || b >= 0x80 { ascii = false }
            return a == b || (a | 0x20 == b | 0x20 && (a | 0x20) >= 0x61 && (a | 0x20) <= 0x7A)
        }
        return ascii ? equal : lowercased() == other.lowercased()
    }
}
