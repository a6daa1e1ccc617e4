import Foundation
import Testing

/// The seed's Quick Start, sections 1 to 5, with `migrate` for `neuroquantum-api migrate`.
@Suite struct QuickStartTests {
    @Test func seedQuickStartVerbatim() throws {
        let ws = try Workspace()
        try ws.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO users (email) VALUES ('a@x'), ('b@x');")

        // 1. Create a new migration
        let create = try ws.migrate("create", "add status column")
        #expect(create.status == 0)
        let up = try ws.read("migrations/001_add_status_column.up.sql")
        let down = try ws.read("migrations/001_add_status_column.down.sql")
        #expect(up.hasPrefix("-- Migration: add status column\n-- Created: "))
        #expect(down.hasPrefix("-- Migration: add status column\n-- Created: "))
        #expect(up.range(of: #"-- Created: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\n"#, options: .regularExpression) != nil)

        // 2. Edit migration files
        try ws.write(
            "migrations/001_add_status_column.up.sql",
            """
            -- Migration: add status column
            -- Created: 2024-01-10 00:00:00

            ALTER TABLE users ADD COLUMN status TEXT DEFAULT 'active' CONCURRENTLY;
            """)
        try ws.write(
            "migrations/001_add_status_column.down.sql",
            """
            -- Migration: add status column
            -- Created: 2024-01-10 00:00:00

            ALTER TABLE users DROP COLUMN status CONCURRENTLY;
            """)

        // 3. Check migration status
        let pending = try ws.migrate("status")
        #expect(pending.status == 0)
        #expect(pending.stdout.contains("Migration Status"))
        #expect(pending.stdout.contains("Migration ID"))
        #expect(pending.stdout.range(of: #"001\s+\| Pending\s+\| add status column"#, options: .regularExpression) != nil)

        // 4. Apply migrations
        let apply = try ws.migrate("up")
        #expect(apply.status == 0, "\(apply.output)")
        #expect(apply.stdout.contains("Running migrations..."))
        #expect(apply.stdout.contains("Migration Results:"))
        #expect(apply.stdout.range(of: #"001 - \d+ms"#, options: .regularExpression) != nil)
        #expect(apply.stdout.contains("Migration complete"))
        #expect(try ws.rows("SELECT email, status FROM users ORDER BY id") == [["a@x", "active"], ["b@x", "active"]])
        #expect(try ws.migrate("status").stdout.range(of: #"001\s+\| Applied"#, options: .regularExpression) != nil)

        // 5. Roll back
        let rollback = try ws.migrate("down", "--count", "1")
        #expect(rollback.status == 0, "\(rollback.output)")
        #expect(try ws.rows("SELECT name FROM pragma_table_info('users') ORDER BY cid") == [["id"], ["email"]])
        #expect(try ws.rows("SELECT count(*) FROM users") == [["2"]])
        #expect(try ws.migrate("status").stdout.contains("Pending"))
    }

    @Test func defaultDatabaseIsAppDbAndEnvironmentOverridesIt() throws {
        let ws = try Workspace()
        try ws.migration("001", "create_t", up: "CREATE TABLE t (x INT);", down: "DROP TABLE t;")
        #expect(try ws.migrate("up", environment: ["DATABASE_URL": "sqlite:other.db"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: ws.path + "/other.db"))
        #expect(!FileManager.default.fileExists(atPath: ws.databasePath))
        #expect(try ws.migrate("up").status == 0)
        #expect(try ws.rows("SELECT count(*) FROM schema_migrations WHERE status = 'applied'") == [["1"]])
        let flagFirst = try ws.migrate("--database", "sqlite:third.db", "up")
        #expect(flagFirst.status == 0)
        #expect(FileManager.default.fileExists(atPath: ws.path + "/third.db"))
    }

    @Test func migrateYamlNamesTheDatabase() throws {
        let ws = try Workspace()
        try ws.write("migrate.yaml", "database: sqlite:from-config.db\n")
        try ws.migration("001", "create_t", up: "CREATE TABLE t (x INT);", down: "DROP TABLE t;")
        #expect(try ws.migrate("up").status == 0)
        #expect(FileManager.default.fileExists(atPath: ws.path + "/from-config.db"))
    }

    @Test func outputIsPlainWhenPipedAndJSONOnRequest() throws {
        let ws = try Workspace()
        try ws.migration("001", "create_t", up: "CREATE TABLE t (x INT);", down: "DROP TABLE t;")
        let text = try ws.migrate("up")
        #expect(!text.stdout.unicodeScalars.contains { $0.properties.isEmojiPresentation })
        let json = try ws.migrate("status", "--format", "json")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let migrations = object?["migrations"] as? [[String: Any]]
        #expect(migrations?.first?["id"] as? String == "001")
        #expect(migrations?.first?["status"] as? String == "applied")
        let down = try ws.migrate("down", "--format", "json", "--allow-dangerous")
        let report = try JSONSerialization.jsonObject(with: Data(down.stdout.utf8)) as? [String: Any]
        #expect(report?["status"] as? String == "ok")
        #expect((report?["migrations"] as? [[String: Any]])?.first?["outcome"] as? String == "reverted")
    }

    @Test func repositoryMigrationsApplyAndRevertCompletely() throws {
        let ws = try Workspace()
        let dir = repositoryRoot.appendingPathComponent("migrations").path
        let up = try ws.migrate("up", "--dir", dir)
        #expect(up.status == 0, "\(up.output)")
        #expect(try ws.rows("SELECT count(*) FROM schema_migrations") == [["7"]])
        let down = try ws.migrate("down", "--dir", dir, "--count", "7")
        #expect(down.status == 0, "\(down.output)")
        #expect(try ws.userSchema() == [["table", "sqlite_sequence", "CREATE TABLE sqlite_sequence(name,seq)"]])
    }

    @Test func programmaticExampleRuns() throws {
        let ws = try Workspace()
        let example = URL(fileURLWithPath: migrateBinary).deletingLastPathComponent().appendingPathComponent("ProgrammaticExample").path
        try #require(FileManager.default.isExecutableFile(atPath: example), "build the package first: \(example)")
        let dir = repositoryRoot.appendingPathComponent("migrations").path
        let schema = repositoryRoot.appendingPathComponent("schema").path
        let run = try ws.start([dir, "sqlite:example.db", schema], executable: example).wait()
        #expect(run.status == 0, "\(run.output)")
        #expect(run.stdout.contains("007 applied"))
        #expect(run.stdout.contains("007 Applied drop old field"))
        #expect(run.stdout.contains("schema is up to date"))
        #expect(run.stdout.contains("no drift"))
    }
}
