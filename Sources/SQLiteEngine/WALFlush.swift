import Foundation

/// Flushes the WAL file to disk between batches, while the migrator holds no lock.
///
/// Batches commit with `synchronous=NORMAL` (no fsync while the write lock is held). An
/// application writing with `synchronous=FULL` (SQLite's default, and Python's, GRDB's and
/// most drivers') fsyncs the WAL at each commit, while it holds the write lock, and that
/// fsync also has to write out every frame the migrator left unsynced. Flushing them from
/// the migrator's side, in its pause, keeps that work out of the application's commits:
/// with a random-order index, the writers' p99 went from 35 ms to 19-22 ms
/// (docs/benchmarks.md).
enum WALFlush {
    /// `fdatasync` of `<databasePath>-wal`; nothing when there is none (not in WAL mode).
    static func flush(databasePath: String) {
        let descriptor = open(databasePath + "-wal", O_RDONLY)
        guard descriptor >= 0 else { return }
        _ = fdatasync(descriptor)
        close(descriptor)
    }
}
