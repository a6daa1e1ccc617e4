import Foundation
import Testing

/// Through PgBouncer (scripts/postgres-server starts one per pooling mode): session pooling
/// works, transaction pooling is refused before anything runs, and neither leaves a lock
/// or a setting on a pooled connection.
@Suite struct PoolerTests {
    /// The pooler's URL for the database `db` uses directly.
    static func pooled(_ db: EngineWorkspace, mode: String) throws -> String {
        let variable = "MIGRATE_TEST_PGBOUNCER_\(mode.uppercased())_URL"
        let base = ProcessInfo.processInfo.environment[variable] ?? ""
        try #require(!base.isEmpty, "\(variable) is not set: run the tests with scripts/test, which starts PgBouncer")
        let name = try #require(URLComponents(string: db.url)?.path.dropFirst())
        return base.replacingOccurrences(of: "/postgres?", with: "/\(name)?")
    }

    static let advisoryLocks =
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"

    @Test func transactionPoolingIsRefusedBeforeAnythingRuns() throws {
        let db = try EngineWorkspace(.postgres)
        let url = try Self.pooled(db, mode: "transaction")
        try db.migration("001", "create_t", up: "CREATE TABLE t (id integer PRIMARY KEY);", down: "DROP TABLE t;")
        let runs = try (0..<2).map { _ in try db.ws.start(["up"], environment: ["DATABASE_URL": url]) }.map { $0.wait() }
        for run in runs {
            #expect(run.status == 2, "\(run.output)")
            #expect(run.stderr.contains("transaction or statement mode") && run.stderr.contains("session mode"), "\(run.stderr)")
        }
        #expect(try db.rows("SELECT count(*) FROM pg_class WHERE relname IN ('t', 'schema_migrations', '_migrate_journal')") == [["0"]])
        #expect(try db.rows(Self.advisoryLocks) == [["0"]])
        // A pooled connection the application gets afterwards has the server's defaults.
        #expect(try PostgresTestServer.psql(url, "SHOW search_path") == [["\"$user\", public"]])
        // The same database, directly, migrates.
        #expect(try db.migrate("up").status == 0)
    }

    @Test func sessionPoolingWorksAndTwoRunnersDoNotOverlap() throws {
        let db = try EngineWorkspace(.postgres)
        let url = try Self.pooled(db, mode: "session")
        try db.execute("CREATE TABLE orders (id bigint PRIMARY KEY, amount integer); INSERT INTO orders SELECT i, i FROM generate_series(1, 2000) i")
        try db.migration(
            "001", "index", up: "CREATE INDEX CONCURRENTLY idx_orders_amount ON orders (amount);",
            down: "DROP INDEX CONCURRENTLY idx_orders_amount;")
        try db.migration("002", "note", up: "ALTER TABLE orders ADD COLUMN note text;", down: "ALTER TABLE orders DROP COLUMN note;")
        let runs = try (0..<2).map { _ in try db.ws.start(["up"], environment: ["DATABASE_URL": url]) }.map { $0.wait() }
        for run in runs { #expect(run.status == 0, "\(run.output)") }
        #expect(try db.rows("SELECT version, status FROM schema_migrations ORDER BY version") == [["1", "applied"], ["2", "applied"]])
        #expect(try db.rows(Self.advisoryLocks) == [["0"]])
        #expect(try PostgresTestServer.psql(url, "SHOW search_path") == [["\"$user\", public"]])
        #expect(try PostgresTestServer.psql(url, "SHOW lock_timeout") == [["0"]])
        let down = try db.ws.migrate(["down", "--count", "2"], environment: ["DATABASE_URL": url])
        #expect(down.status == 0, "\(down.output)")
        #expect(try db.rows("SELECT count(*) FROM pg_class WHERE relname = 'idx_orders_amount'") == [["0"]])
    }
}
