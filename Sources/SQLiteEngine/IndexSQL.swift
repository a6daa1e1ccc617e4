import SQLSyntax

/// Edits the name and table of a stored `CREATE INDEX` text in place, keeping the rest
/// exactly as the user wrote it.
enum IndexSQL {
    /// `sql` with its index name replaced by `name` and, if given, its table by `table`.
    static func retarget(_ sql: String, name: String, table: String? = nil) -> String? {
        guard let tokens = try? Lexer.tokenize(sql),
            let indexAt = tokens.firstIndex(where: { $0.isWord("INDEX") })
        else { return nil }
        var i = indexAt + 1
        if i + 2 < tokens.count, tokens[i].isWord("IF"), tokens[i + 1].isWord("NOT"), tokens[i + 2].isWord("EXISTS") { i += 3 }
        guard i < tokens.count, tokens[i].identifierValue != nil else { return nil }
        var nameRange = tokens[i].range
        if i + 2 < tokens.count, tokens[i + 1].isSymbol(".") {
            nameRange = tokens[i].range.lowerBound..<tokens[i + 2].range.upperBound
            i += 2
        }
        guard let onAt = tokens[(i + 1)...].firstIndex(where: { $0.isWord("ON") }), onAt + 1 < tokens.count else { return nil }
        var replacements = [(nameRange, SQLIdentifier.quote(name))]
        if let table {
            var tableRange = tokens[onAt + 1].range
            if onAt + 3 < tokens.count, tokens[onAt + 2].isSymbol(".") {
                tableRange = tableRange.lowerBound..<tokens[onAt + 3].range.upperBound
            }
            replacements.append((tableRange, SQLIdentifier.quote(table)))
        }
        var bytes = Array(sql.utf8)
        for (range, text) in replacements.sorted(by: { $0.0.lowerBound > $1.0.lowerBound }) {
            bytes.replaceSubrange(range, with: Array(text.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
