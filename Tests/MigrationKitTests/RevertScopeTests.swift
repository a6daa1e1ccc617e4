import SQLSyntax
import Testing

@testable import MigrationKit

/// The tables `validate`'s revert check compares: only what the two files name.
@Suite struct RevertScopeTests {
    func statements(_ sql: String) throws -> [ParsedStatement] { try Parser.parse(sql) }

    @Test func namesTheTablesTheFilesChange() throws {
        let owners = SchemaInterpreter()
        let named = MigrationExecutor.tablesNamed(
            try statements("CREATE TABLE a (x INT); ALTER TABLE B ADD COLUMN y INT; ALTER TABLE c RENAME TO d;"), indexOwners: owners)
        #expect(named == ["a", "b", "c", "d"])
    }

    @Test func findsTheTableOfAnIndexTheFilesCreateAndDrop() throws {
        let named = MigrationExecutor.tablesNamed(
            try statements("CREATE INDEX idx_t_x ON t (x); DROP INDEX idx_t_x;"), indexOwners: SchemaInterpreter())
        #expect(named == ["t"])
    }

    @Test func findsTheTableOfAnExistingIndex() throws {
        var owners = SchemaInterpreter()
        try owners.apply(try statements("CREATE TABLE t (x INT); CREATE INDEX idx_t_x ON t (x);"))
        #expect(MigrationExecutor.tablesNamed(try statements("DROP INDEX idx_t_x;"), indexOwners: owners) == ["t"])
    }

    @Test func anIndexOfUnknownTableMeansEveryTable() throws {
        #expect(MigrationExecutor.tablesNamed(try statements("DROP INDEX nobody;"), indexOwners: SchemaInterpreter()) == nil)
    }

    @Test func anIdentityChangeNamesItsTable() throws {
        let named = MigrationExecutor.tablesNamed(
            try statements("ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;"), indexOwners: SchemaInterpreter())
        #expect(named == ["t"])
    }

    @Test func looksUpOnlyTheNamedTables() throws {
        var interpreter = SchemaInterpreter()
        try interpreter.apply(try statements("CREATE TABLE a (x INT); CREATE TABLE b (x INT); CREATE TABLE c (x INT);"))
        #expect(interpreter.tables(named: ["c", "a", "zz"]).map(\.name) == ["a", "c"])
    }

    @Test func theDownIsLintedOnTheNamedTablesAndTheOwnersOfItsIndexes() throws {
        var state = SchemaInterpreter()
        try state.apply(
            try statements("CREATE TABLE a (x INT); CREATE TABLE b (x INT); CREATE INDEX idx_b_x ON b (x); CREATE TABLE c (x INT);"))
        let linted = MigrationExecutor.downLintState(state, touched: ["a"], down: try statements("DROP INDEX idx_b_x; DROP TABLE a;"))
        #expect(linted.schema.tables.map(\.name) == ["a", "b"])
    }

    @Test func aDroppedUniqueIndexOrUnknownTablesMeanTheWholeSchema() throws {
        var state = SchemaInterpreter()
        try state.apply(
            try statements(
                "CREATE TABLE a (x INT); CREATE UNIQUE INDEX ux_a_x ON a (x); CREATE TABLE b (ax INT REFERENCES a (x)); CREATE TABLE c (x INT);"))
        let unique = MigrationExecutor.downLintState(state, touched: ["a"], down: try statements("DROP INDEX ux_a_x;"))
        #expect(unique.schema.tables.map(\.name) == ["a", "b", "c"])
        let unknown = MigrationExecutor.downLintState(state, touched: nil, down: try statements("DROP TABLE c;"))
        #expect(unknown.schema.tables.map(\.name) == ["a", "b", "c"])
    }
}
