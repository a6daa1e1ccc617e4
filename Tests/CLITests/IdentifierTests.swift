import Foundation
import Testing

/// Names with quotes, spaces, unicode and reserved words survive every path: migrations
/// (native, rebuild and online), plan, inspect and check.
@Suite struct IdentifierTests {
    static let up = #"""
        CREATE TABLE "weird ""name" (
          id INTEGER PRIMARY KEY,
          "select" TEXT NOT NULL DEFAULT 'x',
          "two words" INTEGER,
          "ünïcode" TEXT
        );
        INSERT INTO "weird ""name" ("select", "two words", "ünïcode") VALUES ('a', 1, 'é'), ('b', 2, 'ß');
        CREATE INDEX CONCURRENTLY "idx ""w""" ON "weird ""name" ("two words");
        ALTER TABLE "weird ""name" ALTER COLUMN "two words" TYPE BIGINT USING "two words"::BIGINT CONCURRENTLY;
        ALTER TABLE "weird ""name" ADD CONSTRAINT "ck order" CHECK ("two words" > 0) CONCURRENTLY;
        ALTER TABLE "weird ""name" RENAME COLUMN "ünïcode" TO "group";
        """#
    static let down = #"""
        -- migrate:allow-dangerous
        DROP TABLE "weird ""name";
        """#

    @Test(arguments: ["1000000", "0"])
    func weirdNamesThroughMigrationsPlanAndInspect(onlineMinimumRows: String) throws {
        let ws = try Workspace()
        let environment = ["MIGRATE_ONLINE_MIN_ROWS": onlineMinimumRows]
        try ws.migration("001", "weird", up: Self.up, down: Self.down)
        let run = try ws.migrate("up", environment: environment)
        #expect(run.status == 0, "\(run.output)")
        #expect(try ws.rows(#"SELECT "select", "two words", "group" FROM "weird ""name" ORDER BY id"#) == [["a", "1", "é"], ["b", "2", "ß"]])
        #expect(try ws.rows(#"SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%'"#) == [[#"idx "w""#]])

        let inspect = try ws.migrate("inspect")
        #expect(inspect.status == 0)
        try ws.write("schema/app.yaml", inspect.stdout)
        #expect(try ws.migrate("plan").stdout.contains("Schema is up to date"), "\(inspect.stdout)")
        #expect(try ws.migrate("check").status == 0)

        // A planned change on the same table, applied and reverted.
        try ws.write("schema/app.yaml", inspect.stdout.replacingOccurrences(of: "    columns:\n", with: "    columns:\n      \"from\": text\n"))
        let plan = try ws.migrate("plan", "--name", "add from")
        #expect(plan.status == 0, "\(plan.output)")
        #expect(try ws.read("migrations/002_add_from.up.sql").contains(#"ALTER TABLE "weird ""name" ADD COLUMN "from" text CONCURRENTLY;"#))
        #expect(try ws.migrate("up", environment: environment).status == 0)
        #expect(try ws.migrate("check").status == 0)
        #expect(try ws.migrate("down", environment: environment).status == 0)
        #expect(try ws.migrate("down", environment: environment).status == 0)
        #expect(try ws.rows(#"SELECT count(*) FROM sqlite_schema WHERE name = 'weird "name'"#) == [["0"]])
    }
}
