import SQLSyntax
import SchemaDiff
import Testing

@testable import SQLiteEngine

/// SQLite's cost comments: how long the one write lock is held at a time.
@Suite struct SQLiteCostTests {
    @Test func rebuildsAndIndexesAreEstimated() throws {
        let sizes = ["users": TableSize(rows: 1_000_000), "tiny": TableSize(rows: 10)]
        let statements = try Parser.parse(
            """
            ALTER TABLE users ADD COLUMN note text;
            ALTER TABLE users ALTER COLUMN age TYPE bigint CONCURRENTLY;
            CREATE INDEX CONCURRENTLY i ON users (email);
            ALTER TABLE tiny DROP COLUMN x;
            """
        ).map(\.statement)
        #expect(
            SQLiteCost.costs(of: statements, sizes: sizes).map { $0?.summary } == [
                "lock: write lock for milliseconds; catalog only",
                "lock: write lock in batches of about 1 ms, readers go on (an online rebuild); rewrites users (~1.0M rows): ~4 s at 250k rows/s",
                "lock: write lock in batches of about 1 ms, readers go on (an online rebuild with the new index); builds an index over users (~1.0M rows): ~56 s at 18k rows/s",
                "lock: write lock for the whole table copy (a small table); rewrites tiny (~10 rows): <1 s at 700k rows/s",
            ])
    }
}
