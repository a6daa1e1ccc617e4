import Foundation
import Testing

/// `plan`, `check` and `inspect` through the built binary, as a user runs them.
@Suite struct DeclarativeCLITests {
    static let users = """
        tables:
          users:
            columns:
              id: integer primary key
              email: text not null
            indexes:
              idx_users_email: { columns: [email], unique: true }
        """

    @Test func planWritesTheNextPairThenSaysUpToDate() throws {
        let ws = try Workspace()
        try ws.write("schema/app.yaml", Self.users)
        let plan = try ws.migrate("plan", "--name", "create users")
        #expect(plan.status == 0, "\(plan.output)")
        let up = try ws.read("migrations/001_create_users.up.sql")
        let down = try ws.read("migrations/001_create_users.down.sql")
        #expect(up.hasPrefix("-- Migration: create users\n-- Created: "))
        #expect(
            up.contains(
                "-- 1. Create table users [instant]\n-- lock: write lock for milliseconds; catalog only\nCREATE TABLE users (\n  id integer PRIMARY KEY,\n  email text NOT NULL\n);"
            ), "\(up)")
        #expect(
            up.contains(
                "-- lock: write lock while it builds; builds an index over users (created by this migration: empty)\nCREATE UNIQUE INDEX idx_users_email ON users (email);"
            ))
        #expect(down.contains("DROP TABLE users;"))

        // Pending migrations count: planning again finds nothing and writes nothing.
        let again = try ws.migrate("plan")
        #expect(again.status == 0)
        #expect(again.stdout.contains("Schema is up to date"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.path + "/migrations").count == 2)

        #expect(try ws.migrate("up").status == 0)
        #expect(try ws.migrate("plan").stdout.contains("Schema is up to date"))

        // A change on an existing table: CONCURRENTLY, named after its first step.
        try ws.write(
            "schema/app.yaml",
            Self.users.replacingOccurrences(
                of: "email: text not null", with: "email: text not null\n      status: text not null default 'active'\n      created_at: timestamp"))
        let change = try ws.migrate("plan")
        #expect(change.status == 0, "\(change.output)")
        let second = try ws.read("migrations/002_add_column_users_status_and_1_more.up.sql")
        #expect(second.contains("ALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active' CONCURRENTLY;"))
    }

    @Test func dryRunPrintsAndWritesNothing() throws {
        let ws = try Workspace()
        try ws.write("schema/app.yaml", Self.users)
        let plan = try ws.migrate("plan", "--dry-run")
        #expect(plan.status == 0)
        #expect(plan.stdout.contains("CREATE TABLE users"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.path + "/migrations").isEmpty)
    }

    @Test func destructiveStepsNeedTheFlag() throws {
        let ws = try Workspace()
        try ws.write("schema/app.yaml", Self.users)
        #expect(try ws.migrate("plan").status == 0)
        #expect(try ws.migrate("up").status == 0)
        try ws.write("schema/app.yaml", "tables: {}\n")
        let refused = try ws.migrate("plan")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("Drop table users"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.path + "/migrations").count == 2)
        let allowed = try ws.migrate("plan", "--allow-destructive", "--name", "drop users")
        #expect(allowed.status == 0)
        let up = try ws.read("migrations/002_drop_users.up.sql")
        #expect(up.contains("-- migrate:allow-dangerous"))
        #expect(up.contains("DROP TABLE users;"))
        #expect(try ws.read("migrations/002_drop_users.down.sql").contains("-- Note: recreates table users empty; its rows cannot be brought back"))
    }

    @Test func checkFindsEachKindOfDrift() throws {
        let ws = try Workspace()
        try ws.write("schema/app.yaml", Self.users)
        #expect(try ws.migrate("plan", "--name", "users").status == 0)

        // Pending migration: the database is behind.
        let behind = try ws.migrate("check")
        #expect(behind.status == 1)
        #expect(behind.stdout.contains("migrations vs database"))
        #expect(try ws.migrate("up").status == 0)
        let clean = try ws.migrate("check")
        #expect(clean.status == 0, "\(clean.output)")
        #expect(clean.stdout.contains("No drift"))

        // Schema files edited without a plan.
        try ws.write("schema/app.yaml", Self.users.replacingOccurrences(of: "email: text not null", with: "email: text not null\n      age: integer"))
        let unplanned = try ws.migrate("check")
        #expect(unplanned.status == 1)
        #expect(unplanned.stdout.contains("schema files vs migrations"))
        #expect(unplanned.stdout.contains("Add column users.age"))
        try ws.write("schema/app.yaml", Self.users)

        // The database changed by hand.
        try ws.execute("CREATE INDEX hotfix ON users (email, id)")
        let hand = try ws.migrate("check", "--format", "json")
        #expect(hand.status == 1)
        let document = try JSONSerialization.jsonObject(with: Data(hand.stdout.utf8)) as? [String: Any]
        #expect(document?["inSync"] as? Bool == false)
        let drift = (document?["drift"] as? [[String: Any]])?.first
        #expect(drift?["between"] as? String == "migrations vs database")
        #expect(hand.stdout.contains("hotfix"))
        try ws.execute("DROP INDEX hotfix")

        // An applied file edited afterwards.
        let up = try ws.read("migrations/001_users.up.sql")
        try ws.write("migrations/001_users.up.sql", up + "\n-- edited\n")
        let modified = try ws.migrate("check")
        #expect(modified.status == 1)
        #expect(modified.stdout.contains("applied files: 001 changed since applied"))
    }

    @Test func checkErrorsExitTwo() throws {
        let ws = try Workspace()
        try ws.write("schema/app.yaml", "tables:\n  users:\n    columns:\n      id: integr primary key (\n")
        let bad = try ws.migrate("check")
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("error: schema/app.yaml:4:"))
    }

    @Test func inspectThenPlanFindsNothing() throws {
        let ws = try Workspace()
        try ws.execute(
            """
            CREATE TABLE orgs (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL COLLATE NOCASE UNIQUE);
            CREATE TABLE users (
              id INTEGER PRIMARY KEY,
              org_id INTEGER REFERENCES orgs(id) ON DELETE CASCADE,
              email TEXT NOT NULL DEFAULT '',
              score REAL CHECK (score >= 0),
              CONSTRAINT uq_users_email UNIQUE (org_id, email)
            );
            CREATE INDEX idx_users_lower ON users (lower(email)) WHERE score > 0;
            CREATE INDEX idx_users_desc ON users (score DESC);
            CREATE VIEW v_users AS SELECT id FROM users;
            """)
        let inspect = try ws.migrate("inspect")
        #expect(inspect.status == 0, "\(inspect.output)")
        try ws.write("schema/app.yaml", inspect.stdout)
        let plan = try ws.migrate("plan")
        #expect(plan.stdout.contains("Schema is up to date"), "\(inspect.stdout)\n\(plan.output)")
        #expect(try ws.migrate("check").status == 1)  // no migrations build this schema

        let sql = try ws.migrate("inspect", "--format", "sql")
        #expect(sql.stdout.contains("CREATE INDEX idx_users_desc ON users (score DESC);"))
        #expect(sql.stdout.contains("CREATE VIEW v_users"))
        try FileManager.default.removeItem(atPath: ws.path + "/schema/app.yaml")
        try ws.write("schema/app.sql", sql.stdout)
        #expect(try ws.migrate("plan").stdout.contains("Schema is up to date"))
        // Views are part of the desired state: one the files leave out is dropped.
        try ws.write("schema/app.sql", sql.stdout.replacingOccurrences(of: "CREATE VIEW v_users AS SELECT id FROM users;\n", with: ""))
        #expect(try ws.migrate("plan", "--dry-run").stdout.contains("Drop view v_users"))

        let json = try ws.migrate("inspect", "--format", "json")
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((document?["tables"] as? [[String: Any]])?.count == 2)
        #expect(try ws.migrate("status", "--format", "yaml").status == 2)
    }

    @Test func repositorySchemaMatchesItsMigrations() throws {
        let ws = try Workspace()
        try FileManager.default.removeItem(atPath: ws.path + "/migrations")
        try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("migrations").path, toPath: ws.path + "/migrations")
        try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("schema").path, toPath: ws.path + "/schema")
        #expect(try ws.migrate("up").status == 0)
        let check = try ws.migrate("check")
        #expect(check.status == 0, "\(check.output)")
        #expect(try ws.migrate("plan").stdout.contains("Schema is up to date"))
    }
}

extension DeclarativeCLITests {
    /// The `migrate` steps of examples/ci/drift-check.yml, run as written on this repository.
    @Test func ciWorkflowRunsAsWritten() throws {
        let ws = try Workspace()
        try FileManager.default.removeItem(atPath: ws.path + "/migrations")
        try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("migrations").path, toPath: ws.path + "/migrations")
        try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("schema").path, toPath: ws.path + "/schema")
        let workflow = try String(contentsOf: repositoryRoot.appendingPathComponent("examples/ci/drift-check.yml"), encoding: .utf8)
        let commands = workflow.split(separator: "\n").compactMap { line -> String? in
            let text = line.trimmingCharacters(in: .whitespaces)
            return text.hasPrefix("run: .build/release/migrate") ? String(text.dropFirst("run: ".count)) : nil
        }
        #expect(commands.count == 3)
        for command in commands {
            for part in command.components(separatedBy: " && ") {
                let arguments = part.split(separator: " ").dropFirst().map(String.init)
                let result = try ws.start(arguments).wait()
                #expect(result.status == 0, "\(part): \(result.output)")
            }
        }
    }
}

extension DeclarativeCLITests {
    /// Migrations that start from a schema made before them (the seed's Quick Start does).
    @Test func checkWorksWhenMigrationsStartFromABaseline() throws {
        let ws = try Workspace()
        try ws.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)")
        try ws.migration(
            "001", "add_status", up: "ALTER TABLE users ADD COLUMN status TEXT DEFAULT 'active' CONCURRENTLY;",
            down: "ALTER TABLE users DROP COLUMN status CONCURRENTLY;")
        #expect(try ws.migrate("up").status == 0)
        try ws.write("schema/app.yaml", try ws.migrate("inspect").stdout)
        let check = try ws.migrate("check")
        #expect(check.status == 0, "\(check.output)")
        #expect(check.stdout.contains("do not build the schema from an empty database"))
        try ws.write("schema/app.yaml", try ws.read("schema/app.yaml").replacingOccurrences(of: "email: text", with: "email: text not null"))
        let drift = try ws.migrate("check")
        #expect(drift.status == 1)
        #expect(drift.stdout.contains("Change column users.email: set NOT NULL"))
    }
}

extension DeclarativeCLITests {
    @Test func planWarnsAboutWhatUpWouldWarnAbout() throws {
        let ws = try Workspace()
        try ws.write("schema/app.yaml", Self.users)
        #expect(try ws.migrate("plan").status == 0)
        #expect(try ws.migrate("up").status == 0)
        try ws.write(
            "schema/app.yaml",
            Self.users.replacingOccurrences(of: "email: text not null", with: "email: text not null\n      level: integer not null"))
        let plan = try ws.migrate("plan", "--dry-run")
        #expect(plan.status == 0)
        #expect(
            plan.stderr.contains("warning: [add-column-not-null-without-default] ADD COLUMN users.level NOT NULL without a DEFAULT"), "\(plan.output)"
        )
    }
}
