/// The names PostgreSQL gives constraints created without one, so that a planned
/// `DROP CONSTRAINT`, the interpreter's lookups and both engines agree with the server.
///
/// PostgreSQL's rule (src/backend/commands/indexcmds.c `ChooseRelationName`,
/// `makeObjectName`; src/backend/catalog/heap.c `AddRelationNewConstraints`):
/// 1. the name is `<table>_<columns>_<label>`: `pkey` (no columns), `key` (unique),
///    `fkey` (foreign key), `check`;
/// 2. the columns are joined with `_`; a check names its column only when its expression
///    reads exactly one column (`users_age_check`), else none (`users_check`);
/// 3. when `<table>_<columns>` does not fit in 63 bytes less the label, the longer of the
///    two parts loses a byte at a time (never splitting a UTF-8 character);
/// 4. a name already taken gets a number after its label: `users_check1`, `users_check2`.
public enum DefaultConstraintName {
    /// PostgreSQL's identifier limit (NAMEDATALEN - 1) in bytes.
    public static let maximumLength = 63

    /// `<table>_pkey`.
    public static func primaryKey(table: String, taken: Set<String> = []) -> String {
        choose(table, nil, label: "pkey", taken: taken)
    }

    /// `<table>_<columns>_key`.
    public static func unique(table: String, columns: [String], taken: Set<String> = []) -> String {
        choose(table, joined(columns), label: "key", taken: taken)
    }

    /// `<table>_<columns>_fkey`.
    public static func foreignKey(table: String, columns: [String], taken: Set<String> = []) -> String {
        choose(table, joined(columns), label: "fkey", taken: taken)
    }

    /// - Parameter referencedColumns: the distinct columns the check's expression reads.
    public static func check(table: String, referencedColumns: [String], taken: Set<String> = []) -> String {
        choose(table, referencedColumns.count == 1 ? referencedColumns[0] : nil, label: "check", taken: taken)
    }

    /// `<table>_<columns>_<label>`: an exclusion constraint's (`excl`), or a key's written with options.
    public static func named(table: String, columns: [String], label: String, taken: Set<String> = []) -> String {
        choose(table, columns.isEmpty ? nil : joined(columns), label: label, taken: taken)
    }

    /// `name` cut to 63 bytes, as PostgreSQL cuts every identifier.
    public static func truncated(_ name: String) -> String {
        String(decoding: clipped(Array(name.utf8), to: maximumLength), as: UTF8.self)
    }

    /// `taken` holds lowercased names.
    static func choose(_ name1: String, _ name2: String?, label: String, taken: Set<String>) -> String {
        var candidate = makeObjectName(name1, name2, label: label)
        var pass = 0
        while taken.contains(candidate.lowercased()) {
            pass += 1
            candidate = makeObjectName(name1, name2, label: label + String(pass))
        }
        return candidate
    }

    /// `ChooseForeignKeyConstraintNameAddition`: columns joined with `_`, stopping once
    /// the result is a whole identifier long.
    static func joined(_ columns: [String]) -> String {
        var out = ""
        for column in columns {
            if !out.isEmpty { out += "_" }
            out += column
            if out.utf8.count > maximumLength { break }
        }
        return out
    }

    /// `makeObjectName`: `name1_name2_label`, the longer name shortened until it fits.
    static func makeObjectName(_ name1: String, _ name2: String?, label: String) -> String {
        let first = Array(name1.utf8)
        let second = name2.map { Array($0.utf8) }
        let overhead = (second == nil ? 0 : 1) + label.utf8.count + 1
        let available = maximumLength - overhead
        var firstCount = first.count
        var secondCount = second?.count ?? 0
        while firstCount + secondCount > available {
            if firstCount > secondCount { firstCount -= 1 } else { secondCount -= 1 }
        }
        var bytes = clipped(first, to: firstCount)
        if let second {
            bytes += [UInt8(ascii: "_")] + clipped(second, to: secondCount)
        }
        bytes += [UInt8(ascii: "_")] + Array(label.utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The first `count` bytes of `bytes`, less a UTF-8 character cut in two.
    private static func clipped(_ bytes: [UInt8], to count: Int) -> [UInt8] {
        var end = min(count, bytes.count)
        // A continuation byte at `end` means the character starting before it is cut.
        while end > 0, end < bytes.count, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return Array(bytes[..<end])
    }
}
