import Foundation
import PostgresEngine
import Testing

@testable import MigrationKit

@Suite struct MigrationDirectoryTests {
    @Test func createWritesTheNextPairWithTheSeedHeader() throws {
        let dir = try TestDirectory()
        let date = Date(timeIntervalSince1970: 1_704_844_800)  // 2024-01-10 00:00:00 UTC
        let first = try MigrationDirectory.create(description: "add status column", in: dir.path, now: date)
        #expect(first.up.hasSuffix("/001_add_status_column.up.sql"))
        #expect(first.down.hasSuffix("/001_add_status_column.down.sql"))
        #expect(try String(contentsOfFile: first.up, encoding: .utf8) == "-- Migration: add status column\n-- Created: 2024-01-10 00:00:00\n\n")
        let second = try MigrationDirectory.create(description: "Add User Roles!", in: dir.path, now: date)
        #expect(second.up.hasSuffix("/002_add_user_roles.up.sql"))
    }

    @Test func descriptionComesFromTheHeaderElseTheSlug() throws {
        let dir = try TestDirectory()
        try dir.write("001_add_things.up.sql", "-- Migration: Add things, carefully\nSELECT 1;")
        try dir.write("001_add_things.down.sql", "SELECT 1;")
        try dir.write("002_more_stuff.up.sql", "SELECT 1;")
        try dir.write("002_more_stuff.down.sql", "SELECT 1;")
        try dir.write("README.md", "not a migration")
        #expect(try MigrationDirectory.load(dir.path).map(\.description) == ["Add things, carefully", "more stuff"])
    }

    @Test func theHeaderIsOneOfTheFirstFiveNonEmptyLines() {
        #expect(MigrationDirectory.description(of: "\n\n  -- Migration:  spaced out  \nSELECT 1;") == "spaced out")
        #expect(MigrationDirectory.description(of: "-- a\n-- b\n\n-- c\n-- d\n-- e\n-- Migration: too late\n") == nil)
        #expect(MigrationDirectory.description(of: "-- a\n-- b\n-- c\n-- d\n-- Migration: fifth") == "fifth")
        #expect(MigrationDirectory.description(of: "-- Migration:\nSELECT 1;") == nil)
        #expect(MigrationDirectory.description(of: "") == nil)
        #expect(MigrationDirectory.firstLines(of: "a\n\nb\nc", 2) == ["a", "b"])
    }

    @Test func badNamesDuplicatesAndOrphansAreReportedTogether() throws {
        let dir = try TestDirectory()
        try dir.write("001_a.up.sql", "")
        try dir.write("1_b.up.sql", "")
        try dir.write("002_c.down.sql", "")
        try dir.write("notes.sql", "")
        #expect {
            try MigrationDirectory.load(dir.path)
        } throws: { error in
            guard let error = error as? MigrationError, error.exitCode == 2 else { return false }
            let text = error.description
            return text.contains("1_b.up.sql: duplicate migration number 1")
                && text.contains("002_c.down.sql: down file without an up file")
                && text.contains("notes.sql: expected a name like 001_create_users.up.sql")
        }
    }

    @Test func missingDownFileIsAnErrorWhenItWouldRun() async throws {
        let dir = try TestDirectory()
        try dir.write("001_a.up.sql", "CREATE TABLE t (x int);")
        let executor = MigrationExecutor(configuration: MigrationConfiguration(migrationsDirectory: dir.path), engine: FakeEngine())
        await #expect {
            try await executor.migrateUp()
        } throws: { error in
            (error as? MigrationError)?.description.contains("migration 001 has no down file; expected 001_a.down.sql") == true
        }
    }

    @Test func byteOrderMarkIsIgnored() throws {
        let dir = try TestDirectory()
        try dir.write("001_a.up.sql", "\u{FEFF}CREATE TABLE t (x INT);")
        try dir.write("001_a.down.sql", "DROP TABLE t;")
        let script = try MigrationDirectory.load(dir.path)[0].script(.up)
        guard case .createTable = script.statements.first?.statement else {
            Issue.record("\(script.statements)")
            return
        }
    }

    @Test func checksumIsTheSHA256OfTheUpFile() throws {
        let dir = try TestDirectory()
        try dir.write("001_a.up.sql", "abc")
        try dir.write("001_a.down.sql", "")
        #expect(try MigrationDirectory.load(dir.path).first?.checksum == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

@Suite struct ConfigurationTests {
    @Test(arguments: [
        ("sqlite:app.db", DatabaseURL.sqlite(path: "app.db")),
        ("sqlite:///abs/path.db", .sqlite(path: "/abs/path.db")),
        ("sqlite://rel/path.db", .sqlite(path: "rel/path.db")),
        ("sqlite::memory:", .sqliteMemory),
        ("postgres://u:p@h:5432/db", .postgres(try! PostgresURL(parsing: "postgres://u:p@h:5432/db"))),
        ("postgresql://h/db", .postgres(try! PostgresURL(parsing: "postgresql://h/db"))),
    ])
    func urlForms(text: String, url: DatabaseURL) throws {
        #expect(try DatabaseURL(parsing: text) == url)
    }

    @Test func badURLsAreBadInput() {
        #expect { try DatabaseURL(parsing: "mysql://x") } throws: { ($0 as? MigrationError)?.exitCode == 2 }
        #expect { try DatabaseURL(parsing: "sqlite:") } throws: { ($0 as? MigrationError)?.exitCode == 2 }
    }

    @Test func passwordsAreNeverPrinted() throws {
        let url = try DatabaseURL(parsing: "postgres://me:s3cret@db.local:5432/app")
        #expect(url.description == "postgres://me:***@db.local:5432/app")
        #expect(!((try? MigrationExecutor(configuration: MigrationConfiguration(database: url))).map { _ in "" } ?? "").contains("s3cret"))
    }

    @Test func projectFileIsReadAndCheckedWithPositions() throws {
        let dir = try TestDirectory()
        try dir.write("migrate.yaml", "database: sqlite:x.db\nlock_timeout: 12\n")
        #expect(try ProjectConfig.load(dir.path + "/migrate.yaml") == ProjectConfig(database: "sqlite:x.db", lockTimeout: 12))
        try dir.write("migrate.yaml", "database: sqlite:x.db\ndatabse: y\n")
        #expect {
            try ProjectConfig.load(dir.path + "/migrate.yaml")
        } throws: { error in
            (error as? MigrationError)?.description
                == "\(dir.path)/migrate.yaml:2:1: unknown key 'databse'; expected one of database, dir, schema, lock_timeout, online_min_rows, batch_ms"
        }
    }
}
