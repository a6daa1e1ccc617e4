import Foundation

/// A table's size as the live catalog has it, for estimates.
public struct TableSize: Sendable, Hashable {
    /// Rows (PostgreSQL: the planner's estimate; SQLite: counted).
    public var rows: Int
    /// Bytes of the table and its indexes; nil where the engine cannot say cheaply (SQLite).
    public var bytes: Int64?

    /// A size.
    public init(rows: Int, bytes: Int64? = nil) {
        self.rows = rows
        self.bytes = bytes
    }
}

/// What one statement costs when it runs: the lock it takes, the work it does on the
/// table's rows, and an estimate from the table's size at a documented rate
/// (docs/benchmarks.md). Planned files carry it as a comment above each statement and
/// `up --dry-run` prints it.
public struct StatementCost: Sendable, Hashable {
    /// What the statement does to the rows.
    public enum Work: String, Sendable, Hashable {
        /// Edits the catalog only: milliseconds whatever the size.
        case catalog = "catalog only"
        /// Reads every row (VALIDATE CONSTRAINT) under a lock writes pass.
        case scan = "scans"
        /// Reads every row to build an index.
        case build = "builds an index over"
        /// Writes every row again (a type change, a table rebuild, a backfill).
        case rewrite = "rewrites"
    }

    /// The lock, in the engine's words: `SHARE UPDATE EXCLUSIVE (reads and writes go on)`.
    public var lock: String
    /// The work on the rows.
    public var work: Work
    /// The table the work is on, when there is one.
    public var table: String?
    /// Its size now; nil when the table does not exist yet (created by the migration).
    public var size: TableSize?
    /// Rows or bytes per second the estimate uses, for people: `100 MB/s`.
    public var rate: String?
    /// The estimated seconds of the work; nil for catalog edits.
    public var seconds: Double?

    /// A cost.
    public init(lock: String, work: Work, table: String? = nil, size: TableSize? = nil, rate: String? = nil, seconds: Double? = nil) {
        self.lock = lock
        self.work = work
        self.table = table
        self.size = size
        self.rate = rate
        self.seconds = seconds
    }

    /// One line: `lock: SHARE UPDATE EXCLUSIVE (reads and writes go on); builds an index
    /// over users (~1.2M rows, 350 MB): ~4 s at 100 MB/s`.
    public var summary: String {
        var text = "lock: \(lock); \(work.rawValue)"
        guard work != .catalog, let table else { return text }
        text += " \(table)"
        guard let size else { return text + " (created by this migration: empty)" }
        let rows = size.rows == 1 ? "1 row" : size.rows == 0 ? "0 rows" : "~\(Self.count(size.rows)) rows"
        text += " (\(rows)" + (size.bytes.map { ", " + Self.bytes($0) } ?? "") + ")"
        if let seconds, let rate { text += ": \(seconds < 1 ? "" : "~")\(Self.duration(seconds)) at \(rate)" }
        return text
    }

    /// `1.2M`, `35k`, `900`.
    static func count(_ n: Int) -> String {
        switch n {
        case 1_000_000...: return String(format: "%.1fM", Double(n) / 1e6)
        case 10_000...: return "\(n / 1000)k"
        default: return "\(n)"
        }
    }

    /// `350 MB`.
    public static func bytes(_ n: Int64) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB"]
        var value = Double(n)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(n) bytes" : String(format: value < 10 ? "%.1f %@" : "%.0f %@", value, units[unit])
    }

    static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<1: return "<1 s"
        case ..<120: return "\(Int(seconds.rounded(.up))) s"
        case ..<7200: return "\(Int((seconds / 60).rounded(.up))) min"
        default: return String(format: "%.1f h", seconds / 3600)
        }
    }
}
