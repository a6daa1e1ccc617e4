import Foundation
import MigrationEngine
import SQLSyntax

/// Consecutive `CREATE [UNIQUE] INDEX CONCURRENTLY` statements on different tables built
/// at once, each on a connection of its own, up to `max concurrent operations`. (Two
/// concurrent builds on one table would only wait for each other: they take the same
/// SHARE UPDATE EXCLUSIVE lock.) Each build journals its undo and retries like any other
/// step; when one fails, the others finish, and the migration's failure path undoes them.
struct ParallelIndexBuilds {
    let url: PostgresURL
    let version: Int
    let lockTimeout: Double
    let attemptTimeout: Double
    /// The migration's ID, for progress reports.
    var migrationID = ""
    /// Receives each build's progress (`IndexBuildProgress`).
    var progress: ProgressHandler = { _ in }

    /// The statements from `start` that can be built together: concurrent index creations
    /// with a name, each on a table none of the others uses, at most `limit`.
    static func run(in statements: [ParsedStatement], from start: Int, limit: Int) -> Range<Int> {
        var tables: Set<String> = []
        var end = start
        while end < statements.count, end - start < limit,
            case .createIndex(let index) = statements[end].statement, index.concurrently, index.name != nil,
            tables.insert(index.table.description.lowercased()).inserted
        {
            end += 1
        }
        return start..<end
    }

    /// A failed build: which statement, and why.
    struct Failure: Error {
        var offset: Int
        var error: any Error
    }

    /// Runs each statement's steps (all outside transactions) at once.
    /// - Throws: `Failure` naming the first statement that failed, after every build ended.
    func build(_ strategies: [PostgresStrategy]) async throws {
        let failures = await withTaskGroup(of: Failure?.self) { group in
            for (offset, strategy) in strategies.enumerated() {
                group.addTask { [url, version, lockTimeout, attemptTimeout, migrationID, progress] in
                    let session = PostgresSession(url: url)
                    let runner = PostgresRunner(session: session, version: version, lockTimeout: lockTimeout, attemptTimeout: attemptTimeout)
                    var failure: Failure?
                    do {
                        for step in strategy.steps {
                            guard let index = step.buildsIndex else {
                                try await runner.run(step)
                                continue
                            }
                            let pid = try await session.value("SELECT pg_backend_pid()::text") ?? "0"
                            let watcher = IndexBuildProgress(url: url, pid: pid, migrationID: migrationID, index: index.name.name)
                            try await watcher.watch(progress: progress) { try await runner.run(step) }
                        }
                    } catch {
                        failure = Failure(offset: offset, error: error)
                    }
                    await session.close()
                    return failure
                }
            }
            var failures: [Failure] = []
            for await failure in group {
                if let failure { failures.append(failure) }
            }
            return failures
        }
        if let first = failures.min(by: { $0.offset < $1.offset }) { throw first }
    }
}
