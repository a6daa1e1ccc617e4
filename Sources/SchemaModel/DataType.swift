/// A column type as written in SQL, with its portable meaning.
///
/// `name` keeps the words as written (lowercased, single-spaced), `arguments` the
/// parenthesized modifiers. `portable` recognizes the portable types of DESIGN.md
/// (integer, bigint, text, varchar(n), decimal(p,s), timestamptz, ...); anything else
/// is `nil` and passes to engines verbatim.
public struct DataType: Sendable, Hashable, CustomStringConvertible {
    /// The type name, lowercased: `varchar`, `timestamp with time zone`.
    public var name: String
    /// Its modifiers: `["10", "2"]` for `numeric(10,2)`.
    public var arguments: [String]
    /// Dimensions of a PostgreSQL array type (`int[]` has 1).
    public var arrayDimensions: Int

    /// A type as written.
    public init(name: String, arguments: [String] = [], arrayDimensions: Int = 0) {
        self.name = name.lowercased()
        self.arguments = arguments
        self.arrayDimensions = arrayDimensions
    }

    /// The type as SQL: `varchar(255)`, `numeric(10,2)`, `int[]`.
    public var description: String {
        var text = name
        if !arguments.isEmpty {
            // "timestamp(3) with time zone" keeps its modifier after the first word.
            if let space = name.firstIndex(of: " "), ["timestamp", "time"].contains(String(name[..<space])) {
                text = String(name[..<space]) + "(" + arguments.joined(separator: ",") + ")" + String(name[space...])
            } else {
                text += "(" + arguments.joined(separator: ",") + ")"
            }
        }
        return text + String(repeating: "[]", count: arrayDimensions)
    }

    /// The portable family of this type, if it is one of DESIGN.md's portable types.
    public var portable: PortableType? {
        guard arrayDimensions == 0 else { return nil }
        return PortableType.aliases[name]
    }
}

/// The portable types every engine maps to its own spelling.
public enum PortableType: String, Sendable, CaseIterable {
    case integer, bigint, smallint, text, varchar, char, boolean, real, double, decimal
    case date, time, timestamp, timestamptz, blob, uuid, json, jsonb
    case serial, bigserial

    static let aliases: [String: PortableType] = [
        "integer": .integer, "int": .integer, "int4": .integer,
        "bigint": .bigint, "int8": .bigint,
        "smallint": .smallint, "int2": .smallint,
        "text": .text,
        "varchar": .varchar, "character varying": .varchar,
        "char": .char, "character": .char, "bpchar": .char,
        "boolean": .boolean, "bool": .boolean,
        "real": .real, "float4": .real,
        "double": .double, "double precision": .double, "float8": .double, "float": .double,
        "decimal": .decimal, "numeric": .decimal,
        "date": .date,
        "time": .time, "time without time zone": .time,
        "timestamp": .timestamp, "timestamp without time zone": .timestamp, "datetime": .timestamp,
        "timestamptz": .timestamptz, "timestamp with time zone": .timestamptz,
        "blob": .blob, "bytea": .blob,
        "uuid": .uuid,
        "json": .json,
        "jsonb": .jsonb,
        "serial": .serial, "serial4": .serial,
        "bigserial": .bigserial, "serial8": .bigserial,
    ]
}
