import SQLSyntax
import SchemaDiff
import Testing

@testable import PostgresEngine

/// The comment above each planned statement: lock, work, estimate from the table's size.
@Suite struct PostgresCostTests {
    static let sizes = ["users": TableSize(rows: 3_000_000, bytes: 600_000_000)]

    func summaries(_ sql: String) throws -> [String?] {
        PostgresCost.costs(of: try Parser.parse(sql).map(\.statement), sizes: Self.sizes).map { $0?.summary }
    }

    @Test func eachStatementSaysItsLockWorkAndEstimate() throws {
        let lines = try summaries(
            """
            SET lock_timeout = '50ms';
            CREATE INDEX CONCURRENTLY i ON users (email);
            ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID;
            ALTER TABLE users VALIDATE CONSTRAINT c;
            ALTER TABLE users ALTER COLUMN email SET NOT NULL;
            ALTER TABLE users ALTER COLUMN age TYPE bigint USING age::bigint CONCURRENTLY;
            ALTER TABLE users ALTER COLUMN email TYPE varchar(200);
            CREATE TABLE t (id bigint);
            CREATE INDEX t_id ON t (id);
            INSERT INTO t VALUES (1);
            """)
        #expect(
            lines == [
                "lock: none; catalog only",
                "lock: SHARE UPDATE EXCLUSIVE (reads and writes go on); builds an index over users (~3.0M rows, 572 MB): ~4 s at 150 MB/s",
                "lock: ACCESS EXCLUSIVE for milliseconds, under lock_timeout; catalog only",
                "lock: SHARE UPDATE EXCLUSIVE (reads and writes go on); scans users (~3.0M rows, 572 MB): <1 s at 1 GB/s",
                "lock: ACCESS EXCLUSIVE for milliseconds, under lock_timeout (the validated CHECK before it spares the scan); catalog only",
                "lock: expand/contract: brief ACCESS EXCLUSIVE to add and swap, row locks in batches; rewrites users (~3.0M rows, 572 MB): ~86 s at 35k rows/s",
                "lock: ACCESS EXCLUSIVE for milliseconds, under lock_timeout when PostgreSQL keeps the rows as they are (a longer varchar), else a rewrite; catalog only",
                "lock: ACCESS EXCLUSIVE on the new table; catalog only",
                "lock: SHARE (writes wait until it is built); builds an index over t (created by this migration: empty)",
                nil,
            ])
    }

    @Test func aHandWrittenSetNotNullScans() throws {
        #expect(try summaries("ALTER TABLE users ALTER COLUMN email SET NOT NULL;").first??.contains("scans users") == true)
    }

    @Test func diskSpaceNeedsTheBuildsAndRewrites() throws {
        let statements = try Parser.parse("CREATE INDEX CONCURRENTLY i ON users (email); ALTER TABLE users ADD COLUMN x text;").map(\.statement)
        let need = PostgresDiskSpace.needed(statements, sizes: Self.sizes)
        #expect(need.bytes == 600_000_000)
        #expect(need.tables == ["users"])
    }
}
