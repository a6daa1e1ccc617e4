/// Whether changing a column's type can lose or alter values (DESIGN.md section 7:
/// narrowing a type is destructive). Unknown pairs count as narrowing. The one rule the
/// planner's safety classes, the linter's `narrowing-type` and the PostgreSQL engine's
/// undo of a rewriting type change all use.
public enum TypeWidening {
    /// True when every value of `old` is a value of `new` and changing back gives it back.
    public static func isWidening(from old: DataType?, to new: DataType?) -> Bool {
        guard let old, let new else { return new == nil }
        guard old.arrayDimensions == new.arrayDimensions else { return false }
        // Character types of other databases that SQLite keeps by name (Chinook's nvarchar):
        // a longer length of the same one widens, as varchar's does.
        if old.portable == nil, old.name.lowercased() == new.name.lowercased(), lengthTypes.contains(old.name.lowercased()) {
            guard let n = new.arguments.first.flatMap(Int.init) else { return true }
            guard let o = old.arguments.first.flatMap(Int.init) else { return false }
            return n >= o
        }
        guard let a = old.portable, let b = new.portable else { return false }
        if a == b {
            switch a {
            case .varchar, .char:
                guard let n = new.arguments.first.flatMap(Int.init) else { return true }
                guard let o = old.arguments.first.flatMap(Int.init) else { return false }
                return n >= o
            case .decimal:
                let o = old.arguments.compactMap(Int.init)
                let n = new.arguments.compactMap(Int.init)
                if n.isEmpty { return true }
                if o.isEmpty { return false }
                let (op, os) = (o[0], o.count > 1 ? o[1] : 0)
                let (np, ns) = (n[0], n.count > 1 ? n[1] : 0)
                return ns >= os && np - ns >= op - os
            default:
                return true
            }
        }
        let widenings: [PortableType: Set<PortableType>] = [
            .smallint: [.integer, .bigint, .decimal, .real, .double, .text],
            .integer: [.bigint, .decimal, .double, .text],
            .bigint: [.decimal, .text],
            .real: [.double, .text],
            .double: [.text],
            .decimal: [.text],
            .char: [.varchar, .text],
            .varchar: [.text],
            .date: [.timestamp, .timestamptz, .text],
            .timestamp: [.timestamptz, .text],
            .time: [.text],
            .uuid: [.text],
            .json: [.jsonb, .text],
            .jsonb: [.json, .text],
            .boolean: [.text],
        ]
        return widenings[a]?.contains(b) ?? false
    }

    /// Names of character types with a maximum length that are not portable types.
    static let lengthTypes: Set<String> = [
        "nvarchar", "nchar", "varchar2", "nvarchar2", "national character varying", "national character", "varying character",
        "native character", "national char varying", "national char", "character large object",
    ]
}
