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
}
