import Foundation
import MigrationEngine

/// Progress of a `CREATE INDEX CONCURRENTLY` from `pg_stat_progress_create_index`
/// (PostgreSQL 12+), read on a connection of its own while the build runs on the
/// migration's: the server's phase, and blocks or tuples done of the total, with a rate
/// and an ETA. One report when the build starts and one when it ends come whatever its
/// length; in between, one per `interval`.
struct IndexBuildProgress {
    let url: PostgresURL
    /// The backend running the build.
    let pid: String
    let migrationID: String
    let index: String
    var interval: Double = 0.5

    /// Runs `build`, reporting its progress to `progress`.
    func watch<T>(progress: @escaping ProgressHandler, _ build: () async throws -> T) async throws -> T {
        let started = Date()
        progress(report(phase: "waiting to start", done: 0, total: 0, unit: "blocks", started: started))
        let watcher = Task { [self] in
            let session = PostgresSession(url: url)
            var meter = Meter(phase: "", unit: "")
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
                guard !Task.isCancelled, let row = try? await session.rows(Self.query(pid: pid)).first else { continue }
                let sample = Self.sample(row)
                if meter.unit != sample.unit || meter.phase != sample.phase { meter = Meter(phase: sample.phase, unit: sample.unit) }
                progress(report(phase: sample.phase, done: sample.done, total: sample.total, unit: sample.unit, started: meter.started))
            }
            await session.close()
        }
        let result: T
        do {
            result = try await build()
        } catch {
            watcher.cancel()
            await watcher.value
            throw error
        }
        // Ended before the last report, so that no sample comes after it.
        watcher.cancel()
        await watcher.value
        var done = report(
            phase: String(format: "built in %.1f s", Date().timeIntervalSince(started)), done: 0, total: 0, unit: "index", started: started)
        done.phase = .done
        done.rowsPerSecond = 0
        done.etaSeconds = nil
        progress(done)
        return result
    }

    /// The phase's counters start again at each phase: the rate is over the phase.
    private struct Meter {
        var phase: String
        var unit: String
        let started = Date()
    }

    private func report(phase: String, done: Int, total: Int, unit: String, started: Date) -> OperationProgress {
        let seconds = Date().timeIntervalSince(started)
        let rate = seconds >= 0.05 ? Double(done) / seconds : 0
        var progress = OperationProgress(
            migrationID: migrationID, table: index, phase: .index, rowsDone: done, rowsTotal: max(total, done), rowsPerSecond: rate,
            etaSeconds: rate > 0 && total > done ? Double(total - done) / rate : nil, batchRows: 0, batchMilliseconds: 0)
        progress.unit = unit
        progress.detail = phase
        return progress
    }

    static func query(pid: String) -> String {
        """
        SELECT phase::text, blocks_done::text, blocks_total::text, tuples_done::text, tuples_total::text,
          lockers_done::text, lockers_total::text
        FROM pg_stat_progress_create_index WHERE pid = \(Int(pid) ?? 0)
        """
    }

    /// The counters that move in the row's phase: blocks while the table is scanned,
    /// tuples while they are sorted and loaded or validated, lockers while old
    /// transactions are waited for.
    static func sample(_ row: [String?]) -> (phase: String, done: Int, total: Int, unit: String) {
        func number(_ i: Int) -> Int { i < row.count ? Int(row[i] ?? "") ?? 0 : 0 }
        let phase = (row.first ?? nil) ?? "initializing"
        if number(2) > 0 { return (phase, number(1), number(2), "blocks") }
        if number(4) > 0 { return (phase, number(3), number(4), "tuples") }
        if number(6) > 0 { return (phase, number(5), number(6), "transactions") }
        return (phase, 0, 0, "blocks")
    }
}
