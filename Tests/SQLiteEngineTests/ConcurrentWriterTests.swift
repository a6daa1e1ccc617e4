import Foundation
import GRDB
import MigrationEngine
import SchemaDiff
import Testing

@testable import SQLiteEngine

/// An application writer on its own connection: inserts, updates and deletes rows of
/// `items` until stopped, remembering exactly what it committed.
final class Writer: @unchecked Sendable {
    private let lock = NSLock()
    private let finished = DispatchSemaphore(value: 0)
    private var stopped = false
    private var model: [Int64: Int64]
    private var commits = 0
    private var errors: [String] = []

    init(path: String, initial: [Int64: Int64]) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        model = initial
        Thread.detachNewThread { [self] in
            run(queue)
            finished.signal()
        }
    }

    private func run(_ queue: DatabaseQueue) {
        var next: Int64 = 1_000_000
        while !lock.withLock({ stopped }) {
            let roll = Int.random(in: 0..<10)
            do {
                if roll < 4 {
                    next += 1
                    let id = next
                    try queue.write { try $0.execute(sql: "INSERT INTO items (id, n) VALUES (?, ?)", arguments: [id, id % 97]) }
                    commit { $0[id] = id % 97 }
                } else if let id = lock.withLock({ model.keys.randomElement() }) {
                    if roll < 8 {
                        let value = Int64.random(in: 0..<1000)
                        try queue.write { try $0.execute(sql: "UPDATE items SET n = ? WHERE id = ?", arguments: [value, id]) }
                        commit { $0[id] = value }
                    } else {
                        try queue.write { try $0.execute(sql: "DELETE FROM items WHERE id = ?", arguments: [id]) }
                        commit { $0[id] = nil }
                    }
                }
            } catch {
                lock.withLock { errors.append("\(error)") }
            }
        }
    }

    private func commit(_ change: (inout [Int64: Int64]) -> Void) {
        lock.withLock {
            change(&model)
            commits += 1
        }
    }

    /// Stops and waits for the last write to finish.
    func stop() -> (model: [Int64: Int64], commits: Int, errors: [String]) {
        lock.withLock { stopped = true }
        finished.wait()
        return lock.withLock { (model, commits, errors) }
    }
}

/// Every online operation with an application writing on another connection throughout:
/// every committed write survives and the schema is the intended one.
@Suite struct ConcurrentWriterTests {
    static let rows: Int64 = 20_000

    @Test(arguments: [
        ("ALTER TABLE items ALTER COLUMN n TYPE BIGINT USING n::BIGINT", "SELECT type FROM pragma_table_info('items') WHERE name = 'n'", "BIGINT"),
        ("ALTER TABLE items ALTER COLUMN n SET NOT NULL", "SELECT \"notnull\" FROM pragma_table_info('items') WHERE name = 'n'", "1"),
        ("ALTER TABLE items ALTER COLUMN note DROP NOT NULL", "SELECT \"notnull\" FROM pragma_table_info('items') WHERE name = 'note'", "0"),
        ("ALTER TABLE items ALTER COLUMN n SET DEFAULT 7", "SELECT dflt_value FROM pragma_table_info('items') WHERE name = 'n'", "7"),
        ("ALTER TABLE items ADD CONSTRAINT n_range CHECK (n >= 0)", "SELECT instr(sql, 'n_range') > 0 FROM sqlite_schema WHERE name = 'items'", "1"),
        ("ALTER TABLE items DROP CONSTRAINT items_note_check", "SELECT instr(sql, 'CHECK') FROM sqlite_schema WHERE name = 'items'", "0"),
        ("ALTER TABLE items DROP COLUMN extra", "SELECT count(*) FROM pragma_table_info('items') WHERE name = 'extra'", "0"),
        ("ALTER TABLE items ADD COLUMN created TEXT DEFAULT CURRENT_TIMESTAMP", "SELECT count(*) FROM items WHERE created IS NULL", "0"),
        ("CREATE INDEX CONCURRENTLY items_n ON items (n)", "SELECT count(*) FROM pragma_index_list('items') WHERE name = 'items_n'", "1"),
        (
            "CREATE UNIQUE INDEX CONCURRENTLY items_id_n ON items (id, n)",
            "SELECT \"unique\" FROM pragma_index_list('items') WHERE name = 'items_id_n'", "1"
        ),
    ])
    func writesSurviveEachOnlineOperation(sql: String, check: String, expected: String) async throws {
        let db = try TestDatabase()
        try db.execute(
            """
            CREATE TABLE items (id INTEGER PRIMARY KEY, n INTEGER, note TEXT NOT NULL DEFAULT 'x' CHECK (length(note) > 0), extra TEXT);
            CREATE INDEX items_note ON items (note);
            WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < \(Self.rows)) INSERT INTO items (id, n) SELECT i, i % 97 FROM r;
            """)
        var initial: [Int64: Int64] = [:]
        for id in 1...Self.rows { initial[id] = id % 97 }
        let engine = try db.engine(busyTimeout: 10, tuning: OnlineTuning(minimumRows: 0, batchMilliseconds: 1))
        try await engine.prepareHistory()

        let writer = try Writer(path: db.path, initial: initial)
        try await Task.sleep(nanoseconds: 50_000_000)
        let plans = try await engine.apply(try db.script(sql), history: .remove(version: 1)) { _ in }
        let (model, commits, errors) = writer.stop()

        #expect(plans.map(\.strategy) == [.online])
        #expect(errors.isEmpty, "\(errors.prefix(3))")
        #expect(commits > 50, "the writer should have written during the migration")
        let rows = try db.rows("SELECT id, n FROM items ORDER BY id")
        let expectedRows = model.sorted { $0.key < $1.key }.map { [String($0.key), String($0.value)] }
        #expect(rows.count == expectedRows.count)
        #expect(rows == expectedRows)
        #expect(try db.rows(check) == [[expected]])
        #expect(try db.rows("PRAGMA integrity_check") == [["ok"]])
        #expect(try db.rows("SELECT count(*) FROM sqlite_schema WHERE name LIKE '_migrate_%'") == [["0"]])
        #expect(try db.rows("SELECT name FROM sqlite_schema WHERE type = 'index' AND name = 'items_note'") == [["items_note"]])
    }
}
