import SQLSyntax
import SchemaDiff
import SchemaModel
import Testing

@Suite struct LinterTests {
    let users = Schema(tables: [
        Table(name: "users", columns: [Column(name: "id", type: DataType(name: "integer")), Column(name: "org_id", type: DataType(name: "integer"))])
    ])

    func rules(_ sql: String, engine: any EngineCapabilities = RebuildingEngine(), before: Schema? = nil) throws -> [String] {
        MigrationLinter(engine: engine).findings(try Parser.parse(sql), file: "m.sql", before: before ?? users).map(\.rule)
    }

    @Test func newTablesNeedNoConcurrently() throws {
        #expect(try rules("CREATE TABLE t (x INT);\nCREATE INDEX i ON t (x);") == [])
        #expect(try rules("CREATE INDEX i ON users (org_id);") == ["index-not-concurrent"])
        #expect(try rules("CREATE INDEX CONCURRENTLY i ON users (org_id);") == [])
    }

    @Test func tablesAndIndexesAreFoundWhateverTheCase() throws {
        var before = users
        before.tables[0].indexes = [TableIndex(name: "Idx_Users_Org", keys: [IndexKey(column: "org_id", expression: "org_id")])]
        #expect(try rules("CREATE INDEX i ON USERS (org_id);", before: before) == ["index-not-concurrent"])
        #expect(try rules("DROP INDEX idx_users_org;", before: before) == ["index-not-concurrent"])
        #expect(try rules("DROP INDEX nobody_has_it;", before: before) == [])
    }

    @Test func postgresNeedsNeitherNotValidNorLockTimeoutByHand() throws {
        // The PostgreSQL engine adds it NOT VALID, validates it apart, and sets lock_timeout itself.
        let fk = "ALTER TABLE users ADD CONSTRAINT fk FOREIGN KEY (org_id) REFERENCES orgs (id);"
        #expect(try rules(fk, engine: InPlaceEngine()) == [])
        #expect(try rules(fk, engine: RebuildingEngine()) == [])
    }

    @Test func dangerousOperationsNamePlaceAndTable() throws {
        let findings = DangerousOperations.findings(
            try Parser.parse("DELETE FROM users WHERE id = 1;\nUPDATE users SET id = (SELECT 1 WHERE 1);\nTRUNCATE users;"), file: "m.sql")
        #expect(
            findings.map(\.description) == [
                "m.sql:2:1: [update-without-where] UPDATE without WHERE changes every row of users; if that is intended, add the line '-- migrate:allow-dangerous' to the file, or allow dangerous operations for the run",
                "m.sql:3:1: [truncate] TRUNCATE users destroys every row; if that is intended, add the line '-- migrate:allow-dangerous' to the file, or allow dangerous operations for the run",
            ])
        #expect(DangerousOperations.isAllowed(in: "-- Migration: x\n  -- migrate:allow-dangerous because\nDROP TABLE t;"))
        #expect(!DangerousOperations.isAllowed(in: "DROP TABLE t; -- not migrate:allow-dangerous"))
    }
}
