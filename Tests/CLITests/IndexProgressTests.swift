import Foundation
import Testing

/// A concurrent index build reports progress like a backfill: a first line when it starts
/// and a last when it is built, whatever its length (the server's counters in between
/// depend on timing, so they are not counted on here).
@Suite struct IndexProgressTests {
    @Test func concurrentIndexBuildReportsProgress() throws {
        let db = try EngineWorkspace(.postgres)
        try db.execute(
            "CREATE TABLE events (id bigint PRIMARY KEY, kind text); INSERT INTO events SELECT g, md5(g::text) FROM generate_series(1, 2000) g;")
        try db.migration(
            "001", "index_events", up: "CREATE INDEX CONCURRENTLY idx_events_kind ON events (kind);", down: "DROP INDEX CONCURRENTLY idx_events_kind;"
        )
        let run = try db.migrate("up", "--format", "json")
        #expect(run.status == 0, "\(run.output)")
        let lines = run.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let progress = lines.filter { $0["event"] as? String == "progress" && $0["table"] as? String == "idx_events_kind" }
        #expect(progress.first?["phase"] as? String == "index", "\(run.stdout)")
        #expect(progress.first?["detail"] as? String == "waiting to start")
        #expect(progress.last?["phase"] as? String == "done")
        #expect((progress.last?["detail"] as? String)?.hasPrefix("built in ") == true, "\(run.stdout)")

        let text = try db.migrate("down")
        #expect(text.status == 0)
        let again = try db.migrate("up", "--verbose")
        #expect(again.stdout.contains("progress: 001 index idx_events_kind (waiting to start)"), "\(again.stdout)")
        #expect(again.stdout.contains("progress: 001 index idx_events_kind (built in "), "\(again.stdout)")
    }
}

extension IndexProgressTests {
    /// Builds on different tables run at once, each on its own connection, each reporting.
    @Test func parallelBuildsEachReportProgress() throws {
        let db = try EngineWorkspace(.postgres)
        try db.execute("CREATE TABLE a (id bigint PRIMARY KEY, k text); CREATE TABLE b (id bigint PRIMARY KEY, k text);")
        try db.migration(
            "001", "two_indexes", up: "CREATE INDEX CONCURRENTLY a_k ON a (k);\nCREATE INDEX CONCURRENTLY b_k ON b (k);",
            down: "DROP INDEX CONCURRENTLY a_k;\nDROP INDEX CONCURRENTLY b_k;")
        let run = try db.migrate("up", "--format", "json")
        #expect(run.status == 0, "\(run.output)")
        let lines = run.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        for index in ["a_k", "b_k"] {
            let done = lines.filter { $0["table"] as? String == index && $0["phase"] as? String == "done" }
            #expect(done.count == 1, "\(index): \(run.stdout)")
        }
    }
}
