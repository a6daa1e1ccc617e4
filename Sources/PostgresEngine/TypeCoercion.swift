import SchemaModel

/// Which type changes PostgreSQL makes without rewriting the table, and which widen.
enum TypeCoercion {
    /// Reads `character varying(255)`, `numeric(10,2)`, `integer[]` as `format_type` prints them.
    static func parse(_ text: String) -> DataType {
        var rest = text.trimmingCharacters(in: .whitespaces).lowercased()
        var dimensions = 0
        while rest.hasSuffix("[]") {
            dimensions += 1
            rest.removeLast(2)
        }
        var arguments: [String] = []
        if let open = rest.firstIndex(of: "("), let close = rest[open...].firstIndex(of: ")") {
            arguments = rest[rest.index(after: open)..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            rest = String(rest[..<open] + rest[rest.index(after: close)...])
        }
        let name = rest.split(separator: " ").joined(separator: " ")
        return DataType(name: name, arguments: arguments, arrayDimensions: dimensions)
    }

    /// True when `ALTER COLUMN ... TYPE` keeps the table as it is: the same type, a longer
    /// or unbounded varchar, varchar to text and back to unbounded varchar, a numeric with
    /// more digits and the same scale.
    static func isBinaryCoercible(from current: String, to target: String) -> Bool {
        let a = parse(current)
        let b = parse(target)
        guard a.arrayDimensions == b.arrayDimensions else { return false }
        switch (a.portable, b.portable) {
        case let (x?, y?) where x == y && a.arguments == b.arguments:
            return true
        case (.varchar, .varchar):
            guard let n = a.arguments.first.flatMap({ Int($0) }) else { return b.arguments.isEmpty }
            return b.arguments.isEmpty || (b.arguments.first.flatMap { Int($0) }.map { $0 >= n } ?? false)
        case (.varchar, .text):
            return true
        case (.text, .varchar):
            return b.arguments.isEmpty
        case (.decimal, .decimal):
            if b.arguments.isEmpty { return true }
            guard a.arguments.count >= 1, b.arguments.count >= 1, let p = Int(a.arguments[0]), let q = Int(b.arguments[0]) else { return false }
            let scale = { (t: DataType) in t.arguments.count > 1 ? t.arguments[1] : "0" }
            return q >= p && scale(a) == scale(b)
        default:
            return false
        }
    }

    /// True when every value of `current` fits `target`, so changing back is safe
    /// (`TypeWidening`, the rule the planner and the linter use too).
    static func isWidening(from current: String, to target: String) -> Bool {
        isBinaryCoercible(from: current, to: target) || TypeWidening.isWidening(from: parse(current), to: parse(target))
    }
}
