import SchemaModel
import Testing

@testable import SQLSyntax

@Suite struct ExpressionTests {
    @Test(arguments: [
        ("status IN ('a', 'b') OR status IS NULL", ["status"]),
        ("code LIKE 'x%' AND length(code) BETWEEN 1 AND 5", ["code"]),
        ("n IS NOT NULL AND CAST(n AS double precision) > 0", ["n"]),
        ("price >= 0 AND t.qty::integer > 0", ["price", "qty"]),
        ("CASE WHEN a > b THEN true ELSE false END", ["a", "b"]),
        ("\"Mixed\" > 0 AND lower(Email) <> ''", ["Mixed", "email"]),
        ("created_at > CURRENT_TIMESTAMP", ["created_at"]),
        ("time > 0 AND first < last", ["time", "first", "last"]),
        ("x::timestamp with time zone > y", ["x", "y"]),
    ])
    func referencedColumnsSkipKeywordsFunctionsAndTypes(sql: String, expected: [String]) {
        #expect(Expr(sqlText: sql).referencedColumnNames == expected, "\(sql)")
    }
}

@Suite struct DefaultConstraintNameTests {
    @Test func namesAsPostgreSQLDoes() {
        #expect(DefaultConstraintName.primaryKey(table: "users") == "users_pkey")
        #expect(DefaultConstraintName.unique(table: "users", columns: ["email", "org_id"]) == "users_email_org_id_key")
        #expect(DefaultConstraintName.foreignKey(table: "orders", columns: ["user_id"]) == "orders_user_id_fkey")
        #expect(DefaultConstraintName.check(table: "users", referencedColumns: ["age"]) == "users_age_check")
        #expect(DefaultConstraintName.check(table: "users", referencedColumns: ["a", "b"]) == "users_check")
        #expect(DefaultConstraintName.check(table: "users", referencedColumns: []) == "users_check")
        #expect(DefaultConstraintName.check(table: "users", referencedColumns: [], taken: ["users_check", "users_check1"]) == "users_check2")
    }

    /// `makeObjectName`: the longer of table and columns loses bytes until the whole fits 63.
    @Test func longNamesAreCutAsPostgreSQLCutsThem() {
        let table = String(repeating: "t", count: 40)
        let column = String(repeating: "c", count: 40)
        let name = DefaultConstraintName.check(table: table, referencedColumns: [column])
        #expect(name.utf8.count == 63)
        #expect(name == String(repeating: "t", count: 28) + "_" + String(repeating: "c", count: 28) + "_check")
        let short = DefaultConstraintName.foreignKey(table: "orders", columns: [String(repeating: "x", count: 70)])
        #expect(short == "orders_" + String(repeating: "x", count: 51) + "_fkey")
        // A multi-byte character is never cut in two.
        let accented = DefaultConstraintName.check(table: String(repeating: "é", count: 40), referencedColumns: [])
        #expect(accented.utf8.count <= 63 && accented.hasSuffix("_check") && !accented.contains("\u{FFFD}"))
    }
}
