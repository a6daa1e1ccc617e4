import SQLSyntax
import SchemaDiff
import SchemaModel
import Testing

@testable import SQLiteEngine

/// SQLite's one rule of what rebuilds a table, and the lint rule it contributes.
@Suite struct SQLiteCapabilitiesTests {
    let capabilities = SQLiteCapabilities()
    let schema = Schema(tables: ["a", "b"].map { Table(name: $0, columns: [Column(name: "id", type: DataType(name: "integer"))]) })

    func rules(_ sql: String) throws -> [String] {
        MigrationLinter(engine: capabilities).findings(try Parser.parse(sql), file: "m.sql", before: schema).map(\.rule)
    }

    @Test func rebuildsForEverythingButRenamesAndPlainAdds() throws {
        func action(_ sql: String) throws -> AlterTableAction {
            guard case .alterTable(let alter) = try Parser.parse(sql)[0].statement else {
                throw SQLSyntaxError(location: .init(line: 1, column: 1), message: "not ALTER")
            }
            return alter.actions[0]
        }
        #expect(try !capabilities.rebuildsTable(action("ALTER TABLE a RENAME COLUMN id TO k")))
        #expect(try !capabilities.rebuildsTable(action("ALTER TABLE a ADD COLUMN n TEXT")))
        #expect(try capabilities.rebuildsTable(action("ALTER TABLE a ADD COLUMN n TEXT NOT NULL")))
        #expect(try capabilities.rebuildsTable(action("ALTER TABLE a ALTER COLUMN id DROP NOT NULL")))
        #expect(capabilities.typeChangeRewrites(from: DataType(name: "varchar", arguments: ["5"]), to: DataType(name: "varchar", arguments: ["9"])))
    }

    @Test func secondRebuildOfATableAfterAnotherTableIsFlagged() throws {
        #expect(try rules("ALTER TABLE a ALTER COLUMN id SET NOT NULL;\nALTER TABLE a ALTER COLUMN id DROP NOT NULL;") == [])
        #expect(
            try rules("ALTER TABLE a ALTER COLUMN id SET NOT NULL;\nALTER TABLE b RENAME TO c;\nALTER TABLE a ALTER COLUMN id DROP NOT NULL;")
                == ["multiple-rebuilds"])
        // A column SQLite cannot add in place rebuilds too (the copies of the rule disagreed here).
        #expect(
            try rules(
                "ALTER TABLE a ALTER COLUMN id SET NOT NULL;\nALTER TABLE b RENAME TO c;\nALTER TABLE a ADD COLUMN n TEXT NOT NULL DEFAULT 'x' UNIQUE;"
            )
                == ["multiple-rebuilds"])
    }
}
