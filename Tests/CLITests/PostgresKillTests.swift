import Foundation
import Testing

/// `kill -9` of `migrate up` in each phase of a PostgreSQL expand/contract migration while
/// the application writes: the next `up` leaves the database exactly as a run that was
/// never killed, with every write the application committed.
@Suite struct PostgresKillTests {
    static let setup = """
        CREATE TABLE orders (id bigint PRIMARY KEY, amount integer NOT NULL DEFAULT 0, hits integer NOT NULL DEFAULT 0, note text);
        CREATE INDEX idx_orders_amount ON orders (amount);
        CREATE TABLE ledger (id bigint PRIMARY KEY);
        INSERT INTO orders (id, amount, note) SELECT i, i % 1000, 'n' || i FROM generate_series(1, 20000) i;
        """

    func prepared() throws -> EngineWorkspace {
        let db = try EngineWorkspace(.postgres)
        try db.ws.write("migrate.yaml", "online_min_rows: 1\n")
        try db.execute(Self.setup)
        try db.migration(
            "001", "widen", up: "ALTER TABLE orders ALTER COLUMN amount TYPE bigint USING amount::bigint CONCURRENTLY;",
            down: "ALTER TABLE orders ALTER COLUMN amount TYPE integer USING amount::integer CONCURRENTLY;")
        return db
    }

    /// pgbench clients that run until killed; each transaction bumps amount and hits of one
    /// row together and inserts a row, witnessed in `ledger` in the same transaction.
    func startWriters(_ db: EngineWorkspace) throws -> RunningProcess {
        try db.ws.write(
            "writer.sql",
            """
            \\set id random(1, 20000)
            \\set fresh random(20001, 10000000)
            BEGIN;
            UPDATE orders SET amount = amount + 1, hits = hits + 1 WHERE id = :id;
            INSERT INTO orders (id, amount, note) VALUES (:fresh, :fresh % 1000, 'w') ON CONFLICT DO NOTHING;
            INSERT INTO ledger VALUES (:fresh) ON CONFLICT DO NOTHING;
            END;
            """)
        let pgbench = URL(fileURLWithPath: PostgresTestServer.psqlBinary).deletingLastPathComponent().appendingPathComponent("pgbench").path
        let writers = try db.ws.start(["-n", "-c", "2", "-t", "100000000", "-f", "writer.sql", db.url], executable: pgbench)
        let since = Date()
        while try db.rows("SELECT count(*) FROM ledger") == [["0"]], Date().timeIntervalSince(since) < 60 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        return writers
    }

    @Test(arguments: ["after-expand", "mid-backfill", "index-build", "validation", "before-swap", "swap", "history"])
    func killedInEachPhaseThenUpLeavesExactlyTheResult(point: String) throws {
        let reference = try prepared()
        #expect(try reference.migrate("up").status == 0)
        let expectedSchema = try reference.inspect()

        let db = try prepared()
        let writers = try startWriters(db)
        let killed = try db.migrate("up", environment: ["MIGRATE_KILL": point])
        let next = try db.migrate("up")
        if writers.process.isRunning { kill(writers.process.processIdentifier, SIGKILL) }
        let load = writers.wait()

        #expect(killed.status != 0, "\(point): the kill point was not reached: \(killed.output)")
        #expect(next.status == 0, "\(point): \(next.output)")
        #expect(!load.stderr.contains("aborted") && !load.stderr.contains("ERROR"), "\(point): \(load.stderr)")
        #expect(try db.inspect() == expectedSchema, "\(point)")
        #expect(try db.rows("SELECT version, status FROM schema_migrations") == [["1", "applied"]], "\(point)")
        #expect(try db.rows("SELECT count(*) FROM _migrate_journal") == [["0"]], "\(point)")
        #expect(try db.rows(PostgresExpandContractTests.leftovers) == [["0"]], "\(point)")
        // Every committed write is there: updates kept amount and hits together, every
        // witnessed insert has its row.
        #expect(try db.rows("SELECT count(*) FROM orders WHERE amount - id % 1000 <> hits") == [["0"]], "\(point)")
        #expect(try db.rows("SELECT count(*) FROM ledger l LEFT JOIN orders o USING (id) WHERE o.id IS NULL") == [["0"]], "\(point)")
        #expect(try db.rows("SELECT count(*) > 0 FROM ledger") == [["t"]], "\(point)")
    }
}
