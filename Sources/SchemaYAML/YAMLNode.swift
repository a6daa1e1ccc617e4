import SchemaModel
import Yams

/// Typed reads of a YAML node that fail with the node's `file:line:column`.
struct YAMLNode {
    let node: Node
    let file: String

    var location: SchemaLocation {
        SchemaLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    func error(_ message: String) -> SchemaError {
        SchemaError(location, message)
    }

    /// The pairs of a mapping, keys as strings, refusing keys not in `allowed` (when given).
    func mapping(_ what: String, allowed: [String]? = nil) throws -> [(key: String, keyNode: YAMLNode, value: YAMLNode)] {
        guard let mapping = node.mapping else {
            throw error("expected \(what)")
        }
        var seen: Set<String> = []
        var pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)] = []
        for (key, value) in mapping {
            let keyNode = YAMLNode(node: key, file: file)
            guard let name = key.scalar?.string, !name.isEmpty else { throw keyNode.error("expected a name as the key") }
            if let allowed, !allowed.contains(name) {
                let hint = DidYouMean.suggestion(for: name, among: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                throw keyNode.error("unknown key '\(name)'\(hint); expected one of: \(allowed.joined(separator: ", "))")
            }
            // Names differing in case are two names (PostgreSQL's `"Users"` and `users`).
            guard seen.insert(name).inserted else {
                throw keyNode.error("'\(name)' is defined twice in this mapping")
            }
            pairs.append((name, keyNode, YAMLNode(node: value, file: file)))
        }
        return pairs
    }

    func string(_ what: String) throws -> String {
        guard let scalar = node.scalar, !(scalar.style == .plain && scalar.string.isEmpty) else {
            throw error("expected \(what)")
        }
        return scalar.string
    }

    func bool(_ what: String) throws -> Bool {
        // YAML 1.1 and 1.2 spellings; the loader reads scalars untyped (no regex per scalar).
        let values = ["true": true, "yes": true, "on": true, "false": false, "no": false, "off": false]
        guard let scalar = node.scalar, scalar.style == .plain, let value = values[scalar.string.lowercased()] else {
            throw error("expected true or false for \(what)")
        }
        return value
    }

    /// A list of strings; a single string counts as a list of one.
    func strings(_ what: String) throws -> [(String, YAMLNode)] {
        if node.scalar != nil { return [(try string(what), self)] }
        guard let sequence = node.sequence else { throw error("expected a list of \(what)") }
        let items = try sequence.map { item in
            let element = YAMLNode(node: item, file: file)
            return (try element.string(what), element)
        }
        guard !items.isEmpty else { throw error("expected at least one of \(what)") }
        return items
    }

    /// Where character `column` (1-based) of this scalar's text is in the file, for
    /// errors found inside a SQL fragment. Exact for one-line scalars.
    func location(ofFragmentLine line: Int, column: Int) -> SchemaLocation {
        var at = location
        let quoted = node.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted } ?? false
        if line == 1 {
            at.column += column - 1 + (quoted ? 1 : 0)
        } else {
            at.line += line - 1
            at.column = column
        }
        return at
    }
}
